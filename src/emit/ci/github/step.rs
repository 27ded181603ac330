//! One step of a job.

use indexmap::IndexMap;
use serde::Serialize;

use super::StepInput;

/// A step: an action (`uses`, `with`) or a shell command (`run`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Step {
    /// What the log shows for the step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The id by which `steps.<id>.outputs` names its outputs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The condition under which the step runs (`always()`).
    #[serde(rename = "if", skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// The action (`actions/checkout@v4`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uses: Option<String>,
    /// The action's inputs.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub with: IndexMap<String, StepInput>,
    /// Variables of this step only.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub env: IndexMap<String, String>,
    /// The shell command.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<String>,
}
