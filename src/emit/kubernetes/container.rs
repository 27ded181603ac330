//! The one container of a component's pods.

use serde::Serialize;

use super::env_var::EnvVar;
use super::probe::{escape_dollars, Probe, Probes};
use super::resource_requirements::ResourceRequirements;
use super::run_time_default::with_defaults;
use crate::model::{Command, Component, Port, Protocol};

/// Kubernetes' `Container`, as much of it as stackc writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Container {
    /// The component's name.
    pub name: String,
    pub image: String,
    /// The spec's `command`, which replaces the image's `CMD` (and keeps its
    /// `ENTRYPOINT`), as Compose's `command` does.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<ContainerPort>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<EnvVar>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceRequirements>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub startup_probe: Option<Probe>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub readiness_probe: Option<Probe>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub liveness_probe: Option<Probe>,
}

/// A named port the container listens on, one per protocol.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerPort {
    /// The spec's port name; `NAME-udp` for the UDP entry of a port served
    /// on TCP and UDP ([`Port::entry_name`]).
    pub name: String,
    pub container_port: u16,
    /// `UDP`; left out for TCP, Kubernetes' default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protocol: Option<&'static str>,
}

impl ContainerPort {
    /// `port`'s entries, TCP first.
    pub fn of(port: &Port) -> impl Iterator<Item = ContainerPort> + '_ {
        port.protocols.iter().map(|&protocol| ContainerPort {
            name: port.entry_name(protocol),
            container_port: port.container,
            protocol: kubernetes_protocol(protocol),
        })
    }
}

/// A port entry's `protocol`: `None` for TCP, which Kubernetes assumes, so
/// the manifests of TCP-only specs stay as they were.
pub fn kubernetes_protocol(protocol: Protocol) -> Option<&'static str> {
    (protocol != Protocol::Tcp).then(|| protocol.kubernetes())
}

impl Container {
    /// `component`'s container: its image (run-time references replaced by
    /// their defaults), command, ports, variables (`config_map` names the
    /// ConfigMap its plain variables are read from), resources and probes.
    pub fn of(component: &Component, config_map: &str) -> Container {
        let probes = component.health.as_ref().map(Probes::from_health);
        let (startup_probe, readiness_probe, liveness_probe) = match probes {
            Some(p) => (Some(p.startup), Some(p.readiness), Some(p.liveness)),
            None => (None, None, None),
        };
        Container {
            name: component.name.clone(),
            image: with_defaults(&component.image),
            args: component.command.as_ref().map(args).unwrap_or_default(),
            ports: component.ports.iter().flat_map(ContainerPort::of).collect(),
            env: component
                .env
                .iter()
                .map(|var| {
                    if var.secret {
                        EnvVar::from_secret(&var.name, &component.name)
                    } else {
                        EnvVar::from_config_map(&var.name, config_map)
                    }
                })
                .collect(),
            resources: ResourceRequirements::from_resources(&component.resources),
            startup_probe,
            readiness_probe,
            liveness_probe,
        }
    }
}

/// The command's words, each `$` doubled so Kubernetes' `$(NAME)`
/// expansion leaves them as written (a shell line is `/bin/sh -c LINE`).
fn args(command: &Command) -> Vec<String> {
    command
        .argv()
        .iter()
        .map(|arg| escape_dollars(arg))
        .collect()
}
