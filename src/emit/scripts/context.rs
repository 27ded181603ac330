//! What the script templates see: a plain view of the Model, shaped for
//! bash (lists in the order the script uses them, names derived once).

use std::sync::Arc;

use minijinja::value::Value;
use serde::Serialize;

use super::closure::Closure;
use super::family::{Family, FAMILIES};
use super::swarm_context::SwarmContext;
use super::task::{Task, TASKS};
use crate::emit::compose::{test_stack_project, whole_stack_project};
use crate::model::{
    Build, Component, Environment, Graph, HealthCheck, Kpi, Model, Orchestrator, Port, RuntimeApi,
    Strategy, Text, TEST_ENVIRONMENT,
};
use crate::shell::variable_suffix;

#[derive(Debug, Serialize)]
pub struct ScriptContext {
    pub stack: String,
    /// Spec files, for the header.
    pub sources: Vec<String>,
    /// The entry spec's file name; the script finds the workspace root by
    /// looking for it upwards from its own folder.
    pub stackfile: String,
    /// The environment `up`, `down`, `ps`, `logs` and `wait` use by default.
    pub default_environment: String,
    pub environments: Vec<EnvironmentContext>,
    /// Dependencies before dependents: a list of [`ComponentContext`],
    /// made a template value once (the three files each render with the
    /// whole context, which then copies this list by reference).
    pub components: Value,
    /// The components' names, in the same order; of those with a route;
    /// of those with a build context: lists the three files write several
    /// times, made template values once.
    pub component_names: Value,
    pub routed_names: Value,
    pub built_names: Value,
    /// The tasks of this model: every row of [`TASKS`] but the deploy
    /// family's when no component has a route, and the swarm family's when
    /// no environment runs on Swarm.
    pub tasks: Vec<&'static Task>,
    /// The task families' templates, in the order `stack` includes them
    /// (the same filter).
    pub task_families: Vec<&'static Family>,
    /// Whether some component has a route: then HAProxy runs in every
    /// environment, and the runner has the deploy tasks.
    pub routed: bool,
    /// Whether some environment runs on a cluster (Swarm, Kubernetes).
    pub clustered: bool,
    /// Whether some component's build gives options (`dockerfile`,
    /// `target`, `args`, `labels`): only then does the script carry the
    /// code that passes them to `docker build`.
    pub build_options: bool,
    /// The options of this model's tasks that take a value.
    pub value_options: Vec<&'static str>,
    /// The environments that run on Docker Swarm, in declared order; with
    /// any, the runner has the swarm tasks.
    pub swarm: Vec<SwarmContext>,
    /// The Compose file format of the stack files (`swarm:deploy` writes
    /// its image overrides in the same).
    pub swarm_version: &'static str,
}

#[derive(Debug, Serialize)]
pub struct EnvironmentContext {
    pub name: String,
    /// Written with the `shell_assignment` filter (see [`assignment`]).
    pub host: Value,
    /// Its whole-stack file's Compose project name (`name:`), which the
    /// script suffixes with `STACK_RUN_ID` when that is set.
    pub project: String,
    pub proxy: ProxyContext,
    /// Where it runs: the tasks that use its whole-stack Compose file
    /// refuse an environment on a cluster.
    pub orchestrator: Orchestrator,
}

/// An environment's HAProxy, as the deploy tasks reach it.
#[derive(Debug, Serialize)]
pub struct ProxyContext {
    /// The host port of the HTTP frontend.
    pub http_port: u16,
    /// `unix` (the socket in the state folder) or `tcp`.
    pub runtime_api: &'static str,
    /// A TCP runtime API's loopback address and port.
    pub runtime_address: Option<String>,
    pub runtime_port: Option<u16>,
}

#[derive(Debug, Serialize)]
pub struct ComponentContext {
    pub name: String,
    /// The image, with its run-time references (a tag from CI) for the
    /// script to expand (written with `shell_assignment`, see
    /// [`assignment`]); `image_shown` is how it reads in messages.
    pub image: Value,
    pub image_shown: String,
    /// Its build context, relative to the workspace root.
    pub build: Option<String>,
    /// Its build's options, `None` when it gives none.
    pub build_options: Option<BuildOptionsContext>,
    /// Its test stack's Compose project name (`name:`), which the script
    /// suffixes per run.
    pub test_project: String,
    /// Transitive dependencies, dependencies first, without the component
    /// (listed when a template reads them).
    pub closure: Closure,
    pub ports: Vec<PortContext>,
    /// The port a suite addresses by default (`STACK_PORT`): the health
    /// check's port when it is published, else the first published port.
    pub main_port: Option<PortContext>,
    pub health: Option<HealthContext>,
    pub fixtures: Vec<FixtureContext>,
    pub tests: Vec<SuiteContext>,
    /// The names of `tests`, listed once for the three files.
    pub suite_names: Vec<String>,
    /// What the deploy tasks need; `None` without a route.
    pub route: Option<RoutedContext>,
}

/// A routed component as the deploy tasks see it: its HAProxy backend and
/// slots, its deploy and the KPIs that judge it, defaults filled in.
#[derive(Debug, Serialize)]
pub struct RoutedContext {
    /// The HAProxy backend (the component's name).
    pub backend: String,
    /// `canary`, `blue_green` or `recreate`.
    pub strategy: &'static str,
    /// The canary's HAProxy weight at each step, out of 100 (the stable slot
    /// gets the rest): each step rounded to a whole percent, at least 1.
    pub weights: Vec<u64>,
    /// The length of a judged window, in milliseconds.
    pub interval_ms: u64,
    /// How long HAProxy's check may take to mark a started slot UP, in
    /// milliseconds (the health check's timeout), and as the spec writes it.
    pub health_timeout_ms: u64,
    pub health_timeout_text: String,
    /// HAProxy's check interval, in milliseconds (how often the wait polls).
    pub health_interval_ms: u64,
    /// Error-rate tolerances, in thousandths of a percent.
    pub error_rate_limit: Option<u64>,
    pub error_rate_over_stable: Option<u64>,
    /// Response-time tolerances, in milliseconds.
    pub response_time_limit: Option<u64>,
    pub response_time_over_stable: Option<u64>,
    pub min_requests: u64,
    pub failures: u64,
    pub inconclusive_limit: u64,
    /// The first route's host and path, where the acceptance suite reaches it.
    pub route_host: String,
    pub route_path: String,
    /// Whether it has an `acceptance` test suite.
    pub acceptance: bool,
    /// `STACK_IMAGE_<COMPONENT>`: with `_BLUE` or `_GREEN`, the variable
    /// the environment's Compose file reads a slot's image from.
    pub image_variable: String,
}

/// The deploy of a routed component without a `deploy { }` block: the
/// analyser's defaults (a canary at 10 %, 50 %, 100 %, 30 s windows).
const DEFAULT_STEPS: [u64; 3] = [10_000, 50_000, 100_000];
const DEFAULT_INTERVAL_MS: u64 = 30_000;

/// The health deadline and check interval when a routed component has no
/// health check (the analyser requires one; this keeps the script total).
const DEFAULT_HEALTH_TIMEOUT_MS: u64 = 60_000;
const DEFAULT_HEALTH_INTERVAL_MS: u64 = 2_000;

/// The judgement of a routed component without a `kpi { }` block: health
/// only, with the analyser's counts.
const DEFAULT_KPI: Kpi = Kpi {
    error_rate: None,
    response_time: None,
    min_requests: 20,
    failures: 1,
    inconclusive_limit: 10,
};

/// The name of the suite a deploy runs against the routed address.
pub const ACCEPTANCE_SUITE: &str = "acceptance";

#[derive(Debug, Clone, Serialize)]
pub struct PortContext {
    pub name: String,
    /// `STACK_PORT_<NAME>`, the variable a suite reads it from.
    pub variable: String,
    pub container: u16,
    pub published: Option<u16>,
}

#[derive(Debug, Serialize)]
pub struct HealthContext {
    /// `http`, `tcp` or `command`.
    pub kind: &'static str,
    pub path: Option<String>,
    pub command: Option<String>,
    pub port: Option<PortContext>,
    pub interval_ms: u64,
    pub timeout_ms: u64,
    /// The timeout as the spec would write it (`90s`), for messages.
    pub timeout_text: String,
}

/// What `docker build` is told besides the context: `--file`, `--target`,
/// `--build-arg` and `--label`, as Compose builds the same image.
#[derive(Debug, Serialize)]
pub struct BuildOptionsContext {
    /// The Dockerfile, relative to the workspace root (`docker build -f`
    /// reads a relative path against the working folder, not the context).
    pub file: Option<String>,
    pub target: Option<String>,
    pub args: Vec<BuildValueContext>,
    pub labels: Vec<BuildValueContext>,
}

/// One build argument or label: its name and its value, whose run-time
/// references the script expands.
#[derive(Debug, Serialize)]
pub struct BuildValueContext {
    pub name: String,
    /// Written with `shell_assignment` (see [`assignment`]).
    pub value: Value,
}

impl BuildOptionsContext {
    fn new(build: &Build) -> Option<BuildOptionsContext> {
        if !build.has_options() {
            return None;
        }
        let values = |values: &[(String, Text)]| {
            values
                .iter()
                .map(|(name, value)| BuildValueContext {
                    name: name.clone(),
                    value: assignment(value),
                })
                .collect()
        };
        Some(BuildOptionsContext {
            file: build.dockerfile.as_ref().map(|_| build.dockerfile_path()),
            target: build.target.clone(),
            args: values(&build.args),
            labels: values(&build.labels),
        })
    }
}

#[derive(Debug, Serialize)]
pub struct FixtureContext {
    pub service: String,
    /// Written with `shell_assignment` (see [`assignment`]).
    pub image: Value,
    pub build: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct SuiteContext {
    pub name: String,
    pub runner: Option<String>,
    pub path: Option<String>,
    pub command: Option<String>,
}

/// `text` as the right-hand side of a bash assignment, its run-time
/// references expanded ([`crate::shell::assignment`]), computed once: a
/// safe string, which the `shell_assignment` filter passes through (an
/// image is written three times per component).
fn assignment(text: &Text) -> Value {
    Value::from_safe_string(crate::shell::assignment(text))
}

impl ScriptContext {
    pub fn new(model: &Model) -> ScriptContext {
        let stackfile = model
            .sources
            .first()
            .map(|s| s.rsplit('/').next().unwrap_or(s).to_string())
            .unwrap_or_else(|| "Stackfile".to_string());
        let routed = model.components.iter().any(|c| !c.routes.is_empty());
        let swarm: Vec<SwarmContext> = model
            .environments_on(crate::model::Orchestrator::Swarm)
            .map(|e| SwarmContext::new(model, e))
            .collect();
        let graph = Arc::new(model.graph.clone());
        let tasks: Vec<&'static Task> = TASKS
            .iter()
            .filter(|t| t.family.present(routed, !swarm.is_empty()))
            .collect();
        let value_options = crate::emit::scripts::task::VALUE_OPTIONS
            .iter()
            .copied()
            .filter(|option| tasks.iter().any(|t| t.options.contains(option)))
            .collect();
        let names = |keep: fn(&Component) -> bool| {
            Value::from_serialize(
                model
                    .components
                    .iter()
                    .filter(|c| keep(c))
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>(),
            )
        };
        ScriptContext {
            component_names: names(|_| true),
            routed_names: names(|c| !c.routes.is_empty()),
            // Those a template would pick by `selectattr("build")`: a
            // build context, and not an empty one.
            built_names: names(|c| c.build.as_ref().is_some_and(|b| !b.context.is_empty())),
            stack: model.stack.name.clone(),
            sources: model.sources.clone(),
            stackfile,
            default_environment: TEST_ENVIRONMENT.to_string(),
            environments: model
                .environments
                .iter()
                .map(|e| EnvironmentContext {
                    name: e.name.clone(),
                    host: assignment(&e.host),
                    project: whole_stack_project(&model.stack.name, &e.name),
                    proxy: ProxyContext::new(e),
                    orchestrator: e.orchestrator,
                })
                .collect(),
            components: Value::from_serialize(
                model
                    .components
                    .iter()
                    .map(|c| ComponentContext::new(model, &graph, c))
                    .collect::<Vec<_>>(),
            ),
            tasks,
            task_families: FAMILIES
                .iter()
                .copied()
                .filter(|f| f.present(routed, !swarm.is_empty()))
                .collect(),
            routed,
            build_options: model
                .components
                .iter()
                .any(|c| c.build.as_ref().is_some_and(Build::has_options)),
            clustered: model
                .environments
                .iter()
                .any(|e| e.orchestrator != Orchestrator::Compose),
            value_options,
            swarm_version: crate::emit::swarm::VERSION,
            swarm,
        }
    }
}

impl ComponentContext {
    fn new(model: &Model, graph: &Arc<Graph>, component: &Component) -> ComponentContext {
        let ports: Vec<PortContext> = component.ports.iter().map(PortContext::new).collect();
        let health = component.health.as_ref().map(|health| {
            let (kind, path, command, port) = match &health.check {
                HealthCheck::Http { path, port } => (
                    "http",
                    Some(path.clone()),
                    None,
                    Some(PortContext::new(port)),
                ),
                HealthCheck::Tcp { port } => ("tcp", None, None, Some(PortContext::new(port))),
                HealthCheck::Command { command } => ("command", None, Some(command.clone()), None),
            };
            HealthContext {
                kind,
                path,
                command,
                port,
                interval_ms: health.interval_ms,
                timeout_ms: health.timeout_ms,
                timeout_text: crate::model::format_duration(health.timeout_ms),
            }
        });
        let main_port = health
            .as_ref()
            .and_then(|h| h.port.clone())
            .filter(|p| p.published.is_some())
            .or_else(|| ports.iter().find(|p| p.published.is_some()).cloned());
        ComponentContext {
            name: component.name.clone(),
            image: assignment(&component.image),
            image_shown: component.image.display(),
            build: component.build.as_ref().map(|b| b.context.clone()),
            build_options: component.build.as_ref().and_then(BuildOptionsContext::new),
            test_project: test_stack_project(&model.stack.name, &component.name),
            closure: Closure::new(graph, &component.name),
            ports,
            main_port,
            health,
            fixtures: component
                .fixtures
                .iter()
                .map(|f| FixtureContext {
                    service: f.service.clone(),
                    image: assignment(&f.image),
                    build: f.build.clone(),
                })
                .collect(),
            tests: component
                .tests
                .iter()
                .map(|t| SuiteContext {
                    name: t.name.clone(),
                    runner: t.runner.map(|r| r.as_str().to_string()),
                    path: t.path.clone(),
                    command: t.command.clone(),
                })
                .collect(),
            suite_names: component.tests.iter().map(|t| t.name.clone()).collect(),
            route: RoutedContext::new(component),
        }
    }
}

impl ProxyContext {
    fn new(environment: &Environment) -> ProxyContext {
        let proxy = &environment.proxy;
        let (runtime_api, runtime_address, runtime_port) = match &proxy.runtime_api {
            RuntimeApi::UnixSocket => ("unix", None, None),
            RuntimeApi::Tcp { address, port } => ("tcp", Some(address.clone()), Some(*port)),
        };
        ProxyContext {
            http_port: proxy.http_port,
            runtime_api,
            runtime_address,
            runtime_port,
        }
    }
}

impl RoutedContext {
    fn new(component: &Component) -> Option<RoutedContext> {
        let route = component.routes.first()?;
        let (strategy, steps, interval_ms) = match &component.deploy {
            Some(deploy) => (deploy.strategy, deploy.steps.clone(), deploy.interval_ms),
            None => (
                Strategy::Canary,
                DEFAULT_STEPS.to_vec(),
                DEFAULT_INTERVAL_MS,
            ),
        };
        // All traffic at once: the old slot stops (recreate) or stays
        // beside the new one (blue_green) until the one step is judged.
        let steps = match strategy {
            Strategy::Canary => steps,
            Strategy::BlueGreen | Strategy::Recreate => vec![100_000],
        };
        let kpi = component.kpi.as_ref().unwrap_or(&DEFAULT_KPI);
        let (health_timeout_ms, health_interval_ms) = component
            .health
            .as_ref()
            .map(|h| (h.timeout_ms, h.interval_ms))
            .unwrap_or((DEFAULT_HEALTH_TIMEOUT_MS, DEFAULT_HEALTH_INTERVAL_MS));
        Some(RoutedContext {
            backend: component.name.clone(),
            strategy: strategy.as_str(),
            weights: steps.iter().map(|&step| weight(step)).collect(),
            interval_ms,
            health_timeout_ms,
            health_timeout_text: crate::model::format_duration(health_timeout_ms),
            health_interval_ms,
            error_rate_limit: kpi.error_rate.as_ref().and_then(|t| t.limit),
            error_rate_over_stable: kpi.error_rate.as_ref().and_then(|t| t.over_stable),
            response_time_limit: kpi.response_time.as_ref().and_then(|t| t.limit),
            response_time_over_stable: kpi.response_time.as_ref().and_then(|t| t.over_stable),
            min_requests: kpi.min_requests,
            failures: kpi.failures.max(1),
            inconclusive_limit: kpi.inconclusive_limit.max(1),
            route_host: route.host.clone(),
            route_path: route.path.clone(),
            acceptance: component.test(ACCEPTANCE_SUITE).is_some(),
            image_variable: format!("STACK_IMAGE_{}", variable_suffix(&component.name)),
        })
    }
}

/// A step (thousandths of a percent) as an HAProxy weight out of 100:
/// rounded to a whole percent, at least 1 for a step above 0 %.
fn weight(step: u64) -> u64 {
    let rounded = step.saturating_add(500) / 1000;
    if step > 0 {
        rounded.clamp(1, 100)
    } else {
        0
    }
}

impl PortContext {
    fn new(port: &Port) -> PortContext {
        PortContext {
            name: port.name.clone(),
            variable: format!("STACK_PORT_{}", variable_suffix(&port.name)),
            container: port.container,
            // The task runner finds, probes and hands suites TCP ports
            // only (`docker compose port` looks up TCP): a port served on
            // UDP alone counts as not published here.
            published: port.published.filter(|_| port.serves_tcp()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::weight;

    #[test]
    fn steps_become_whole_percent_weights_of_at_least_one() {
        assert_eq!(weight(0), 0);
        assert_eq!(weight(100), 1);
        assert_eq!(weight(1_499), 1);
        assert_eq!(weight(1_500), 2);
        assert_eq!(weight(25_000), 25);
        assert_eq!(weight(99_600), 100);
        assert_eq!(weight(100_000), 100);
    }
}
