//! A Rollout's canary strategy, from `deploy { strategy = canary }`.
//!
//! # Mapping
//!
//! - `steps = [10%, 50%, 100%]`: per step, `setWeight` (rounded to a whole
//!   percent, at least 1, as HAProxy's weights are) then `pause` for
//!   `interval`. The last step holds 100 % for one `interval` too, so the
//!   analysis judges the new version with all the traffic before Argo
//!   Rollouts promotes it.
//! - Traffic is shifted by ingress-nginx: Argo Rollouts creates a canary
//!   Ingress from the component's Ingress (`stableIngress`), sending the
//!   step's weight to `COMPONENT-canary`; `COMPONENT-stable` gets the rest.
//!   Only traffic entering through the Ingress is shifted by weight and
//!   judged (as only traffic entering through HAProxy is on one host);
//!   `COMPONENT`, which other components call, selects the pods of both.
//! - With a `kpi`, the component's AnalysisTemplate runs in the background
//!   from the first step to promotion; a failed analysis aborts the
//!   Rollout (traffic back to the stable pods), an inconclusive one pauses
//!   it.

use serde::Serialize;

use super::rollout_analysis::RolloutAnalysis;
use crate::model::{format_duration, Deploy};

/// Argo Rollouts' `CanaryStrategy`, as much of it as stackc writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CanaryStrategy {
    pub canary_service: String,
    pub stable_service: String,
    pub traffic_routing: TrafficRouting,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub analysis: Option<RolloutAnalysis>,
    pub steps: Vec<CanaryStep>,
}

/// How traffic is split between the versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrafficRouting {
    pub nginx: NginxTrafficRouting,
}

/// ingress-nginx, through a canary Ingress derived from `stable_ingress`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NginxTrafficRouting {
    pub stable_ingress: String,
}

/// One step: a weight or a pause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CanaryStep {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub set_weight: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pause: Option<RolloutPause>,
}

/// A pause of a given length (Go's duration syntax: `30s`, `1500ms`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RolloutPause {
    pub duration: String,
}

impl CanaryStrategy {
    /// The canary of `component` (its name) with `deploy`'s steps and
    /// interval, judged by `analysis` when it has a `kpi`.
    pub fn of(
        component: &str,
        deploy: &Deploy,
        analysis: Option<RolloutAnalysis>,
    ) -> CanaryStrategy {
        let pause = format_duration(deploy.interval_ms);
        let mut steps = Vec::new();
        for &step in &deploy.steps {
            steps.push(CanaryStep {
                set_weight: Some(weight(step)),
                pause: None,
            });
            steps.push(CanaryStep {
                set_weight: None,
                pause: Some(RolloutPause {
                    duration: pause.clone(),
                }),
            });
        }
        CanaryStrategy {
            canary_service: format!("{component}-canary"),
            stable_service: format!("{component}-stable"),
            traffic_routing: TrafficRouting {
                nginx: NginxTrafficRouting {
                    stable_ingress: component.to_string(),
                },
            },
            analysis,
            steps,
        }
    }
}

/// A step (thousandths of a percent) as a whole percent, at least 1 for a
/// step above 0 % (the rounding of HAProxy's weights in `stack deploy`).
fn weight(step: u64) -> u64 {
    let rounded = step.saturating_add(500) / 1000;
    if step > 0 {
        rounded.clamp(1, 100)
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::weight;

    #[test]
    fn weights_are_whole_percents() {
        assert_eq!(weight(100), 1);
        assert_eq!(weight(12_500), 13);
        assert_eq!(weight(99_600), 100);
        assert_eq!(weight(100_000), 100);
    }
}
