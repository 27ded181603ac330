//! The template context's names and shapes, as the reference check sees it.

use std::collections::{BTreeMap, BTreeSet};

use fnv::FnvHashMap;

/// What a template may refer to: the names and shapes of the context.
/// Names borrow the drafts': copies of every component's names and ports
/// were a few hundred bytes per component, alive at the analysis' peak.
pub struct Scope<'a> {
    /// Component name → its ports; hashed, as every reference to a
    /// component looks its name up.
    pub components: FnvHashMap<&'a str, ComponentPorts<'a>>,
    /// Every component's name, sorted: the candidates did-you-mean lists.
    pub component_names: Vec<&'a str>,
    /// Environment names, in order.
    pub environments: Vec<String>,
    /// Environment variable name → environments that define it.
    pub env_vars: BTreeMap<String, BTreeSet<String>>,
    /// Names of `vars` some environment wrote with a mistake already
    /// reported, and components whose `ports` had one: references to them
    /// are not checked (they would only repeat that mistake).
    pub in_doubt: InDoubt,
    pub has_registry: bool,
    /// The `test` environment was added by stackc, not declared.
    pub implicit_test: bool,
    /// Component name → the names its `depends_on` lists, known or not:
    /// a template naming an unknown dependency is already reported (E0102).
    pub listed_dependencies: FnvHashMap<&'a str, &'a [String]>,
}

/// Parts of the context a mistake elsewhere left incomplete.
#[derive(Default)]
pub struct InDoubt {
    /// `vars` names.
    pub vars: BTreeSet<String>,
    /// Component names whose ports are not all known.
    pub ports: BTreeSet<String>,
}

impl InDoubt {
    /// Nothing is in doubt.
    pub fn is_empty(&self) -> bool {
        self.vars.is_empty() && self.ports.is_empty()
    }
}

/// The names of one component's ports, as templates see them.
#[derive(Default)]
pub struct ComponentPorts<'a> {
    /// Every declared port (`ports.NAME`), in declared order.
    pub declared: Vec<&'a str>,
    /// The published ones (`published.NAME`), in declared order.
    pub published: Vec<&'a str>,
}
