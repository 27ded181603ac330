//! A job's `artifacts:`.

use serde::Serialize;

use super::Reports;

/// Files a job keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Artifacts {
    /// `always`: the reports of a failed suite are kept too.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// The reports GitLab reads.
    pub reports: Reports,
}
