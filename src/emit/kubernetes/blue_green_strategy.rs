//! A Rollout's blue-green strategy, from `deploy { strategy = blue_green }`.
//!
//! # Mapping
//!
//! The new version starts beside the old one behind `COMPONENT-preview`;
//! once its pods are ready it is promoted at once (`autoPromotionEnabled`),
//! Argo Rollouts pointing `COMPONENT` (the active Service, which the
//! Ingress and the other components use) at it: all traffic moves in one
//! step, as with HAProxy. With a `kpi`, the AnalysisTemplate runs after the
//! promotion (`postPromotionAnalysis`) while the old pods are kept; a
//! failed analysis points `COMPONENT` back at them.

use serde::Serialize;

use super::rollout_analysis::RolloutAnalysis;

/// Argo Rollouts' `BlueGreenStrategy`, as much of it as stackc writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BlueGreenStrategy {
    pub active_service: String,
    pub preview_service: String,
    pub auto_promotion_enabled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_promotion_analysis: Option<RolloutAnalysis>,
}

impl BlueGreenStrategy {
    /// The blue-green strategy of `component` (its name), judged by
    /// `analysis` when it has a `kpi`.
    pub fn of(component: &str, analysis: Option<RolloutAnalysis>) -> BlueGreenStrategy {
        BlueGreenStrategy {
            active_service: component.to_string(),
            preview_service: format!("{component}-preview"),
            auto_promotion_enabled: true,
            post_promotion_analysis: analysis,
        }
    }
}
