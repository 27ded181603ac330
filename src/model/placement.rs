//! Which cluster nodes may run a component.

use std::fmt;

/// One placement constraint, written in the spec in Docker Swarm's syntax
/// (`placement = ["node.labels.zone == eu-1", "node.role != manager"]`;
/// see Docker's `docker service create --constraint` reference): the node
/// attribute, whether it must equal or differ from the value, and the value.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Constraint {
    pub attribute: NodeAttribute,
    /// `==` when true, `!=` when false.
    pub equal: bool,
    pub value: String,
}

/// The node attributes a constraint may test: those with a meaning in both
/// Swarm and Kubernetes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeAttribute {
    /// `node.hostname` (Kubernetes: the label `kubernetes.io/hostname`).
    Hostname,
    /// `node.role`, `manager` or `worker` (Kubernetes: whether the node has
    /// the label `node-role.kubernetes.io/control-plane`).
    Role,
    /// `node.platform.os` (Kubernetes: `kubernetes.io/os`).
    Os,
    /// `node.platform.arch` (Kubernetes: `kubernetes.io/arch`).
    Arch,
    /// `node.labels.KEY`: a label the operator put on the node.
    Label(String),
}

impl NodeAttribute {
    /// The attribute as Swarm writes it: `node.hostname`, `node.labels.zone`.
    pub fn swarm(&self) -> String {
        match self {
            NodeAttribute::Hostname => "node.hostname".to_string(),
            NodeAttribute::Role => "node.role".to_string(),
            NodeAttribute::Os => "node.platform.os".to_string(),
            NodeAttribute::Arch => "node.platform.arch".to_string(),
            NodeAttribute::Label(key) => format!("node.labels.{key}"),
        }
    }
}

impl fmt::Display for Constraint {
    /// Swarm's constraint syntax without spaces: `node.labels.zone==eu-1`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let operator = if self.equal { "==" } else { "!=" };
        write!(f, "{}{operator}{}", self.attribute.swarm(), self.value)
    }
}

#[cfg(test)]
mod tests {
    use super::{Constraint, NodeAttribute};

    #[test]
    fn constraints_print_in_swarm_syntax() {
        let zone = Constraint {
            attribute: NodeAttribute::Label("zone".to_string()),
            equal: true,
            value: "eu-1".to_string(),
        };
        assert_eq!(zone.to_string(), "node.labels.zone==eu-1");
        let role = Constraint {
            attribute: NodeAttribute::Role,
            equal: false,
            value: "manager".to_string(),
        };
        assert_eq!(role.to_string(), "node.role!=manager");
    }
}
