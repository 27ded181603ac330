//! The part of the template context every component of one environment
//! sees: `env`, `stack`, `components` and each component by its name.

use std::sync::Arc;

use fnv::FnvHashMap;
use minijinja::value::Value as JinjaValue;

/// One environment's shared context. Its top-level names are looked up in
/// a hash map: the context held every component, and a lookup in
/// minijinja's ordered map compared `Value`s all the way down (a third of
/// rendering in a large workspace). The component maps are built once and
/// shared by every environment.
#[derive(Debug, Clone)]
pub struct SharedContext {
    env: JinjaValue,
    stack: JinjaValue,
    /// Every component by name, as `components["NAME"]` reads it.
    components: JinjaValue,
    /// The same, for a lookup of a bare name.
    by_name: Arc<FnvHashMap<String, JinjaValue>>,
}

impl SharedContext {
    /// The context of environment `env` (its `env` value) in stack `stack`
    /// (its `stack` value); `components` holds each component's value by
    /// name, `by_name` the same entries.
    pub fn new(
        env: JinjaValue,
        stack: JinjaValue,
        components: JinjaValue,
        by_name: Arc<FnvHashMap<String, JinjaValue>>,
    ) -> SharedContext {
        SharedContext {
            env,
            stack,
            components,
            by_name,
        }
    }

    /// The value of the top-level name `name`, as a map holding every
    /// component and then `components`, `env` and `stack` (which win over a
    /// component of the same name) would give it.
    pub fn get(&self, name: &str) -> Option<JinjaValue> {
        match name {
            "env" => Some(self.env.clone()),
            "stack" => Some(self.stack.clone()),
            "components" => Some(self.components.clone()),
            _ => self.by_name.get(name).cloned(),
        }
    }
}
