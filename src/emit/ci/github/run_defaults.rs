//! `defaults: run:`.

use serde::Serialize;

/// How `run` steps run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunDefaults {
    /// `bash` (GitHub then runs `bash --noprofile --norc -eo pipefail`).
    pub shell: String,
    /// The workspace root, relative to the checkout, when it is not the
    /// repository root.
    #[serde(rename = "working-directory", skip_serializing_if = "Option::is_none")]
    pub working_directory: Option<String>,
}
