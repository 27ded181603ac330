//! A component's Deployment.
//!
//! # Mapping of the update strategy
//!
//! From [`Component::rolling_update`] (the rolling update Swarm gets too):
//!
//! | rolling update | Deployment `strategy` |
//! | --- | --- |
//! | start-first, `parallelism` N | `RollingUpdate`, `maxUnavailable: 0`, `maxSurge: N` (`100%` when N is 0: all at once) |
//! | stop-first, `parallelism` N | `RollingUpdate`, `maxSurge: 0`, `maxUnavailable: N` (`100%` when N is 0) |
//! | `strategy = recreate` | `Recreate` |
//!
//! The monitor window (`deploy.interval`, else the health `timeout`, else
//! 5 s) is `minReadySeconds`, rounded up to whole seconds: a new pod counts
//! as available, and the rollout goes on, only once it has been ready that
//! long. A Deployment that does not progress is reported by Kubernetes
//! (`progressDeadlineSeconds`), never rolled back by it: `kubectl rollout
//! undo deployment/NAME` does that.

use serde::Serialize;

use super::int_or_string::IntOrString;
use super::label_selector::LabelSelector;
use super::object_meta::ObjectMeta;
use super::pod_template::PodTemplateSpec;
use crate::model::{Component, RollingUpdate, Strategy, UpdateOrder};

/// Kubernetes' `apps/v1` Deployment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub metadata: ObjectMeta,
    pub spec: DeploymentSpec,
}

/// Replicas, update strategy and pods.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentSpec {
    pub replicas: u32,
    pub selector: LabelSelector,
    pub strategy: DeploymentStrategy,
    pub min_ready_seconds: u64,
    pub template: PodTemplateSpec,
}

/// `Recreate`, or `RollingUpdate` with its bounds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentStrategy {
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rolling_update: Option<RollingUpdateDeployment>,
}

/// How many pods may be missing, and how many extra, during an update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RollingUpdateDeployment {
    pub max_unavailable: IntOrString,
    pub max_surge: IntOrString,
}

impl Deployment {
    /// `component`'s Deployment in a stack named `stack`.
    pub fn of(stack: &str, component: &Component, template: PodTemplateSpec) -> Deployment {
        let update = component.rolling_update();
        Deployment {
            api_version: "apps/v1",
            kind: "Deployment",
            metadata: ObjectMeta::new(component.name.clone(), stack, &component.name),
            spec: DeploymentSpec {
                replicas: component.replicas,
                selector: LabelSelector::of(stack, &component.name),
                strategy: strategy(component, &update),
                min_ready_seconds: update.monitor_ms.div_ceil(1000),
                template,
            },
        }
    }
}

/// The strategy of the module's table.
fn strategy(component: &Component, update: &RollingUpdate) -> DeploymentStrategy {
    let recreate = component
        .deploy
        .as_ref()
        .is_some_and(|d| d.strategy == Strategy::Recreate);
    if recreate {
        return DeploymentStrategy {
            kind: "Recreate",
            rolling_update: None,
        };
    }
    let batch = match update.parallelism {
        0 => IntOrString::String("100%".to_string()),
        n => IntOrString::Int(u64::from(n)),
    };
    let none = IntOrString::Int(0);
    let (max_unavailable, max_surge) = match update.order {
        UpdateOrder::StartFirst => (none, batch),
        UpdateOrder::StopFirst => (batch, none),
    };
    DeploymentStrategy {
        kind: "RollingUpdate",
        rolling_update: Some(RollingUpdateDeployment {
            max_unavailable,
            max_surge,
        }),
    }
}
