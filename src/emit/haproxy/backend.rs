//! One routed component as an HAProxy backend: its health check and its two
//! server slots.

use serde::Serialize;

use crate::model::Slot;
use crate::model::{format_duration, Component, HealthCheck};

/// The check interval when a routed component has no health check (the
/// analyser asks for one; this keeps the emitter total), the spec's default.
const DEFAULT_INTER_MS: u64 = 2_000;

/// A `backend COMPONENT` section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Backend {
    pub name: String,
    /// `http-check send meth GET uri PATH ver HTTP/1.1 hdr Host NAME` for an
    /// `http` health check (the path; the `Host` header is the backend's
    /// name, the component's);
    /// `None` for a TCP connect check (`tcp`, and `command`, which HAProxy
    /// cannot run inside a container: it checks the port instead).
    pub http_check: Option<String>,
    /// The check interval, in HAProxy's time format (`2s`, `1500ms`).
    pub inter: String,
    /// The port the checks go to when it is not the served port.
    pub check_port: Option<u16>,
    pub servers: Vec<Server>,
}

/// One slot's `server` line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Server {
    pub slot: Slot,
    /// The variable that overrides the address (`STACK_SLOT_API_BLUE`).
    pub variable: String,
    /// The address without override: `api-blue:8080`, the slot's name on
    /// the environment's network and the route's container port.
    pub default: String,
    pub weight: u8,
    pub disabled: bool,
}

impl Backend {
    /// The backend of `component`, which has at least one route. The slots
    /// serve the first route's port (the analyser asks every route of a
    /// component to use one port).
    pub fn new(component: &Component) -> Option<Backend> {
        let port = component.routes.first()?.port.container;
        let (http_check, check_port) = match component.health.as_ref().map(|h| &h.check) {
            Some(HealthCheck::Http { path, port: check }) => {
                let path = if path.starts_with('/') {
                    path.clone()
                } else {
                    format!("/{path}")
                };
                (Some(path), Some(check.container))
            }
            Some(HealthCheck::Tcp { port: check }) => (None, Some(check.container)),
            Some(HealthCheck::Command { .. }) | None => (None, None),
        };
        let inter_ms = component
            .health
            .as_ref()
            .map_or(DEFAULT_INTER_MS, |h| h.interval_ms.max(1));
        let servers = Slot::ALL
            .into_iter()
            .map(|slot| Server {
                slot,
                variable: slot.address_variable(&component.name),
                default: format!("{}:{port}", slot.host(&component.name)),
                weight: match slot {
                    Slot::Blue => 100,
                    Slot::Green => 0,
                },
                disabled: slot == Slot::Green,
            })
            .collect();
        Some(Backend {
            name: component.name.clone(),
            http_check,
            inter: format_duration(inter_ms),
            check_port: check_port.filter(|&check| check != port),
            servers,
        })
    }
}
