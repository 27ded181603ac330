//! A component's Argo Rollouts `Rollout`, in place of its Deployment.

use serde::Serialize;

use super::blue_green_strategy::BlueGreenStrategy;
use super::canary_strategy::CanaryStrategy;
use super::label_selector::LabelSelector;
use super::object_meta::ObjectMeta;
use super::pod_template::PodTemplateSpec;
use super::rollout_analysis::RolloutAnalysis;
use crate::model::{Component, Deploy, Strategy, Workload};

/// The Argo Rollouts version whose `Rollout` and `AnalysisTemplate`
/// (`argoproj.io/v1alpha1`) the manifests are written for and checked
/// against.
pub const ARGO_ROLLOUTS_VERSION: &str = "v1.7.2";

/// The steps and interval of a routed component with a `kpi` and no
/// `deploy` block: the analyser's defaults, as `stack deploy` uses them.
const DEFAULT_STEPS: [u64; 3] = [10_000, 50_000, 100_000];
const DEFAULT_INTERVAL_MS: u64 = 30_000;

/// Argo Rollouts' `Rollout`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rollout {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub metadata: ObjectMeta,
    pub spec: RolloutSpec,
}

/// Replicas, pods and strategy, as a Deployment's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RolloutSpec {
    pub replicas: u32,
    pub selector: LabelSelector,
    pub template: PodTemplateSpec,
    pub strategy: RolloutStrategy,
}

/// Exactly one of the two.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RolloutStrategy {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub canary: Option<CanaryStrategy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blue_green: Option<BlueGreenStrategy>,
}

impl Rollout {
    /// `component`'s Rollout; `None` when its workload is a Deployment.
    pub fn of(stack: &str, component: &Component, template: PodTemplateSpec) -> Option<Rollout> {
        let analysis = component
            .kpi
            .as_ref()
            .map(|_| RolloutAnalysis::of(&component.name));
        let strategy = match component.workload() {
            Workload::Deployment => return None,
            Workload::CanaryRollout => RolloutStrategy {
                canary: Some(CanaryStrategy::of(
                    &component.name,
                    &effective_deploy(component),
                    analysis,
                )),
                blue_green: None,
            },
            Workload::BlueGreenRollout => RolloutStrategy {
                canary: None,
                blue_green: Some(BlueGreenStrategy::of(&component.name, analysis)),
            },
        };
        Some(Rollout {
            api_version: "argoproj.io/v1alpha1",
            kind: "Rollout",
            metadata: ObjectMeta::new(component.name.clone(), stack, &component.name),
            spec: RolloutSpec {
                replicas: component.replicas,
                selector: LabelSelector::of(stack, &component.name),
                template,
                strategy,
            },
        })
    }
}

/// The deploy the Rollout follows: the component's, or the default canary.
pub fn effective_deploy(component: &Component) -> Deploy {
    component.deploy.clone().unwrap_or_else(|| Deploy {
        strategy: Strategy::Canary,
        steps: DEFAULT_STEPS.to_vec(),
        interval_ms: DEFAULT_INTERVAL_MS,
    })
}
