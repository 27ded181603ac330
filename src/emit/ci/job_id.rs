//! Which job: a stage of a component.

use super::JobStage;

/// A component job's identity; each provider spells it its own way
/// ([`JobId::github`], [`JobId::gitlab`]).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct JobId {
    /// What the job does.
    pub stage: JobStage,
    /// The component's name (lowercase letters, digits, `-`, `_`).
    pub component: String,
}

impl JobId {
    /// The job `stage` of `component`.
    pub fn new(stage: JobStage, component: &str) -> JobId {
        JobId {
            stage,
            component: component.to_string(),
        }
    }

    /// The GitHub Actions job id: `build-api`, `non-functional-web`. GitHub
    /// ids start with a letter or `_` and hold letters, digits, `-` and `_`:
    /// the stage comes first, and component names hold nothing else.
    pub fn github(&self) -> String {
        format!("{}-{}", self.stage.as_str(), self.component)
    }

    /// The GitLab CI job name: `api:build`, `web:non-functional`.
    pub fn gitlab(&self) -> String {
        format!("{}:{}", self.component, self.stage.as_str())
    }
}
