//! An event's branch filter.

use serde::Serialize;

/// `branches:` patterns of a `push` or `pull_request` event; empty: every
/// branch (written `{}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BranchFilter {
    /// Filter patterns (GitHub's glob syntax: special characters escaped
    /// with `\` for a literal name).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub branches: Vec<String>,
}
