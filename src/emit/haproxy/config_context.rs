//! What the configuration templates read, from the Model: one
//! environment's header and runtime API ([`ConfigContext`]), and the routes
//! and backends, which are the same in every environment
//! ([`RoutingContext`]).

use std::collections::BTreeSet;

use serde::Serialize;

use super::{Backend, RouteRule};
use crate::model::{Component, Environment, Model, RuntimeApi};

/// The template's context for `haproxy/ENV.cfg`, but for its routes and
/// backends (see [`RoutingContext`]).
#[derive(Debug, Clone, Serialize)]
pub struct ConfigContext {
    /// The spec files it comes from: the workspace entry and the files of
    /// the routed components, in load order.
    pub sources: Vec<String>,
    pub stack: String,
    pub environment: String,
    pub runtime_api: RuntimeApiContext,
}

/// The context of `route_rules.cfg.j2` and `backends.cfg.j2`: no
/// environment changes them, so every configuration of a build shares one.
#[derive(Debug, Clone, Serialize)]
pub struct RoutingContext {
    /// The frontend's `use_backend` rules, in the order HAProxy tries them.
    pub rules: Vec<RouteRule>,
    /// One per routed component, in the Model's order.
    pub backends: Vec<Backend>,
}

impl RoutingContext {
    /// The routes and backends of `model`; `None` when no component has a
    /// route.
    pub fn new(model: &Model) -> Option<RoutingContext> {
        let routed = routed(model);
        if routed.is_empty() {
            return None;
        }
        Some(RoutingContext {
            rules: RouteRule::ordered(routed.iter().copied()),
            backends: routed.iter().filter_map(|c| Backend::new(c)).collect(),
        })
    }
}

/// The components with a route, in the Model's order.
fn routed(model: &Model) -> Vec<&Component> {
    model
        .components
        .iter()
        .filter(|c| !c.routes.is_empty())
        .collect()
}

/// Where the runtime API listens.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum RuntimeApiContext {
    /// `stats socket "${STACK_HAPROXY_RUN_DIR-/var/run/haproxy}/admin.sock"`.
    UnixSocket,
    /// `stats socket "${STACK_HAPROXY_RUNTIME_BIND-ipv4@127.0.0.1:PORT}"`:
    /// by default on the loopback address the spec names, so that HAProxy
    /// run on the host never exposes it; the `haproxy` service sets the
    /// variable to [`container_runtime_bind`] (Compose publishes the port
    /// on that loopback address only).
    Tcp { bind: String },
}

impl ConfigContext {
    /// The context for `environment`; `None` when no component has a route.
    pub fn new(model: &Model, environment: &Environment) -> Option<ConfigContext> {
        let routed = routed(model);
        if routed.is_empty() {
            return None;
        }
        let files: BTreeSet<&str> = routed.iter().map(|c| c.source.as_str()).collect();
        let mut sources: Vec<String> = Vec::new();
        for (index, source) in model.sources.iter().enumerate() {
            if index == 0 || files.contains(source.as_str()) {
                sources.push(source.clone());
            }
        }
        for file in files {
            if !model.sources.iter().any(|s| s == file) {
                sources.push(file.to_string());
            }
        }
        let runtime_api = match &environment.proxy.runtime_api {
            RuntimeApi::UnixSocket => RuntimeApiContext::UnixSocket,
            RuntimeApi::Tcp { address, port } => RuntimeApiContext::Tcp {
                bind: loopback_bind(address, *port),
            },
        };
        Some(ConfigContext {
            sources,
            stack: model.stack.name.clone(),
            environment: environment.name.clone(),
            runtime_api,
        })
    }
}

/// `ipv4@ADDRESS:PORT` or `ipv6@ADDRESS:PORT` (HAProxy reads the last `:`
/// of an IPv6 address as the port's).
fn loopback_bind(address: &str, port: u16) -> String {
    let family = if address.contains(':') {
        "ipv6"
    } else {
        "ipv4"
    };
    format!("{family}@{address}:{port}")
}

/// The runtime API's bind address inside a container: every IPv4 address
/// of the container, where Docker forwards the published port (a host's
/// `::1` included: containers on Docker's default networks have no IPv6
/// address).
pub fn container_runtime_bind(port: u16) -> String {
    format!("ipv4@:{port}")
}
