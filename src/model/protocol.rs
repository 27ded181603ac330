//! The transport protocols a port is served on.

/// A port's transport protocol, written in the spec by its name
/// (`protocol = "udp"`, `protocol = ["tcp", "udp"]`).
///
/// SCTP, which Compose, Swarm and Kubernetes also take, is left out: it needs
/// the `sctp` kernel module on every host (off by default on many
/// distributions) and, on Kubernetes, a network plugin that carries it, and
/// nothing stackc writes could probe it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Protocol {
    /// The default; the only one a health check, a route or HAProxy uses.
    Tcp,
    Udp,
}

impl Protocol {
    /// Every protocol, in the order emitters write a port's entries.
    pub const ALL: [Protocol; 2] = [Protocol::Tcp, Protocol::Udp];

    /// The name the spec writes, and Compose's and Swarm's `protocol`.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
        }
    }

    /// Kubernetes' spelling (`TCP`, `UDP`) in a container or Service port.
    pub fn kubernetes(self) -> &'static str {
        match self {
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
        }
    }

    /// The protocol spelled `name`; `None` for any other word.
    pub fn from_name(name: &str) -> Option<Protocol> {
        Protocol::ALL.into_iter().find(|p| p.as_str() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::Protocol;

    #[test]
    fn names_round_trip_and_serialize_as_written() {
        for protocol in Protocol::ALL {
            assert_eq!(Protocol::from_name(protocol.as_str()), Some(protocol));
            assert_eq!(
                serde_json::to_string(&protocol).ok(),
                Some(format!("\"{}\"", protocol.as_str()))
            );
        }
        assert_eq!(Protocol::from_name("sctp"), None);
        assert_eq!(Protocol::from_name("TCP"), None);
    }
}
