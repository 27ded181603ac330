//! The configuration of an environment's edge: HAProxy in front of the
//! routed components' tasks, found through Swarm's DNS
//! (`templates/haproxy/swarm.cfg.j2`, rendered with the HAProxy target's
//! quoting).

use std::collections::BTreeSet;
use std::sync::OnceLock;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::emit::haproxy::{self, Backend, RouteRule};
use crate::emit::templates::Templates;
use crate::model::{format_duration, Component, Environment, Model};

/// The template, embedded.
const TEMPLATE: (&str, &str) = (
    "swarm.cfg",
    include_str!("../../../templates/haproxy/swarm.cfg.j2"),
);

/// The ports the configuration binds in the container: above 1023, so
/// HAProxy needs no privilege (the official image runs as `haproxy`).
pub const HTTP_TARGET: u16 = 8080;
pub const STATS_TARGET: u16 = 8404;

/// HAProxy's `timeout server`: the longest a routed request may take.
pub const SERVER_TIMEOUT_MS: u64 = 10_000;

/// What the template reads.
#[derive(Debug, Clone, Serialize)]
pub struct EdgeConfig {
    /// The workspace entry and the routed components' files, in load order.
    pub sources: Vec<String>,
    pub stack: String,
    pub environment: String,
    /// The stack file that runs it (`swarm/ENV.yml`).
    pub stack_file: String,
    pub http_port: u16,
    pub stats_port: u16,
    pub server_timeout: String,
    /// The frontend's rules, in the order HAProxy tries them.
    pub rules: Vec<RouteRule>,
    /// One per routed component, in the Model's order.
    pub backends: Vec<EdgeBackend>,
}

/// A routed component's backend: its tasks, found through Swarm's DNS.
#[derive(Debug, Clone, Serialize)]
pub struct EdgeBackend {
    pub name: String,
    /// The health check's path (`http-check send ... uri PATH`), or `None`
    /// for a TCP connect check.
    pub http_check: Option<String>,
    /// The check interval, the health check's.
    pub inter: String,
    /// The port the checks go to when it is not the served one.
    pub check_port: Option<u16>,
    pub replicas: u32,
    /// Servers of the template: twice the replicas, for a start-first
    /// update that runs a new task beside each old one.
    pub slots: u32,
    /// `tasks.COMPONENT:PORT`: every healthy task of the service.
    pub address: String,
}

impl EdgeConfig {
    /// The context for `environment`; `None` when no component has a route.
    pub fn new(model: &Model, environment: &Environment) -> Option<EdgeConfig> {
        let routed: Vec<&Component> = model
            .components
            .iter()
            .filter(|c| !c.routes.is_empty())
            .collect();
        if routed.is_empty() {
            return None;
        }
        let files: BTreeSet<&str> = routed.iter().map(|c| c.source.as_str()).collect();
        let mut sources: Vec<String> = model
            .sources
            .iter()
            .enumerate()
            .filter(|(index, source)| *index == 0 || files.contains(source.as_str()))
            .map(|(_, source)| source.clone())
            .collect();
        for file in files {
            if !model.sources.iter().any(|s| s == file) {
                sources.push(file.to_string());
            }
        }
        Some(EdgeConfig {
            sources,
            stack: model.stack.name.clone(),
            environment: environment.name.clone(),
            stack_file: super::stack_path(&environment.name),
            http_port: HTTP_TARGET,
            stats_port: STATS_TARGET,
            server_timeout: format_duration(SERVER_TIMEOUT_MS),
            rules: RouteRule::ordered(routed.iter().copied()),
            backends: routed.iter().filter_map(|c| EdgeBackend::new(c)).collect(),
        })
    }

    /// The configuration's text.
    pub fn render(&self) -> String {
        static TEMPLATES: OnceLock<Templates> = OnceLock::new();
        let templates = TEMPLATES.get_or_init(|| {
            Templates::new(
                haproxy::ESCAPING,
                &[TEMPLATE, haproxy::ROUTE_RULES_TEMPLATE],
            )
            .unwrap_or_else(|error| panic!("internal error: Swarm HAProxy template: {error:#}"))
        });
        // The template is part of the binary and the context's shape is
        // fixed by its types: a failure is a bug in stackc, which the
        // tests' renders of hostile models would show.
        templates
            .render(TEMPLATE.0, self)
            .unwrap_or_else(|error| panic!("internal error: Swarm HAProxy template: {error:#}"))
    }
}

impl EdgeBackend {
    /// The backend of `component`, which has a route; its health check as
    /// the Compose environments' HAProxy has it.
    fn new(component: &Component) -> Option<EdgeBackend> {
        let backend = Backend::new(component)?;
        let port = component.routes.first()?.port.container;
        Some(EdgeBackend {
            name: backend.name,
            http_check: backend.http_check,
            inter: backend.inter,
            check_port: backend.check_port,
            replicas: component.replicas,
            slots: component.replicas.saturating_mul(2),
            address: format!("tasks.{}:{port}", component.name),
        })
    }
}

/// The first 12 hexadecimal digits of the SHA-256 of `text`: what a
/// config's name carries, so that new contents make a new config.
pub fn digest(text: &str) -> String {
    let hash = Sha256::digest(text.as_bytes());
    hash.iter()
        .take(6)
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::digest;

    #[test]
    fn digests_are_sha256_prefixes() {
        // sha256("") = e3b0c44298fc1c14...
        assert_eq!(digest(""), "e3b0c44298fc");
        assert_eq!(digest("abc"), "ba7816bf8f01");
    }
}
