//! A GitLab CI/CD configuration file.

use indexmap::IndexMap;
use serde::Serialize;

use super::{Defaults, Job, Workflow};

/// `.gitlab-ci.yml`, as GitLab's CI/CD YAML syntax names its keys
/// (<https://docs.gitlab.com/ci/yaml/>): global keywords first, then the
/// jobs by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Configuration {
    /// Which pipelines run at all.
    pub workflow: Workflow,
    /// The stages, in order.
    pub stages: Vec<String>,
    /// Variables every job sees (`STACK_COMMIT`, `STACK_BRANCH`, renamed
    /// secrets).
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub variables: IndexMap<String, String>,
    /// Runner tags and the `cd` into the workspace, for every job.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Defaults>,
    /// Jobs by name, in pipeline order, at the top level as GitLab wants.
    #[serde(flatten)]
    pub jobs: IndexMap<String, Job>,
}
