//! How an orchestrator replaces a component's replicas with a new version,
//! derived from the spec's `deploy { }` block.

use super::{Component, Strategy, HUNDRED_PERCENT};

/// A rolling update in Docker Swarm's terms (`deploy.update_config`), which
/// the Kubernetes emitter maps onto a Deployment's strategy. Every update
/// rolls back automatically on failure (`failure_action: rollback`, no
/// failed task tolerated); that is not a choice, so it is not a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct RollingUpdate {
    /// Replicas replaced at once; 0 means all at once.
    pub parallelism: u32,
    /// Wait between two batches, in milliseconds.
    pub delay_ms: u64,
    pub order: UpdateOrder,
    /// How long each replaced replica is watched for failure, in milliseconds.
    pub monitor_ms: u64,
}

/// Whether a new replica starts before the one it replaces stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UpdateOrder {
    /// The new replica starts, and must be healthy, before the old one stops
    /// (Swarm's `start-first`; Kubernetes' `maxUnavailable: 0`).
    StartFirst,
    /// The old replica stops first (Swarm's `stop-first`): two versions never
    /// run at once, as a component that owns a volume needs.
    StopFirst,
}

impl UpdateOrder {
    /// Swarm's word: `start-first` or `stop-first`.
    pub fn as_str(self) -> &'static str {
        match self {
            UpdateOrder::StartFirst => "start-first",
            UpdateOrder::StopFirst => "stop-first",
        }
    }
}

/// Swarm's default monitor window, used when the spec gives no time of its
/// own (no `deploy`, no `health`).
const DEFAULT_MONITOR_MS: u64 = 5_000;

impl Component {
    /// How this component's replicas are replaced:
    /// - `canary`: a batch of the first step's share of the replicas (at
    ///   least one), `interval` between batches, start-first;
    /// - `blue_green`: every replica at once, start-first;
    /// - `recreate`: every replica at once, stop-first;
    /// - no `deploy`: one replica at a time, stop-first (the safe order for
    ///   a component that owns data).
    ///
    /// Each new replica is watched for `deploy.interval`, or without a
    /// `deploy` for the health check's `timeout`, or else 5 s.
    pub fn rolling_update(&self) -> RollingUpdate {
        let health_ms = self.health.as_ref().map(|h| h.timeout_ms);
        let Some(deploy) = &self.deploy else {
            return RollingUpdate {
                parallelism: 1,
                delay_ms: 0,
                order: UpdateOrder::StopFirst,
                monitor_ms: health_ms.unwrap_or(DEFAULT_MONITOR_MS),
            };
        };
        let monitor_ms = deploy.interval_ms;
        match deploy.strategy {
            Strategy::Canary => {
                let first = deploy.steps.first().copied().unwrap_or(HUNDRED_PERCENT);
                let share = u64::from(self.replicas) * first;
                let batch = share.div_ceil(HUNDRED_PERCENT).max(1);
                RollingUpdate {
                    parallelism: u32::try_from(batch).unwrap_or(self.replicas),
                    delay_ms: deploy.interval_ms,
                    order: UpdateOrder::StartFirst,
                    monitor_ms,
                }
            }
            Strategy::BlueGreen => RollingUpdate {
                parallelism: 0,
                delay_ms: 0,
                order: UpdateOrder::StartFirst,
                monitor_ms,
            },
            Strategy::Recreate => RollingUpdate {
                parallelism: 0,
                delay_ms: 0,
                order: UpdateOrder::StopFirst,
                monitor_ms,
            },
        }
    }
}
