//! One entry of a service's long-form `depends_on`.

use serde::Serialize;

/// What Compose waits for before starting the dependent service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// The dependency has a health check and it passes.
    ServiceHealthy,
    /// The dependency has no health check: its container started.
    ServiceStarted,
    /// A one-shot fixture loader exited 0.
    ServiceCompletedSuccessfully,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Dependency {
    pub condition: Condition,
}

impl Dependency {
    /// Waits for health when there is a health check, for the start otherwise.
    pub fn on_service(has_health_check: bool) -> Dependency {
        Dependency {
            condition: if has_health_check {
                Condition::ServiceHealthy
            } else {
                Condition::ServiceStarted
            },
        }
    }

    pub fn on_loader() -> Dependency {
        Dependency {
            condition: Condition::ServiceCompletedSuccessfully,
        }
    }
}
