//! How stackc tells that a component is up.

use super::Port;

/// A component's health check and its timing.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Health {
    pub check: HealthCheck,
    /// Time between two probes, in milliseconds.
    pub interval_ms: u64,
    /// How long the service may take to become healthy, in milliseconds.
    pub timeout_ms: u64,
}

/// What a probe does.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum HealthCheck {
    /// An HTTP GET of `path` on a named port must answer 2xx/3xx.
    Http { path: String, port: Port },
    /// A TCP connection to a named port must be accepted.
    Tcp { port: Port },
    /// A command run inside the container must exit 0.
    Command { command: String },
}

impl HealthCheck {
    /// Which of the three kinds of check this is.
    pub fn kind(&self) -> HealthKind {
        match self {
            HealthCheck::Http { .. } => HealthKind::Http,
            HealthCheck::Tcp { .. } => HealthKind::Tcp,
            HealthCheck::Command { .. } => HealthKind::Command,
        }
    }
}

/// The kind of a health check, named by the attribute that gives it in the
/// spec (`health { tcp = db }`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HealthKind {
    Http,
    Tcp,
    Command,
}

impl HealthKind {
    /// Every kind, in the order diagnostics list them.
    pub const ALL: [HealthKind; 3] = [HealthKind::Http, HealthKind::Tcp, HealthKind::Command];

    /// The attribute that gives this kind of check: `http`, `tcp` or `command`.
    pub fn as_str(self) -> &'static str {
        match self {
            HealthKind::Http => "http",
            HealthKind::Tcp => "tcp",
            HealthKind::Command => "command",
        }
    }

    /// The kind spelled `name`; `None` for any other word.
    pub fn from_name(name: &str) -> Option<HealthKind> {
        HealthKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::HealthKind;

    #[test]
    fn names_round_trip() {
        for kind in HealthKind::ALL {
            assert_eq!(HealthKind::from_name(kind.as_str()), Some(kind));
        }
        assert_eq!(HealthKind::from_name("udp"), None);
    }
}
