//! A GitHub Actions workflow file.

use indexmap::IndexMap;
use serde::Serialize;

use super::{Defaults, Job, Triggers};

/// `.github/workflows/stack.yml`, as GitHub's workflow syntax names its
/// keys (<https://docs.github.com/actions/reference/workflow-syntax-for-github-actions>).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Workflow {
    /// The workflow's name in the Actions tab.
    pub name: String,
    /// The events that run it.
    pub on: Triggers,
    /// `GITHUB_TOKEN`'s scopes (`contents: read`: the jobs only check out).
    pub permissions: IndexMap<String, String>,
    /// Variables every job sees (`STACK_COMMIT`, `STACK_BRANCH`, secrets).
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub env: IndexMap<String, String>,
    /// How `run` steps run (bash, in the workspace root).
    pub defaults: Defaults,
    /// Jobs by id, in pipeline order.
    pub jobs: IndexMap<String, Job>,
}
