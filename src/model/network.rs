//! A network declared at the top level (`network backend { ... }`): the
//! settings every Compose file (and Swarm stack file) that uses it
//! declares it with.

use std::net::IpAddr;

use super::Subnet;

/// A declared network. Compose's words: `driver`, `internal`, `external`,
/// and one IPAM pool (`subnet`, `gateway`, `ip_range`). Files that use a
/// network no `network` block declares declare it with Compose's defaults.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Network {
    /// The name services use (`networks = [backend]`); Compose names the
    /// network it creates `PROJECT_NAME`. An `external` network is looked up
    /// by this name as it is.
    pub name: String,
    /// Compose's `driver` (Docker's default, `bridge`, when `None`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub driver: Option<String>,
    /// No route out of the network (Docker's `--internal`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub internal: bool,
    /// Created outside the stack; then every other setting is absent.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub external: bool,
    /// The pool containers' addresses come from; Docker picks one when
    /// `None`. An IPv6 subnet makes the network IPv6-enabled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subnet: Option<Subnet>,
    /// Inside `subnet`; Docker takes its first address when `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gateway: Option<IpAddr>,
    /// Inside `subnet`: where Docker picks dynamic addresses from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_range: Option<Subnet>,
}

impl Network {
    /// The gateway's address: the one given, else the subnet's first host
    /// address, which Docker takes. `None` without a subnet.
    pub fn effective_gateway(&self) -> Option<IpAddr> {
        self.gateway
            .or_else(|| self.subnet.map(|subnet| subnet.first_host()))
    }
}
