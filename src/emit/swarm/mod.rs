//! Docker Swarm stack files: `swarm/ENV.yml` for every environment with
//! `orchestrator = swarm`, for `docker stack deploy -c` (the task runner's
//! `swarm:deploy`), and `swarm/ENV.haproxy.cfg`, the configuration of its
//! edge, when some component has a route. See `docs/swarm.md`.
//!
//! A stack file is the environment's whole-stack Compose file made a
//! Swarm one, written in the Compose file format 3.8 that `docker stack
//! deploy` reads:
//! - each component through the Compose emitter's own service factory
//!   (its image, command, the environment's values, health check and
//!   pass-through, paths rebased onto the workspace), never built (no
//!   `build`), its `depends_on` a plain list, which Swarm ignores;
//! - the pass-through's keys sorted by [`SwarmKey`]: what Swarm ignores or
//!   only `docker compose` does is left out, what it cannot take the
//!   analyser has refused;
//! - `deploy:` with the component's replicas, resources, placement and
//!   the rolling update its `deploy { }` gives ([`Component::rolling_update`]):
//!   Swarm judges every new task by its health check and rolls the service
//!   back on the first failure;
//! - published ports in ingress mode, every service on the overlay
//!   network `default`;
//! - with a route, the `haproxy` service: HAProxy on host-mode ports,
//!   reaching each routed component's healthy tasks through Swarm's DNS,
//!   its configuration a Swarm config named after the file's digest.
//!
//! Fixture loaders and test suites are test-stack matters: not here.
//!
//! [`Component::rolling_update`]: crate::model::Component::rolling_update

mod deploy;
mod deploy_resources;
mod edge_config;
mod published_port;
mod service_factory;
mod stack_file;
mod swarm_service;
mod update_config;

pub use deploy::{Deploy, Placement, RestartPolicy};
pub use deploy_resources::{DeployResources, ResourceAmounts};
pub use edge_config::{digest, EdgeBackend, EdgeConfig};
pub use published_port::{PublishMode, PublishedPort};
pub use service_factory::{component_service, edge_service, STOP_GRACE_MS};
pub use stack_file::{ConfigFile, Empty, Network, StackFile, DEFAULT_NETWORK};
pub use swarm_service::SwarmService;
pub use update_config::UpdateConfig;

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use indexmap::IndexMap;

use super::compose::{whole_stack_project, Declaration, FileObjects, ServiceFactory};
use super::BuildCache;
use super::{yaml, Target};
use crate::model::{Environment, Model, Orchestrator, PROXY_SERVICE};
use crate::output::{Artifact, FileMode, Layout, Root};

/// The Compose file format the stack files declare: the newest that
/// Docker Engine 19.03 and every later `docker stack deploy` read.
pub const VERSION: &str = "3.8";

/// The key of the edge's configuration under the file's `configs`.
pub const EDGE_CONFIG_KEY: &str = PROXY_SERVICE;

/// The Swarm target.
#[derive(Debug, Clone, Copy, Default)]
pub struct Swarm;

impl Target for Swarm {
    fn name(&self) -> &'static str {
        "swarm"
    }

    /// Per Swarm environment, in declared order: its stack file, then its
    /// edge's configuration when some component has a route. The
    /// configuration is rendered once for both (the stack file names the
    /// config after its digest).
    fn artifacts<'m>(
        &self,
        model: &'m Model,
        layout: &Layout,
        _cache: &BuildCache<'m>,
    ) -> Vec<Artifact<'m>> {
        let mut files = Vec::new();
        for environment in model.environments_on(Orchestrator::Swarm) {
            let edge: Arc<OnceLock<Option<String>>> = Arc::new(OnceLock::new());
            let path = stack_path(&environment.name);
            let root = layout.workspace_from(Root::Output, &path);
            let shared = Arc::clone(&edge);
            files.push(Artifact::new(
                Root::Output,
                path,
                FileMode::Regular,
                move || {
                    let config = shared.get_or_init(|| edge_text(model, environment));
                    stack_file(model, environment, &root, config.as_deref())
                },
            ));
            if EdgeConfig::new(model, environment).is_some() {
                files.push(Artifact::new(
                    Root::Output,
                    edge_config_path(&environment.name),
                    FileMode::Regular,
                    move || {
                        edge.get_or_init(|| edge_text(model, environment))
                            .clone()
                            .unwrap_or_default()
                    },
                ));
            }
        }
        files
    }
}

/// Every Swarm file, rendered, for the default layout, as (path,
/// contents): for tests.
pub fn emit(model: &Model) -> Vec<(String, String)> {
    super::render_all(Swarm.artifacts(model, &Layout::default(), &BuildCache::new(model)))
}

/// `swarm/ENV.yml`: the stack file's path in the output folder.
pub fn stack_path(environment: &str) -> String {
    format!("swarm/{environment}.yml")
}

/// `swarm/ENV.haproxy.cfg`: the edge configuration's path.
pub fn edge_config_path(environment: &str) -> String {
    format!("swarm/{environment}.haproxy.cfg")
}

/// The name the stack is deployed as: `STACK-ENV`, the environment's
/// Compose project name. Swarm names each service `STACK-ENV_COMPONENT`.
pub fn stack_name(model: &Model, environment: &str) -> String {
    whole_stack_project(&model.stack.name, environment)
}

/// The edge's configuration, `None` without a route.
fn edge_text(model: &Model, environment: &Environment) -> Option<String> {
    EdgeConfig::new(model, environment).map(|config| config.render())
}

/// The stack file of `environment`; `root` is the workspace seen from
/// its folder, `edge` the edge's configuration when there is one.
fn stack_file(model: &Model, environment: &Environment, root: &str, edge: Option<&str>) -> String {
    let factory = ServiceFactory {
        model,
        root,
        parts: None,
    };
    let mut services = IndexMap::new();
    for component in &model.components {
        services.insert(
            component.name.clone(),
            component_service(&factory, environment, component),
        );
    }
    let (secrets, mut configs) = declared_files(&services);
    if let Some(text) = edge {
        let stack = stack_name(model, &environment.name);
        configs.insert(
            EDGE_CONFIG_KEY.to_string(),
            ConfigFile {
                name: Some(format!("{stack}_{EDGE_CONFIG_KEY}_{}", digest(text))),
                file: format!("./{}.haproxy.cfg", environment.name),
            },
        );
        // The analyser refuses a component named like the edge when some
        // component has a route (E0101); a Model built by hand that breaks
        // the rule keeps one service per name.
        services.insert(
            PROXY_SERVICE.to_string(),
            edge_service(model, environment, EDGE_CONFIG_KEY),
        );
    }
    let file = StackFile::new(services, secrets, configs, &model.networks);
    let sources: Vec<&str> = model.sources.iter().map(String::as_str).collect();
    yaml::commented(&file, &header(model, environment, &sources, edge.is_some()))
}

/// The secrets and configs the services mount, declared by file: the
/// only source the Compose file format 3.8 has (the analyser refuses the
/// others on Swarm). Swarm names each `STACK-ENV_NAME`.
fn declared_files(
    services: &IndexMap<String, SwarmService<'_>>,
) -> (BTreeMap<String, ConfigFile>, BTreeMap<String, ConfigFile>) {
    let mut all = FileObjects::default();
    for service in services.values() {
        all.extend(&service.file_objects);
    }
    let files = |declared: BTreeMap<String, Declaration>| {
        declared
            .into_iter()
            .filter_map(|(key, declaration)| match declaration {
                Declaration::File(file) => Some((key, ConfigFile { name: None, file })),
                Declaration::Environment(_) | Declaration::Content(_) => None,
            })
            .collect()
    };
    (files(all.secrets), files(all.configs))
}

/// The generated-file header, then what the file is and how Swarm reads it.
fn header(model: &Model, environment: &Environment, sources: &[&str], edge: bool) -> Vec<String> {
    let name = &environment.name;
    let mut lines = yaml::document_header(sources);
    lines.extend([
        String::new(),
        format!("The Docker Swarm stack of environment {name}: deploy it with"),
        format!("  stack swarm:deploy --env {name}"),
        "which waits until Swarm has converged or rolled back, or with".to_string(),
        format!(
            "  docker stack deploy -c swarm/{name}.yml {}",
            stack_name(model, name)
        ),
        String::new(),
        "Swarm judges each new task by its health check: a task that does not".to_string(),
        "get healthy, or fails within update_config.monitor, rolls the whole".to_string(),
        "service back. Swarm ignores depends_on: it starts every service at once,".to_string(),
        "and the task runner waits on the health checks instead.".to_string(),
    ]);
    if edge {
        lines.extend([
            "Routed traffic enters through the haproxy service, on host-mode ports".to_string(),
            format!("of the node it runs on; its configuration is swarm/{name}.haproxy.cfg."),
        ]);
    }
    lines
}

#[cfg(test)]
mod tests;
