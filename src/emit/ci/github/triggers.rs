//! The workflow's `on:`.

use serde::Serialize;

use super::BranchFilter;

/// Pushes to the default branch and every pull request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Triggers {
    /// `push`, filtered to the default branch.
    pub push: BranchFilter,
    /// `pull_request`, unfiltered (`{}`).
    pub pull_request: BranchFilter,
}
