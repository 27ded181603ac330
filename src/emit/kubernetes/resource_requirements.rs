//! A container's `resources`, from the spec's `resources { }` block.

use indexmap::IndexMap;
use serde::Serialize;

use crate::model::{cpus_kubernetes, memory_kubernetes, Amounts, Resources};

/// Kubernetes' `ResourceRequirements`: `requests` and `limits`, each
/// `cpu` (millicores, or whole CPUs: `500m`, `2`) and `memory` (in the
/// largest binary unit that divides it: `256Mi`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResourceRequirements {
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub requests: IndexMap<String, String>,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub limits: IndexMap<String, String>,
}

impl ResourceRequirements {
    /// The requirements the spec gives; `None` when it gives none.
    pub fn from_resources(resources: &Resources) -> Option<ResourceRequirements> {
        if resources.is_empty() {
            return None;
        }
        Some(ResourceRequirements {
            requests: quantities(&resources.requests),
            limits: quantities(&resources.limits),
        })
    }
}

/// `cpu` and `memory`, those given.
fn quantities(amounts: &Amounts) -> IndexMap<String, String> {
    let mut out = IndexMap::new();
    if let Some(millis) = amounts.cpu_millis {
        out.insert("cpu".to_string(), cpus_kubernetes(millis));
    }
    if let Some(bytes) = amounts.memory_bytes {
        out.insert("memory".to_string(), memory_kubernetes(bytes));
    }
    out
}
