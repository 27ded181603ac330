//! The validated, resolved model of a stack: what every emitter reads.
//! Nothing here refers to syntax; every value is checked and every template
//! already rendered, so emitters cannot fail on user input.

mod build;
mod ci;
mod command;
mod component;
mod duration;
mod env_values;
mod environment;
mod file_object;
mod file_reference;
mod graph;
mod health;
mod network;
mod orchestrator;
mod pass_through;
mod placement;
mod protocol;
mod proxy;
mod reference_syntax;
mod resources;
mod rolling_update;
mod runner;
mod slot;
mod strategy;
mod subnet;
mod swarm_key;
mod text;
mod workload;

pub use build::Build;
pub use ci::{Ci, CiProvider, CiSecret, TestStage};
pub use command::Command;
pub use component::{
    reachable, Component, Deploy, EnvVar, Fixture, Kpi, Port, Route, TestSuite, Tolerance,
    HUNDRED_PERCENT,
};
pub use duration::format_duration;
pub use env_values::EnvValues;
pub use environment::{Environment, Toggle};
pub use file_object::{FileObject, FileSource};
pub use file_reference::FileReference;
pub use graph::Graph;
pub use health::{Health, HealthCheck, HealthKind};
pub use network::Network;
pub use orchestrator::Orchestrator;
pub use pass_through::{PassValue, MODELLED_COMPOSE_KEYS};
pub use placement::{Constraint, NodeAttribute};
pub use protocol::Protocol;
pub use proxy::{Proxy, RuntimeApi, DEFAULT_HTTP_PORT, DEFAULT_PROXY_IMAGE, DEFAULT_STATS_PORT};
pub use reference_syntax::{parse_reference, split_references, SyntaxError};
pub use resources::{
    cpus_decimal, cpus_kubernetes, memory_compose, memory_kubernetes, Amounts, Resources,
};
pub use rolling_update::{RollingUpdate, UpdateOrder};
pub use runner::Runner;
pub use slot::{Slot, PROXY_SERVICE};
pub use strategy::Strategy;
pub use subnet::Subnet;
pub use swarm_key::{SwarmKey, MERGED_DEPLOY_KEYS};
pub use text::{Text, TextPart, VarOperator};
pub use workload::Workload;

/// The name of the environment that test stacks are rendered for.
pub const TEST_ENVIRONMENT: &str = "test";

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Model {
    pub stack: Stack,
    /// Spec files, relative to the workspace root, in the order they were loaded.
    pub sources: Vec<String>,
    /// Declared order; a `test` environment is added when none is declared.
    pub environments: Vec<Environment>,
    /// Topological order: every component comes after its dependencies,
    /// ties broken by name.
    pub components: Vec<Component>,
    pub toggles: Vec<Toggle>,
    pub graph: Graph,
    /// The declared `secret` blocks that some component uses, by name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<FileObject>,
    /// The declared `config` blocks that some component uses, by name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub configs: Vec<FileObject>,
    /// The declared networks (`network NAME { }`), sorted by name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub networks: Vec<Network>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Stack {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registry: Option<String>,
    /// The `ci` block: which CI pipelines to write; `None` writes none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ci: Option<Ci>,
}

impl Model {
    /// The component `name`.
    pub fn component(&self, name: &str) -> Option<&Component> {
        // The analyser stores components in graph order, so the graph's
        // position finds them; the scan serves models built otherwise.
        self.graph
            .position(name)
            .and_then(|i| self.components.get(i))
            .filter(|c| c.name == name)
            .or_else(|| self.components.iter().find(|c| c.name == name))
    }

    /// The component at `position` in the graph's order.
    fn component_at(&self, position: usize) -> Option<&Component> {
        // The analyser stores components in graph order; models built
        // otherwise are looked up by name.
        let name = self.graph.name(position)?;
        self.components
            .get(position)
            .filter(|c| c.name == name)
            .or_else(|| self.component(name))
    }

    /// The declared network `name`.
    pub fn network(&self, name: &str) -> Option<&Network> {
        self.networks.iter().find(|n| n.name == name)
    }

    /// The environment `name`.
    pub fn environment(&self, name: &str) -> Option<&Environment> {
        self.environments.iter().find(|e| e.name == name)
    }

    /// The environments that run on `orchestrator`, in declared order.
    pub fn environments_on(
        &self,
        orchestrator: Orchestrator,
    ) -> impl Iterator<Item = &Environment> {
        self.environments
            .iter()
            .filter(move |e| e.orchestrator == orchestrator)
    }

    /// The environment test stacks are rendered for.
    pub fn test_environment(&self) -> Option<&Environment> {
        self.environment(TEST_ENVIRONMENT)
    }

    /// `name`'s transitive dependencies (not `name` itself), dependencies first.
    pub fn closure(&self, name: &str) -> impl Iterator<Item = &Component> {
        self.graph
            .closure_positions(name)
            .into_iter()
            .filter_map(|at| self.component_at(at))
    }

    /// Everything that depends on `name`, directly or not, in topological order.
    pub fn dependents(&self, name: &str) -> impl Iterator<Item = &Component> {
        self.graph
            .dependents_positions(name)
            .into_iter()
            .filter_map(|at| self.component_at(at))
    }
}
