//! One published port, in Compose's long syntax.

use serde::Serialize;

use crate::model::Protocol;

/// The long syntax leaves nothing to YAML's implicit typing (the short
/// `"80:80"` form is a base-60 integer to a YAML 1.1 reader).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PortMapping {
    pub target: u16,
    /// The host port, a string in the Compose specification (it may be a
    /// range); `None` lets Docker pick a free one (an ephemeral port, found
    /// with `docker compose port`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_ip: Option<String>,
    pub protocol: &'static str,
}

impl PortMapping {
    /// Container port `target` on host port `published` (any free port
    /// when `None`), on `host_ip` (every address when `None`).
    pub fn tcp(target: u16, published: Option<u16>, host_ip: Option<&str>) -> PortMapping {
        PortMapping::new(target, published, host_ip, Protocol::Tcp)
    }

    /// [`PortMapping::tcp`] for `protocol`.
    pub fn new(
        target: u16,
        published: Option<u16>,
        host_ip: Option<&str>,
        protocol: Protocol,
    ) -> PortMapping {
        PortMapping {
            target,
            published: published.map(|port| port.to_string()),
            host_ip: host_ip.map(str::to_string),
            protocol: protocol.as_str(),
        }
    }
}
