//! `metadata` of every object stackc writes: its name and the
//! `app.kubernetes.io/*` labels.

use indexmap::IndexMap;
use serde::Serialize;

/// The label naming the component an object belongs to.
pub const NAME_LABEL: &str = "app.kubernetes.io/name";
/// The label naming the stack.
pub const PART_OF_LABEL: &str = "app.kubernetes.io/part-of";
/// The label naming the tool that wrote the object.
pub const MANAGED_BY_LABEL: &str = "app.kubernetes.io/managed-by";

/// Kubernetes' `ObjectMeta`, as much of it as stackc writes. No
/// `namespace`: the manifests are applied to the namespace the operator
/// chooses (`kubectl apply -n NAMESPACE -f kubernetes/ENV/`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObjectMeta {
    pub name: String,
    pub labels: IndexMap<String, String>,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub annotations: IndexMap<String, String>,
}

impl ObjectMeta {
    /// The metadata of the object `name` belonging to `component` of `stack`.
    pub fn new(name: impl Into<String>, stack: &str, component: &str) -> ObjectMeta {
        ObjectMeta {
            name: name.into(),
            labels: labels(stack, component),
            annotations: IndexMap::new(),
        }
    }
}

/// Every label stackc puts on the objects and pods of `component`:
/// `app.kubernetes.io/name` (the component), `app.kubernetes.io/part-of`
/// (the stack) and `app.kubernetes.io/managed-by: stackc`.
pub fn labels(stack: &str, component: &str) -> IndexMap<String, String> {
    let mut labels = selector(stack, component);
    labels.insert(MANAGED_BY_LABEL.to_string(), "stackc".to_string());
    labels
}

/// The labels that select `component`'s pods: its name and its stack's
/// (never changed by stackc, since a workload's selector is immutable).
pub fn selector(stack: &str, component: &str) -> IndexMap<String, String> {
    IndexMap::from([
        (NAME_LABEL.to_string(), component.to_string()),
        (PART_OF_LABEL.to_string(), stack.to_string()),
    ])
}
