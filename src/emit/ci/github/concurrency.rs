//! A job's `concurrency:`.

use serde::Serialize;

/// One job of the group at a time; a new one waits, a running one is never
/// cancelled (GitHub still cancels a *pending* job of the group when
/// another one queues: at most one runs and one waits).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Concurrency {
    /// The group's name (`stack-deploy-prod`: one per environment).
    pub group: String,
    /// Always `false`: a deploy is never cancelled halfway by the next one.
    #[serde(rename = "cancel-in-progress")]
    pub cancel_in_progress: bool,
}
