//! A pod's `affinity`, from the spec's `placement` constraints.
//!
//! # Mapping
//!
//! Every constraint must hold, so all of them are the `matchExpressions`
//! of one term of `nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution`
//! (the pod is scheduled only on a node matching them all; a running pod
//! stays where it is when a node's labels change later):
//!
//! | constraint | key | operator |
//! | --- | --- | --- |
//! | `node.hostname == V` (`!=`) | `kubernetes.io/hostname` | `In [V]` (`NotIn [V]`) |
//! | `node.platform.os == V` | `kubernetes.io/os` | `In [V]` (`NotIn`) |
//! | `node.platform.arch == V` | `kubernetes.io/arch` | `In [V]` (`NotIn`) |
//! | `node.labels.KEY == V` | `KEY` | `In [V]` (`NotIn`) |
//! | `node.role == manager`, `node.role != worker` | `node-role.kubernetes.io/control-plane` | `Exists` |
//! | `node.role == worker`, `node.role != manager` | `node-role.kubernetes.io/control-plane` | `DoesNotExist` |
//!
//! `NotIn` also matches a node without the label, as Swarm's `!=` does.

use serde::Serialize;

use crate::model::{Constraint, NodeAttribute};

/// The label Kubernetes puts on control-plane nodes (Swarm's managers).
pub const CONTROL_PLANE_LABEL: &str = "node-role.kubernetes.io/control-plane";

/// Kubernetes' `Affinity`, node affinity only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Affinity {
    pub node_affinity: NodeAffinity,
}

/// The nodes a pod may be scheduled on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NodeAffinity {
    #[serde(rename = "requiredDuringSchedulingIgnoredDuringExecution")]
    pub required: NodeSelector,
}

/// Terms of which a node must match one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeSelector {
    pub node_selector_terms: Vec<NodeSelectorTerm>,
}

/// Requirements a node must all meet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeSelectorTerm {
    pub match_expressions: Vec<NodeSelectorRequirement>,
}

/// One requirement on a node label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NodeSelectorRequirement {
    pub key: String,
    pub operator: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

impl Affinity {
    /// The affinity `placement` asks for; `None` without constraints.
    pub fn from_placement(placement: &[Constraint]) -> Option<Affinity> {
        if placement.is_empty() {
            return None;
        }
        let match_expressions = placement.iter().map(requirement).collect();
        Some(Affinity {
            node_affinity: NodeAffinity {
                required: NodeSelector {
                    node_selector_terms: vec![NodeSelectorTerm { match_expressions }],
                },
            },
        })
    }
}

/// One constraint as a node label requirement (see the module's table).
fn requirement(constraint: &Constraint) -> NodeSelectorRequirement {
    let key = match &constraint.attribute {
        NodeAttribute::Hostname => "kubernetes.io/hostname",
        NodeAttribute::Os => "kubernetes.io/os",
        NodeAttribute::Arch => "kubernetes.io/arch",
        NodeAttribute::Label(key) => key.as_str(),
        NodeAttribute::Role => {
            let manager = (constraint.value == "manager") == constraint.equal;
            return NodeSelectorRequirement {
                key: CONTROL_PLANE_LABEL.to_string(),
                operator: if manager { "Exists" } else { "DoesNotExist" },
                values: Vec::new(),
            };
        }
    };
    NodeSelectorRequirement {
        key: key.to_string(),
        operator: if constraint.equal { "In" } else { "NotIn" },
        values: vec![constraint.value.clone()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn constraint(attribute: NodeAttribute, equal: bool, value: &str) -> Constraint {
        Constraint {
            attribute,
            equal,
            value: value.to_string(),
        }
    }

    #[test]
    fn roles_test_the_control_plane_label() {
        for (equal, value, operator) in [
            (true, "manager", "Exists"),
            (false, "worker", "Exists"),
            (true, "worker", "DoesNotExist"),
            (false, "manager", "DoesNotExist"),
        ] {
            let r = requirement(&constraint(NodeAttribute::Role, equal, value));
            assert_eq!(
                (r.key.as_str(), r.operator),
                (CONTROL_PLANE_LABEL, operator)
            );
            assert!(r.values.is_empty());
        }
        let zone = requirement(&constraint(
            NodeAttribute::Label("topology.kubernetes.io/zone".into()),
            false,
            "eu-1",
        ));
        assert_eq!(
            (zone.key.as_str(), zone.operator, zone.values),
            (
                "topology.kubernetes.io/zone",
                "NotIn",
                vec!["eu-1".to_string()]
            )
        );
        assert_eq!(Affinity::from_placement(&[]), None);
    }
}
