//! A container's probes, derived from the spec's `health { }` block.
//!
//! # Mapping
//!
//! Kubernetes probes count whole seconds. With `period` the check's
//! `interval` rounded up to a whole second (at least 1):
//!
//! | probe | `periodSeconds` | `timeoutSeconds` | `failureThreshold` |
//! | --- | --- | --- | --- |
//! | `startupProbe` | `period` | `min(period, 10)` | `ceil(timeout / period)`, at least 1: the spec's `timeout`, the time the service may take to become healthy, is covered |
//! | `readinessProbe` | `period` | `min(period, 10)` | 3 (HAProxy's `fall 3`): out of the Service's endpoints after three failed checks |
//! | `livenessProbe` | `period` | `min(period, 10)` | `max(6, ceil(timeout / period))`: restarted only after failing for twice the readiness threshold, or for the spec's `timeout`, whichever is longer |
//!
//! Kubernetes runs readiness and liveness probes only once the startup
//! probe has succeeded. What each probe does:
//! - `http = "/health"`: `httpGet` of the path on the named port (Kubernetes
//!   counts 200-399 as success, as HAProxy's `http-check expect status
//!   200-399` does);
//! - `tcp = PORT`: `tcpSocket` on the named port;
//! - `command = "..."`: `exec` of `/bin/sh -c COMMAND`, with every `$`
//!   doubled, since the kubelet expands `$(NAME)` in an exec probe's
//!   command from the container's variables and reads `$$` as `$`.

use serde::Serialize;

use super::int_or_string::IntOrString;
use crate::model::{Health, HealthCheck};

/// The longest a single probe may run, in seconds (as the Compose
/// healthcheck's `timeout`).
const MAX_PROBE_TIMEOUT_S: u64 = 10;
/// Consecutive failures that take a pod out of its Services.
const READINESS_FAILURES: u64 = 3;

/// Kubernetes' `Probe`: one action and its timing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Probe {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_get: Option<HttpGetAction>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tcp_socket: Option<TcpSocketAction>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exec: Option<ExecAction>,
    pub period_seconds: u64,
    pub timeout_seconds: u64,
    pub failure_threshold: u64,
}

/// An HTTP GET of `path` on a named container port.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HttpGetAction {
    pub path: String,
    pub port: IntOrString,
}

/// A TCP connection to a named container port.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TcpSocketAction {
    pub port: IntOrString,
}

/// A command run in the container, without a shell of Kubernetes' own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExecAction {
    pub command: Vec<String>,
}

/// The three probes of a component with a health check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probes {
    pub startup: Probe,
    pub readiness: Probe,
    pub liveness: Probe,
}

impl Probes {
    /// The probes `health` gives (see the module's table).
    pub fn from_health(health: &Health) -> Probes {
        let period = health.interval_ms.div_ceil(1000).max(1);
        let deadline = health.timeout_ms.div_ceil(period * 1000).max(1);
        let probe = |failure_threshold: u64| {
            let mut probe = Probe {
                http_get: None,
                tcp_socket: None,
                exec: None,
                period_seconds: period,
                timeout_seconds: period.min(MAX_PROBE_TIMEOUT_S),
                failure_threshold,
            };
            match &health.check {
                HealthCheck::Http { path, port } => {
                    probe.http_get = Some(HttpGetAction {
                        path: path.clone(),
                        port: IntOrString::String(port.name.clone()),
                    });
                }
                HealthCheck::Tcp { port } => {
                    probe.tcp_socket = Some(TcpSocketAction {
                        port: IntOrString::String(port.name.clone()),
                    });
                }
                HealthCheck::Command { command } => {
                    probe.exec = Some(ExecAction {
                        command: vec![
                            "/bin/sh".to_string(),
                            "-c".to_string(),
                            escape_dollars(command),
                        ],
                    });
                }
            }
            probe
        };
        Probes {
            startup: probe(deadline),
            readiness: probe(READINESS_FAILURES),
            liveness: probe(deadline.max(2 * READINESS_FAILURES)),
        }
    }
}

/// `text` with every `$` doubled: Kubernetes expands `$(NAME)` in a
/// container's command and arguments and in an exec probe's command, and
/// reads `$$` as one `$`, so the doubled text reaches the container as
/// written.
pub fn escape_dollars(text: &str) -> String {
    text.replace('$', "$$")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Port;

    fn health(check: HealthCheck, interval_ms: u64, timeout_ms: u64) -> Health {
        Health {
            check,
            interval_ms,
            timeout_ms,
        }
    }

    #[test]
    fn the_startup_probe_covers_the_deadline() {
        let port = Port::tcp("http", 8080, None);
        let probes = Probes::from_health(&health(
            HealthCheck::Http {
                path: "/health".into(),
                port,
            },
            2_000,
            90_000,
        ));
        assert_eq!(probes.startup.period_seconds, 2);
        assert_eq!(probes.startup.failure_threshold, 45);
        assert_eq!(probes.readiness.failure_threshold, 3);
        assert_eq!(probes.liveness.failure_threshold, 45);
        assert_eq!(probes.readiness.timeout_seconds, 2);
        // Sub-second intervals round up; a short deadline still gets a
        // liveness threshold twice the readiness one.
        let probes = Probes::from_health(&health(
            HealthCheck::Command {
                command: "test -f $HOME/ok".into(),
            },
            500,
            1_500,
        ));
        assert_eq!(probes.startup.period_seconds, 1);
        assert_eq!(probes.startup.failure_threshold, 2);
        assert_eq!(probes.liveness.failure_threshold, 6);
        assert_eq!(
            probes.readiness.exec.map(|e| e.command),
            Some(vec![
                "/bin/sh".to_string(),
                "-c".to_string(),
                "test -f $$HOME/ok".to_string()
            ])
        );
        // A long interval caps each probe's own timeout at 10 s.
        let probes = Probes::from_health(&health(
            HealthCheck::Tcp {
                port: Port::tcp("sql", 5432, None),
            },
            30_000,
            60_000,
        ));
        assert_eq!(probes.readiness.timeout_seconds, 10);
        assert_eq!(probes.startup.failure_threshold, 2);
    }
}
