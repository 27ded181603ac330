//! HAProxy configurations: `haproxy/ENV.cfg` for every environment, when
//! some component has a route. See `docs/deploy.md`.
//!
//! Each file is rendered from `templates/haproxy/haproxy.cfg.j2` with a
//! [`ConfigContext`]; its route rules and backends, which no environment
//! changes, are rendered once per build from a [`RoutingContext`]
//! (`route_rules.cfg.j2`, `backends.cfg.j2`, see [`Routing`]). Every string from the spec reaches the file through
//! one quoting function, [`quote`] (the template's formatter and its
//! `haproxy_quote` filter); the run-time overrides (`STACK_HAPROXY_*`,
//! `STACK_SLOT_*`) through [`env_reference`] (the `haproxy_env` filter),
//! inside the double quotes where HAProxy expands variables.

mod backend;
mod checksum;
mod config_context;
mod quote;
mod route_rule;

pub use backend::{Backend, Server};
pub use checksum::checksum;
pub use config_context::{
    container_runtime_bind, ConfigContext, RoutingContext, RuntimeApiContext,
};
pub use quote::{env_reference, quote, write_quoted};
pub use route_rule::{HostMatch, RouteRule};

use std::sync::OnceLock;

use minijinja::value::Value;

use super::templates::{Escaping, Templates};
use super::BuildCache;
use super::Target;
use crate::model::{Environment, Model, Orchestrator};
use crate::output::{Artifact, FileMode, Layout, Root};

/// HAProxy's configuration quoting, for the template environment.
pub const ESCAPING: Escaping = Escaping {
    name: "haproxy",
    filter: "haproxy_quote",
    quote,
    write: write_quoted,
};

/// The template, embedded.
const TEMPLATE: (&str, &str) = (
    "haproxy.cfg",
    include_str!("../../../templates/haproxy/haproxy.cfg.j2"),
);

/// The frontend's route rules, which the Swarm edge's configuration
/// includes too (`crate::emit::swarm`), embedded.
pub const ROUTE_RULES_TEMPLATE: (&str, &str) = (
    "route_rules.cfg",
    include_str!("../../../templates/haproxy/route_rules.cfg.j2"),
);

/// The backends, embedded.
const BACKENDS_TEMPLATE: (&str, &str) = (
    "backends.cfg",
    include_str!("../../../templates/haproxy/backends.cfg.j2"),
);

/// The HAProxy target.
#[derive(Debug, Clone, Copy, Default)]
pub struct Haproxy;

impl Target for Haproxy {
    fn name(&self) -> &'static str {
        "haproxy"
    }

    /// One configuration per environment that runs on one Docker host
    /// (Compose), in declared order; nothing when no component has a
    /// route. The files name no host path, so `layout` plays no part.
    fn artifacts<'m>(
        &self,
        model: &'m Model,
        _layout: &Layout,
        cache: &BuildCache<'m>,
    ) -> Vec<Artifact<'m>> {
        if !has_routes(model) {
            return Vec::new();
        }
        model
            .environments_on(Orchestrator::Compose)
            .map(|environment| {
                let cache = cache.clone();
                Artifact::new(
                    Root::Output,
                    config_path(&environment.name),
                    FileMode::Regular,
                    move || {
                        cache
                            .haproxy_config(model, environment)
                            .map(String::from)
                            .unwrap_or_default()
                    },
                )
            })
            .collect()
    }
}

/// Whether some component has a route (and so every environment gets a
/// configuration, an `haproxy` service and slot services).
pub fn has_routes(model: &Model) -> bool {
    model.components.iter().any(|c| !c.routes.is_empty())
}

/// The variable that overrides a TCP runtime API's bind address.
pub const RUNTIME_BIND_VARIABLE: &str = "STACK_HAPROXY_RUNTIME_BIND";

/// `haproxy/ENV.cfg`: the configuration's path in the output folder.
pub fn config_path(environment: &str) -> String {
    format!("haproxy/{environment}.cfg")
}

/// The configuration of `environment`, rendered; `None` when no component
/// has a route.
pub fn config(model: &Model, environment: &Environment) -> Option<String> {
    config_with(model, environment, &Routing::new(model)?)
}

/// [`config`], with the route rules and backends already rendered (by
/// [`Routing::new`] for the same `model`): a build renders them once for
/// all its environments.
pub fn config_with(model: &Model, environment: &Environment, routing: &Routing) -> Option<String> {
    let context = ConfigContext::new(model, environment)?;
    Some(render(
        TEMPLATE.0,
        minijinja::context! {
            route_rules => routing.rules.clone(),
            backends => routing.backends.clone(),
            ..Value::from_serialize(&context)
        },
    ))
}

/// The parts of every environment's configuration that no environment
/// changes, rendered (safe strings, written as they are): the frontend's
/// route rules and the backends. Memory: about half a megabyte per
/// thousand routed components, once per build.
#[derive(Debug, Clone)]
pub struct Routing {
    rules: Value,
    backends: Value,
}

impl Routing {
    /// The route rules and backends of `model`; `None` when no component
    /// has a route.
    pub fn new(model: &Model) -> Option<Routing> {
        let context = RoutingContext::new(model)?;
        let section = |template: &str| Value::from_safe_string(render(template, &context));
        Some(Routing {
            rules: section(ROUTE_RULES_TEMPLATE.0),
            backends: section(BACKENDS_TEMPLATE.0),
        })
    }
}

/// Every configuration, rendered, as (path, contents): for tests.
pub fn emit(model: &Model) -> Vec<(String, String)> {
    super::render_all(Haproxy.artifacts(model, &Layout::default(), &BuildCache::new(model)))
}

/// The template environment: HAProxy quoting, and `haproxy_env`
/// (`{{ "VARIABLE"|haproxy_env(default, suffix) }}`, see [`env_reference`]).
fn templates() -> Result<Templates, minijinja::Error> {
    let mut templates = Templates::new(
        ESCAPING,
        &[TEMPLATE, ROUTE_RULES_TEMPLATE, BACKENDS_TEMPLATE],
    )?;
    templates.add_filter(
        "haproxy_env",
        |variable: &str, default: &str, suffix: Option<&str>| {
            Value::from_safe_string(env_reference(variable, default, suffix.unwrap_or("")))
        },
    );
    Ok(templates)
}

/// Renders `template`. It is part of the binary and the context's shape is
/// fixed by its types, so a failure here is a bug in stackc, never in the
/// spec (the tests render every example and hostile models).
fn render(template: &str, context: impl serde::Serialize) -> String {
    static TEMPLATES: OnceLock<Templates> = OnceLock::new();
    let templates = TEMPLATES.get_or_init(|| {
        templates().unwrap_or_else(|error| panic!("internal error: HAProxy template: {error:#}"))
    });
    templates
        .render(template, context)
        .unwrap_or_else(|error| panic!("internal error: HAProxy template: {error:#}"))
}

#[cfg(test)]
mod tests;
