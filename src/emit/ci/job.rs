//! One component job, as both providers run it.

use super::{JobId, JobStage};

/// A component job: what it needs and the task runner commands it runs.
/// The providers add what every job has (the checkout, the environment,
/// the cascading condition, the reports upload).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// Which job this is.
    pub id: JobId,
    /// The component jobs that must succeed (or be skipped as not affected)
    /// first, in pipeline order. The `affected` job is needed by every
    /// component job, and `check` by deploy jobs
    /// ([`JobStage::needs_check`]): neither is listed here.
    pub needs: Vec<JobId>,
    /// Shell command lines, run in the workspace root in order, each a
    /// call of the task runner (`./generated/stack build api`); names and
    /// paths are shell-quoted.
    pub commands: Vec<String>,
}

impl Job {
    /// The job's stage.
    pub fn stage(&self) -> JobStage {
        self.id.stage
    }

    /// The job's component.
    pub fn component(&self) -> &str {
        &self.id.component
    }
}
