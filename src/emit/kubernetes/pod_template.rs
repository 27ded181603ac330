//! The pod template of a component's Deployment or Rollout.

use indexmap::IndexMap;
use serde::Serialize;

use super::affinity::Affinity;
use super::container::Container;
use super::object_meta::labels;
use crate::model::Component;

/// The pod annotation holding the SHA-256 of the ConfigMap's data, so that
/// a change of a variable's value changes the pod template and rolls the
/// pods (Kubernetes does not restart pods when a ConfigMap changes).
pub const CONFIG_HASH_ANNOTATION: &str = "stackc/config-sha256";

/// Kubernetes' `PodTemplateSpec`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PodTemplateSpec {
    pub metadata: PodMetadata,
    pub spec: PodSpec,
}

/// A pod's labels and annotations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PodMetadata {
    pub labels: IndexMap<String, String>,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub annotations: IndexMap<String, String>,
}

/// Kubernetes' `PodSpec`: one container, and where it may run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PodSpec {
    pub containers: Vec<Container>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub affinity: Option<Affinity>,
}

impl PodTemplateSpec {
    /// The pods of `component` in a stack named `stack`; `config_hash` is
    /// the hash of its ConfigMap's data when it has one.
    pub fn of(stack: &str, component: &Component, config_hash: Option<String>) -> PodTemplateSpec {
        let mut annotations = IndexMap::new();
        if let Some(hash) = config_hash {
            annotations.insert(CONFIG_HASH_ANNOTATION.to_string(), hash);
        }
        PodTemplateSpec {
            metadata: PodMetadata {
                labels: labels(stack, &component.name),
                annotations,
            },
            spec: PodSpec {
                containers: vec![Container::of(component, &component.name)],
                affinity: Affinity::from_placement(&component.placement),
            },
        }
    }
}
