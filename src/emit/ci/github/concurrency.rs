//! A job's `concurrency:`.

use serde::Serialize;

/// One job of the group at a time; a new one waits, nothing is cancelled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Concurrency {
    /// The group's name (`stack-deploy-prod-api`).
    pub group: String,
    /// Always `false`: a deploy is never cancelled halfway by the next one.
    #[serde(rename = "cancel-in-progress")]
    pub cancel_in_progress: bool,
}
