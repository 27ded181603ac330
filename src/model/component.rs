//! One component of the stack and everything the spec says about it.

use super::{
    Build, Command, Constraint, EnvValues, FileReference, Health, PassValue, Protocol, Resources,
    Runner, Strategy, Text,
};

/// 100 %, in the thousandths of a percent the Model gives shares in.
pub const HUNDRED_PERCENT: u64 = 100_000;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Component {
    /// Also its Compose service name and its host name on the stack's network.
    pub name: String,
    /// The full image reference, with the stack's registry prefixed when the
    /// spec's image names no registry of its own. May hold run-time
    /// references, typically a tag from CI: `newsroom/api:${VERSION:-latest}`.
    pub image: Text,
    /// How its image is built: the build context (relative to the
    /// workspace root) and the options the spec gives.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build: Option<Build>,
    /// What the container runs instead of the image's own command.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<Command>,
    pub ports: Vec<Port>,
    /// Direct dependencies, in the order written.
    pub depends_on: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health: Option<Health>,
    /// Environment variables in the order written, then feature toggles.
    pub env: Vec<EnvVar>,
    pub fixtures: Vec<Fixture>,
    pub tests: Vec<TestSuite>,
    pub routes: Vec<Route>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deploy: Option<Deploy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kpi: Option<Kpi>,
    /// How many copies of it a cluster runs (Swarm, Kubernetes); at least 1.
    /// One Docker host runs one.
    #[serde(skip_serializing_if = "is_one")]
    pub replicas: u32,
    /// CPU and memory per replica, for clusters.
    #[serde(skip_serializing_if = "Resources::is_empty")]
    pub resources: Resources,
    /// The nodes a cluster may run it on: every constraint must hold.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub placement: Vec<Constraint>,
    /// The declared secrets mounted into its containers (`secrets` entries
    /// that name a `secret` block), in the order written.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<FileReference>,
    /// The declared configs mounted into its containers, in the order written.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub configs: Vec<FileReference>,
    /// Pass-through Compose service keys, in the order written.
    pub compose: Vec<(String, PassValue)>,
    /// The spec file that defines it, relative to the workspace root.
    pub source: String,
}

impl Component {
    /// The port `name`.
    pub fn port(&self, name: &str) -> Option<&Port> {
        self.ports.iter().find(|p| p.name == name)
    }

    /// The test suite `name`.
    pub fn test(&self, name: &str) -> Option<&TestSuite> {
        self.tests.iter().find(|t| t.name == name)
    }

    /// Whether a suite can reach it where an environment runs it (`stack
    /// test:remote C SUITE --env E`): it has a route or publishes a port
    /// served on TCP (the task runner hands suites TCP ports only).
    pub fn reachable(&self) -> bool {
        reachable(&self.routes, self.ports.iter())
    }
}

fn is_one(count: &u32) -> bool {
    *count == 1
}

fn is_false(flag: &bool) -> bool {
    !*flag
}

/// [`Component::reachable`] for a component's routes and ports, for the
/// analyser, which has them before the component exists.
pub fn reachable<'p>(routes: &[Route], mut ports: impl Iterator<Item = &'p Port>) -> bool {
    !routes.is_empty() || ports.any(|p| p.published.is_some() && p.serves_tcp())
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Port {
    pub name: String,
    /// The port the service listens on inside its container.
    pub container: u16,
    /// The host port it is published on in whole-stack files (and in its own
    /// test stack); `None` when the spec says `publish = false`.
    pub published: Option<u16>,
    /// The protocols it is served on, each once, in [`Protocol::ALL`]'s
    /// order; never empty. Left out of the serialized Model when TCP alone.
    #[serde(skip_serializing_if = "is_tcp_only")]
    pub protocols: Vec<Protocol>,
    /// The host address its published port is bound to where an
    /// environment runs on one host, instead of the environment's
    /// `host_ip`: an IP address or a run-time reference to one. `None` when
    /// the spec sets none (or the port is not published).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_ip: Option<Text>,
}

impl Port {
    /// A TCP port bound to the environment's `host_ip`: what `NAME = NUMBER`
    /// and the map form without `protocol` and `host_ip` declare.
    pub fn tcp(name: &str, container: u16, published: Option<u16>) -> Port {
        Port {
            name: name.to_string(),
            container,
            published,
            protocols: vec![Protocol::Tcp],
            host_ip: None,
        }
    }

    /// Whether it is served on TCP: a health check, a route or a port
    /// wait can reach it.
    pub fn serves_tcp(&self) -> bool {
        self.protocols.contains(&Protocol::Tcp)
    }

    /// Whether it is served on UDP.
    pub fn serves_udp(&self) -> bool {
        self.protocols.contains(&Protocol::Udp)
    }

    /// The name of its `protocol` entry where each entry is named
    /// (Kubernetes' container and Service ports): its own name, but
    /// `NAME-udp` for the UDP entry of a port served on both.
    pub fn entry_name(&self, protocol: Protocol) -> String {
        if protocol == Protocol::Udp && self.serves_tcp() {
            format!("{}-udp", self.name)
        } else {
            self.name.clone()
        }
    }
}

fn is_tcp_only(protocols: &[Protocol]) -> bool {
    protocols == [Protocol::Tcp]
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EnvVar {
    pub name: String,
    /// The resolved value in every environment of the model, by environment
    /// name. Shared by the variables whose values are the same (a template
    /// that reads neither `self` nor differs by component, a plain value, a
    /// toggle): one for all of them, not one per component.
    pub values: std::sync::Arc<EnvValues>,
    /// The spec lists it in the component's `secrets`: Kubernetes reads it
    /// from a Secret, never from a ConfigMap.
    #[serde(skip_serializing_if = "is_false")]
    pub secret: bool,
}

impl EnvVar {
    /// The value in `environment`.
    pub fn value(&self, environment: &str) -> Option<&Text> {
        self.values.get(environment)
    }
}

/// A one-shot loader, run once its target is up, that puts test data into it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Fixture {
    /// Compose service name: `<component>-fixtures-<target>`.
    pub service: String,
    /// The dependency the data is loaded into.
    pub target: String,
    pub image: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TestSuite {
    pub name: String,
    /// The runner the spec names, or `None` to infer it from the build context.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runner: Option<Runner>,
    /// Where the suite lives, relative to the component's build context.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// An explicit command; always wins over the runner.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Route {
    pub name: String,
    pub host: String,
    /// Path prefix, starting with `/`.
    pub path: String,
    pub port: Port,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Deploy {
    pub strategy: Strategy,
    /// Traffic weights in thousandths of a percent, strictly increasing, ending at 100 %.
    pub steps: Vec<u64>,
    /// Time at each step before the KPIs are judged, in milliseconds.
    pub interval_ms: u64,
}

/// Tolerances judged during a deploy; exceeding them rolls back.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Kpi {
    /// Share of 5xx responses, in thousandths of a percent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_rate: Option<Tolerance>,
    /// HAProxy's average response time (`rtime`, over the server's last
    /// 1,024 responses), in milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_time: Option<Tolerance>,
    /// Responses the canary must have served in a window before the window
    /// is judged; a window with fewer is inconclusive, never a failure.
    pub min_requests: u64,
    /// Consecutive bad windows that roll back.
    pub failures: u64,
    /// Consecutive inconclusive windows (not enough traffic) at one step
    /// after which the deploy fails safe and rolls back.
    pub inconclusive_limit: u64,
}

/// The limits on one KPI. A window is bad for the KPI when the canary
/// exceeds either limit given (both must hold).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Tolerance {
    /// `error_rate < 1%`: an absolute ceiling.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u64>,
    /// `error_rate < stable + 0.5%`: the most the canary may exceed the
    /// stable slot's value measured over the same window.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub over_stable: Option<u64>,
}

impl Tolerance {
    /// Only an absolute ceiling.
    pub fn limit(limit: u64) -> Tolerance {
        Tolerance {
            limit: Some(limit),
            over_stable: None,
        }
    }
}
