//! One job of the configuration.

use indexmap::IndexMap;
use serde::Serialize;

use super::{Artifacts, Environment, Rule};

/// A job (a top-level key that is not a global keyword).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Job {
    /// The stage it belongs to.
    pub stage: String,
    /// Runner tags of this job when they differ from the default's (deploy
    /// and acceptance jobs with `deploy_tags`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Jobs that must succeed first (their dotenv reports become this job's
    /// variables); empty: the stage order decides.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<String>,
    /// When the job is added to a pipeline; empty: always.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<Rule>,
    /// Variables of this job only.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub variables: IndexMap<String, String>,
    /// The environment the job deploys to (deploy jobs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment: Option<Environment>,
    /// At most one job of this group at a time, across pipelines (deploy
    /// jobs: `stack-deploy-ENV`, one per environment).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_group: Option<String>,
    /// Shell lines, run in order; the job fails at the first that fails.
    pub script: Vec<String>,
    /// Files kept after the job (JUnit reports, the dotenv report).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub artifacts: Option<Artifacts>,
}
