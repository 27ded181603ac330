//! A component's transitive dependencies as the script templates see them:
//! a sequence listed only when a template reads it. The task runner prints
//! every component's closure (`stack_closure`), so the lists of a deep
//! workspace together grow with the square of its size (1.1 GiB of strings
//! and their template values for 5,000 components): listed one at a time,
//! only the script's own text is held.

use std::sync::Arc;

use minijinja::value::{Enumerator, Object, ObjectRepr, Value};
use serde::{Serialize, Serializer};

use crate::model::Graph;

/// The closure of component `name` in `graph`: its transitive
/// dependencies, dependencies first, without the component.
#[derive(Debug, Clone)]
pub struct Closure {
    graph: Arc<Graph>,
    name: String,
}

impl Closure {
    /// The closure of `name` (empty when `graph` does not know it).
    pub fn new(graph: &Arc<Graph>, name: &str) -> Closure {
        Closure {
            graph: Arc::clone(graph),
            name: name.to_string(),
        }
    }

    /// The names, dependencies first (what the sequence lists).
    pub fn names(&self) -> impl Iterator<Item = &str> + '_ {
        self.graph.closure(&self.name)
    }
}

impl Object for Closure {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    /// Counted without listing (`{% if c.closure %}`).
    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        Some(self.graph.closure_positions(&self.name).len())
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Values(self.graph.closure(&self.name).map(Value::from).collect())
    }
}

/// Into a template context it goes as the object itself, not as a list
/// (minijinja keeps objects whole through its own serializer).
impl Serialize for Closure {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Value::from_object(self.clone()).serialize(serializer)
    }
}
