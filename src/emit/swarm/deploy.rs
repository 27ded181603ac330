//! A service's `deploy` block: how many tasks, where, with what, and how
//! Swarm updates them.

use indexmap::IndexMap;
use serde::Serialize;

use super::{DeployResources, UpdateConfig};
use crate::emit::compose::PassThroughValue;
use crate::model::{Component, RollingUpdate};

/// `deploy:` of a replicated service.
#[derive(Debug, Clone, Serialize)]
pub struct Deploy<'m> {
    /// Always `replicated`: `replicas` tasks, wherever placement allows.
    pub mode: &'static str,
    pub replicas: u32,
    /// `labels` and `endpoint_mode` from the pass-through's `deploy`.
    #[serde(flatten)]
    pub merged: IndexMap<String, PassThroughValue<'m>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources: Option<DeployResources>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placement: Option<Placement>,
    pub update_config: UpdateConfig,
    pub rollback_config: UpdateConfig,
    pub restart_policy: RestartPolicy,
}

/// `placement.constraints`, in Swarm's syntax (`node.labels.zone==eu-1`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Placement {
    pub constraints: Vec<String>,
}

/// Swarm replaces a task that exits, whatever its status (`any`): a task
/// is meant to run until an update or removal stops it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RestartPolicy {
    pub condition: &'static str,
}

impl<'m> Deploy<'m> {
    /// The block of `component`: its replicas, resources, placement and
    /// the rolling update its `deploy { }` gives.
    pub fn component(component: &Component) -> Deploy<'m> {
        let mut deploy = Deploy::new(component.replicas, &component.rolling_update());
        deploy.resources = DeployResources::new(&component.resources);
        if !component.placement.is_empty() {
            deploy.placement = Some(Placement {
                constraints: component.placement.iter().map(|c| c.to_string()).collect(),
            });
        }
        deploy
    }

    /// `replicas` tasks updated as `rolling` says, nothing else.
    pub fn new(replicas: u32, rolling: &RollingUpdate) -> Deploy<'m> {
        Deploy {
            mode: "replicated",
            replicas,
            merged: IndexMap::new(),
            resources: None,
            placement: None,
            update_config: UpdateConfig::update(rolling),
            rollback_config: UpdateConfig::rollback(rolling),
            restart_policy: RestartPolicy { condition: "any" },
        }
    }
}
