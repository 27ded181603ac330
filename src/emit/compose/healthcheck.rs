//! A Compose `healthcheck`, derived from the spec's `health { }` block.
//!
//! # Mapping
//!
//! The spec gives a probe, an `interval` between probes and a `timeout`: the
//! deadline for the service to become healthy. Compose has no deadline; it
//! marks a container unhealthy after `retries` consecutive failed probes,
//! each limited by its own `timeout`. So:
//!
//! | Compose    | value                                                 |
//! | ---------- | ----------------------------------------------------- |
//! | `interval` | the spec's `interval`                                 |
//! | `timeout`  | `min(interval, 10s)`: one probe never outlives the next |
//! | `retries`  | `ceil(deadline / interval)`, at least 1, so `interval × retries ≥ deadline` |
//!
//! `start_period` is not set: failures during the deadline already count
//! against `retries`, and a `depends_on: service_healthy` waits exactly as
//! long as the spec allows before failing.
//!
//! Probes are `CMD-SHELL` commands that work in minimal images:
//! - `http`: `wget -q -O /dev/null URL` (busybox, Alpine, Debian), falling
//!   back to `curl -fsS -o /dev/null URL`; both fail on a 4xx/5xx answer.
//! - `tcp`: `nc -z 127.0.0.1 PORT`, falling back to bash's `/dev/tcp`, then
//!   to a LISTEN entry for the port in `/proc/net/tcp{,6}` (busybox builds
//!   whose `nc` lacks `-z`, images without bash).
//! - `command`: run as written by `/bin/sh -c`.
//!
//! Every fallback has the same meaning (the port answers), so chaining them
//! with `||` cannot turn a failure into a success.

use serde::Serialize;

use super::compose_string;
use crate::model::{format_duration, Health, HealthCheck};
use crate::shell;

/// The longest a single probe may run.
const MAX_PROBE_TIMEOUT_MS: u64 = 10_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Healthcheck {
    pub test: Vec<String>,
    pub interval: String,
    pub timeout: String,
    pub retries: u64,
}

impl Healthcheck {
    pub fn from_health(health: &Health) -> Healthcheck {
        // The analyser rejects a zero interval; never divide by zero anyway.
        let interval_ms = health.interval_ms.max(1);
        let retries = health.timeout_ms.div_ceil(interval_ms).max(1);
        Healthcheck {
            test: vec![
                "CMD-SHELL".to_string(),
                compose_string::literal(&probe(&health.check)),
            ],
            interval: format_duration(interval_ms),
            timeout: format_duration(interval_ms.min(MAX_PROBE_TIMEOUT_MS)),
            retries,
        }
    }
}

/// The shell command that succeeds when the service is healthy (before
/// Compose's `$` escaping).
pub fn probe(check: &HealthCheck) -> String {
    match check {
        HealthCheck::Http { path, port } => {
            let path = if path.starts_with('/') {
                path.clone()
            } else {
                format!("/{path}")
            };
            let url = shell::quote(&format!("http://127.0.0.1:{}{path}", port.container));
            format!("wget -q -O /dev/null {url} || curl -fsS -o /dev/null {url}")
        }
        HealthCheck::Tcp { port } => {
            let number = port.container;
            format!(
                "nc -z 127.0.0.1 {number} 2>/dev/null \
                 || bash -c ': </dev/tcp/127.0.0.1/{number}' 2>/dev/null \
                 || grep -qs ':{number:04X} [0-9A-F]*:[0-9A-F]* 0A ' /proc/net/tcp /proc/net/tcp6"
            )
        }
        HealthCheck::Command { command } => command.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Port;

    fn port(container: u16) -> Port {
        Port::tcp("http", container, Some(container))
    }

    fn health(check: HealthCheck, interval_ms: u64, timeout_ms: u64) -> Health {
        Health {
            check,
            interval_ms,
            timeout_ms,
        }
    }

    #[test]
    fn retries_cover_the_deadline() {
        let h = Healthcheck::from_health(&health(
            HealthCheck::Command {
                command: "true".into(),
            },
            2_000,
            90_000,
        ));
        assert_eq!((h.interval.as_str(), h.timeout.as_str()), ("2s", "2s"));
        assert_eq!(h.retries, 45);

        let h = Healthcheck::from_health(&health(
            HealthCheck::Command {
                command: "true".into(),
            },
            30_000,
            61_000,
        ));
        assert_eq!((h.interval.as_str(), h.timeout.as_str()), ("30s", "10s"));
        assert_eq!(h.retries, 3);
        assert!(30_000 * h.retries >= 61_000);
    }

    #[test]
    fn short_deadline_still_probes_once() {
        let h = Healthcheck::from_health(&health(
            HealthCheck::Command {
                command: "true".into(),
            },
            1_500,
            0,
        ));
        assert_eq!(h.interval, "1500ms");
        assert_eq!(h.retries, 1);
    }

    #[test]
    fn http_probe_quotes_the_url_and_escapes_dollars() {
        let h = Healthcheck::from_health(&health(
            HealthCheck::Http {
                path: "/a'b?x=$y&z".into(),
                port: port(8080),
            },
            2_000,
            60_000,
        ));
        assert_eq!(
            h.test,
            [
                "CMD-SHELL",
                "wget -q -O /dev/null 'http://127.0.0.1:8080/a'\\''b?x=$$y&z' \
                 || curl -fsS -o /dev/null 'http://127.0.0.1:8080/a'\\''b?x=$$y&z'"
            ]
        );
    }

    #[test]
    fn tcp_probe_matches_the_hex_port() {
        let p = probe(&HealthCheck::Tcp { port: port(8091) });
        assert!(p.contains(":1F9B [0-9A-F]*"), "{p}");
        let p = probe(&HealthCheck::Tcp { port: port(80) });
        assert!(p.contains(":0050 "), "{p}");
    }
}
