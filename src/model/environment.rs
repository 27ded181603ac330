//! Environments and the feature toggles that vary across them.

use std::collections::BTreeMap;

use super::{Orchestrator, Proxy, Text};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Environment {
    pub name: String,
    /// The address where the environment's published ports are reached;
    /// may hold a run-time reference such as `${DOCKER_HOST_IP:-127.0.0.1}`.
    pub host: Text,
    /// The host address the environment's published ports are bound to
    /// (Compose's `host_ip`), an IP address or a run-time reference to one;
    /// `None` binds them on every address of the host.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_ip: Option<Text>,
    /// How routed traffic enters this environment (the `proxy { }` block,
    /// defaults filled in); used only when some component has a route.
    pub proxy: Proxy,
    /// Where it runs: one Docker host (the default), a Swarm, Kubernetes.
    #[serde(skip_serializing_if = "Orchestrator::is_compose")]
    pub orchestrator: Orchestrator,
    /// Declared order.
    pub vars: Vec<(String, Text)>,
    /// False for the `test` environment stackc adds when none is declared.
    pub declared: bool,
}

/// A named switch with a value per environment, reaching every component it
/// applies to as an environment variable (`true` / `false`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Toggle {
    pub name: String,
    /// The environment variable, `FEATURE_<NAME>` unless the spec says otherwise.
    pub variable: String,
    /// A value for every environment of the model.
    pub values: BTreeMap<String, bool>,
    /// The components that see it, by name, sorted; every component when the spec names none.
    pub components: Vec<String>,
}
