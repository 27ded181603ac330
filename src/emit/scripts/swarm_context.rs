//! A Swarm environment as the `swarm:*` tasks see it.

use serde::Serialize;

use crate::emit::swarm::{self, STOP_GRACE_MS};
use crate::model::{Component, Environment, Model};

/// What a wait allows beyond the updates themselves: pulling images,
/// scheduling, Swarm's own delays.
const MARGIN_S: u64 = 60;

/// The longest the edge's update and rollback take: one task, stopped
/// first (its grace), started, healthy within its health check, watched.
const EDGE_UPDATE_S: u64 = 5 + 10 + 5;

/// One environment with `orchestrator = swarm`.
#[derive(Debug, Serialize)]
pub struct SwarmContext {
    pub name: String,
    /// The name its stack is deployed as (`STACK-ENV`).
    pub stack: String,
    /// Seconds a task waits for convergence by default: see [`deadline_s`].
    pub deadline_s: u64,
}

impl SwarmContext {
    /// The context of `environment`.
    pub fn new(model: &Model, environment: &Environment) -> SwarmContext {
        SwarmContext {
            name: environment.name.clone(),
            stack: swarm::stack_name(model, &environment.name),
            deadline_s: deadline_s(model),
        }
    }
}

/// How long an update of the whole stack may take, then its rollback:
/// Swarm updates services side by side, so the slowest service's time, twice,
/// and a margin. A service's time is its batches (replicas over
/// parallelism), each one task's stop grace, health deadline, `monitor`
/// and the delay before the next batch.
pub fn deadline_s(model: &Model) -> u64 {
    let slowest = model
        .components
        .iter()
        .map(update_s)
        .chain(
            model
                .components
                .iter()
                .any(|c| !c.routes.is_empty())
                .then_some(EDGE_UPDATE_S),
        )
        .max()
        .unwrap_or(0);
    slowest.saturating_mul(2).saturating_add(MARGIN_S)
}

/// The longest `component`'s update may take, in seconds.
fn update_s(component: &Component) -> u64 {
    let rolling = component.rolling_update();
    let replicas = u64::from(component.replicas.max(1));
    let batches = match u64::from(rolling.parallelism) {
        0 => 1,
        parallelism => replicas.div_ceil(parallelism),
    };
    let health_ms = component.health.as_ref().map_or(0, |h| h.timeout_ms);
    let batch_ms = STOP_GRACE_MS
        .saturating_add(health_ms)
        .saturating_add(rolling.monitor_ms)
        .saturating_add(rolling.delay_ms);
    batches.saturating_mul(batch_ms).div_ceil(1000)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::deadline_s;

    #[test]
    fn the_deadline_covers_the_slowest_update_and_its_rollback() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/swarm/shop");
        let model = crate::compile::compile(&dir)
            .ok()
            .and_then(|c| c.model)
            .expect("the fixture compiles");
        // web: 3 batches of 15 s grace + 20 s health + 15 s monitor + 15 s
        // delay, slower than db (60 s health, 1 m monitor) and api.
        assert_eq!(deadline_s(&model), 2 * 3 * (15 + 20 + 15 + 15) + 60);
    }
}
