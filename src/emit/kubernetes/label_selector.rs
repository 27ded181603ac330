//! A workload's `selector`.

use indexmap::IndexMap;
use serde::Serialize;

use super::object_meta::selector;

/// Kubernetes' `LabelSelector`, by labels only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelSelector {
    pub match_labels: IndexMap<String, String>,
}

impl LabelSelector {
    /// The selector of `component`'s pods (see [`selector`]).
    pub fn of(stack: &str, component: &str) -> LabelSelector {
        LabelSelector {
            match_labels: selector(stack, component),
        }
    }
}
