//! What the script templates see: a plain view of the Model, shaped for
//! bash (lists in the order the script uses them, names derived once).

use serde::Serialize;

use super::family::{Family, FAMILIES};
use super::task::{Task, TASKS};
use crate::emit::compose::{test_stack_project, whole_stack_project};
use crate::model::{Component, HealthCheck, Model, Port, Text, TEST_ENVIRONMENT};
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
    /// Dependencies before dependents.
    pub components: Vec<ComponentContext>,
    pub tasks: &'static [Task],
    /// The task families' templates, in the order `stack` includes them.
    pub task_families: &'static [&'static Family],
}

#[derive(Debug, Serialize)]
pub struct EnvironmentContext {
    pub name: String,
    /// Rendered with the `shell_assignment` filter.
    pub host: Text,
    /// Its whole-stack file's Compose project name (`name:`), which the
    /// script suffixes with `STACK_RUN_ID` when that is set.
    pub project: String,
}

#[derive(Debug, Serialize)]
pub struct ComponentContext {
    pub name: String,
    /// The image, with its run-time references (a tag from CI) for the
    /// script to expand; `image_shown` is how it reads in messages.
    pub image: Text,
    pub image_shown: String,
    pub build: Option<String>,
    /// Its test stack's Compose project name (`name:`), which the script
    /// suffixes per run.
    pub test_project: String,
    /// Transitive dependencies, dependencies first, without the component.
    pub closure: Vec<String>,
    pub ports: Vec<PortContext>,
    /// The port a suite addresses by default (`STACK_PORT`): the health
    /// check's port when it is published, else the first published port.
    pub main_port: Option<PortContext>,
    pub health: Option<HealthContext>,
    pub fixtures: Vec<FixtureContext>,
    pub tests: Vec<SuiteContext>,
}

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

#[derive(Debug, Serialize)]
pub struct FixtureContext {
    pub service: String,
    pub image: Text,
    pub build: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct SuiteContext {
    pub name: String,
    pub runner: Option<String>,
    pub path: Option<String>,
    pub command: Option<String>,
}

impl ScriptContext {
    pub fn new(model: &Model) -> ScriptContext {
        let stackfile = model
            .sources
            .first()
            .map(|s| s.rsplit('/').next().unwrap_or(s).to_string())
            .unwrap_or_else(|| "Stackfile".to_string());
        ScriptContext {
            stack: model.stack.name.clone(),
            sources: model.sources.clone(),
            stackfile,
            default_environment: TEST_ENVIRONMENT.to_string(),
            environments: model
                .environments
                .iter()
                .map(|e| EnvironmentContext {
                    name: e.name.clone(),
                    host: e.host.clone(),
                    project: whole_stack_project(&model.stack.name, &e.name),
                })
                .collect(),
            components: model
                .components
                .iter()
                .map(|c| ComponentContext::new(model, c))
                .collect(),
            tasks: TASKS,
            task_families: FAMILIES,
        }
    }
}

impl ComponentContext {
    fn new(model: &Model, component: &Component) -> ComponentContext {
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
            image: component.image.clone(),
            image_shown: component.image.display(),
            build: component.build.clone(),
            test_project: test_stack_project(&model.stack.name, &component.name),
            closure: model.graph.closure(&component.name).to_vec(),
            ports,
            main_port,
            health,
            fixtures: component
                .fixtures
                .iter()
                .map(|f| FixtureContext {
                    service: f.service.clone(),
                    image: f.image.clone(),
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
        }
    }
}

impl PortContext {
    fn new(port: &Port) -> PortContext {
        PortContext {
            name: port.name.clone(),
            variable: format!("STACK_PORT_{}", variable_suffix(&port.name)),
            container: port.container,
            published: port.published,
        }
    }
}
