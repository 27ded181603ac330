//! One job of a workflow.

use indexmap::IndexMap;
use serde::Serialize;

use super::{Concurrency, Step};

/// A job (`jobs.<id>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Job {
    /// Job ids that must finish first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<String>,
    /// The condition (`${{ ... }}`) under which the job runs.
    #[serde(rename = "if", skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// Runner labels (the `ci` block's `runs_on`).
    #[serde(rename = "runs-on")]
    pub runs_on: Vec<String>,
    /// The GitHub environment the job deploys to (deploy jobs): its
    /// protection rules (required reviewers, wait timer, deployment
    /// branches) and secrets apply, and its page lists the deployments.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    /// At most one job of this group at a time (deploy jobs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub concurrency: Option<Concurrency>,
    /// Variables of this job only.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub env: IndexMap<String, String>,
    /// Values other jobs read as `needs.<id>.outputs.<name>`.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub outputs: IndexMap<String, String>,
    /// The steps, in order.
    pub steps: Vec<Step>,
}
