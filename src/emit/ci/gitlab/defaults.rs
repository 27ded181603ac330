//! The configuration's `default:`.

use serde::Serialize;

/// What every job has unless it says otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Defaults {
    /// Runner tags (the `ci` block's `tags`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Lines run before each job's script: `cd` into the workspace when it
    /// is not the repository root.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub before_script: Vec<String>,
}
