//! A top-level `networks:` entry of a Compose file: Compose's defaults
//! (`{}`) for a network only the pass-through names, the settings of its
//! `network` block for a declared one.

use serde::Serialize;

use crate::model::Network;

/// One network as a Compose file declares it. Written `{}` by default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NetworkDeclaration {
    /// `true`: created outside the project, found by its name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub driver: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub internal: Option<bool>,
    /// Set with an IPv6 subnet: Docker keeps IPv6 off without it, and a
    /// container would get no address from the pool.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_ipv6: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ipam: Option<Ipam>,
}

/// Compose's `ipam`: one pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ipam {
    pub config: Vec<IpamPool>,
}

/// One entry of `ipam.config`: CIDRs and an address, as strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IpamPool {
    pub subnet: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gateway: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_range: Option<String>,
}

impl NetworkDeclaration {
    /// The declaration of the declared network `network`.
    pub fn of(network: &Network) -> NetworkDeclaration {
        let pool = network.subnet.map(|subnet| IpamPool {
            subnet: subnet.to_string(),
            gateway: network.gateway.map(|g| g.to_string()),
            ip_range: network.ip_range.map(|r| r.to_string()),
        });
        NetworkDeclaration {
            external: network.external.then_some(true),
            driver: network.driver.clone(),
            internal: network.internal.then_some(true),
            enable_ipv6: network.subnet.filter(|s| s.is_ipv6()).map(|_| true),
            ipam: pool.map(|pool| Ipam { config: vec![pool] }),
        }
    }
}
