//! `artifacts: reports:`.

use serde::Serialize;

/// Reports GitLab reads from a job's files (paths from the repository root).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reports {
    /// JUnit XML files (a glob), shown in the merge request and pipeline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub junit: Option<String>,
    /// A `NAME=value` file whose variables later jobs that need this one see.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dotenv: Option<String>,
}
