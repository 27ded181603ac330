//! The configuration's `workflow:`.

use serde::Serialize;

use super::Rule;

/// Which pipelines are created: the first rule that matches creates one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Workflow {
    /// Merge request pipelines and default-branch pipelines.
    pub rules: Vec<Rule>,
}
