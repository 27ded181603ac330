//! One published port of a Swarm service, in the long syntax.

use serde::Serialize;

use crate::model::Protocol;

/// How Swarm publishes a port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PublishMode {
    /// The routing mesh: every node of the swarm answers on the port and
    /// forwards to a task of the service (needs IPVS in each node's kernel).
    Ingress,
    /// The port of the node a task runs on, for that task only: one task
    /// per node can hold it (the `haproxy` service's ports).
    Host,
}

/// `{ target, published, protocol, mode }`: the long syntax, the only one
/// that says the mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublishedPort {
    /// The port in the container.
    pub target: u16,
    /// The port on the nodes.
    pub published: u16,
    pub protocol: &'static str,
    pub mode: PublishMode,
}

impl PublishedPort {
    /// TCP port `target` of the container on port `published` of the nodes.
    pub fn tcp(target: u16, published: u16, mode: PublishMode) -> PublishedPort {
        PublishedPort::new(target, published, Protocol::Tcp, mode)
    }

    /// [`PublishedPort::tcp`] for `protocol`.
    pub fn new(
        target: u16,
        published: u16,
        protocol: Protocol,
        mode: PublishMode,
    ) -> PublishedPort {
        PublishedPort {
            target,
            published,
            protocol: protocol.as_str(),
            mode,
        }
    }
}
