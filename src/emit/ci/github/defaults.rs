//! The workflow's `defaults:`.

use serde::Serialize;

use super::RunDefaults;

/// `defaults: run:`, for every `run` step of every job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Defaults {
    /// Shell and working directory of `run` steps.
    pub run: RunDefaults,
}
