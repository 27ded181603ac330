//! The template context's names and shapes, as the reference check sees it.

use std::collections::{BTreeMap, BTreeSet};

/// What a template may refer to: the names and shapes of the context.
pub struct Scope {
    /// Component name → its port names.
    pub components: BTreeMap<String, Vec<String>>,
    /// Environment names, in order.
    pub environments: Vec<String>,
    /// Environment variable name → environments that define it.
    pub env_vars: BTreeMap<String, BTreeSet<String>>,
    pub has_registry: bool,
    /// The `test` environment was added by stackc, not declared.
    pub implicit_test: bool,
    /// Component name → the names its `depends_on` lists, known or not:
    /// a template naming an unknown dependency is already reported (E0102).
    pub listed_dependencies: BTreeMap<String, Vec<String>>,
}
