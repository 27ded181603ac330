//! A service's `update_config` and `rollback_config`: how Swarm replaces
//! its tasks, and how it goes back.

use serde::Serialize;

use crate::model::{format_duration, RollingUpdate};

/// One of the two blocks, which have the same keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UpdateConfig {
    /// Tasks replaced at once; 0: all at once.
    pub parallelism: u32,
    /// Wait between two batches.
    pub delay: String,
    /// `start-first` or `stop-first`.
    pub order: &'static str,
    /// What Swarm does when a replaced task fails: `rollback` for an
    /// update, `pause` for a rollback (a rollback cannot roll back).
    pub failure_action: &'static str,
    /// How long each new task is watched for a failure once it runs.
    pub monitor: String,
    /// The share of failed tasks tolerated: none.
    pub max_failure_ratio: u32,
}

impl UpdateConfig {
    /// The update `rolling`: a task that does not get healthy, or fails
    /// within `monitor`, rolls the whole service back.
    pub fn update(rolling: &RollingUpdate) -> UpdateConfig {
        UpdateConfig {
            parallelism: rolling.parallelism,
            delay: format_duration(rolling.delay_ms),
            order: rolling.order.as_str(),
            failure_action: "rollback",
            monitor: format_duration(rolling.monitor_ms),
            max_failure_ratio: 0,
        }
    }

    /// The way back from `rolling`: the same batches and order, without
    /// waiting between them; a task that fails pauses the rollback for a
    /// human to decide.
    pub fn rollback(rolling: &RollingUpdate) -> UpdateConfig {
        UpdateConfig {
            delay: format_duration(0),
            failure_action: "pause",
            ..UpdateConfig::update(rolling)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::UpdateOrder;

    #[test]
    fn an_update_rolls_back_and_a_rollback_pauses() {
        let rolling = RollingUpdate {
            parallelism: 2,
            delay_ms: 30_000,
            order: UpdateOrder::StartFirst,
            monitor_ms: 1_500,
        };
        let update = UpdateConfig::update(&rolling);
        assert_eq!(
            (update.parallelism, update.delay.as_str(), update.order),
            (2, "30s", "start-first")
        );
        assert_eq!(
            (update.failure_action, update.monitor.as_str()),
            ("rollback", "1500ms")
        );
        let rollback = UpdateConfig::rollback(&rolling);
        assert_eq!(
            (rollback.delay.as_str(), rollback.failure_action),
            ("0s", "pause")
        );
        assert_eq!(rollback.order, "start-first");
    }
}
