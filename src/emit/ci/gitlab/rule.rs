//! One entry of `rules:`.

use serde::Serialize;

/// `- if: EXPRESSION`: matches when the expression is true.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// A CI/CD variable expression (`$CI_COMMIT_BRANCH == "main"`).
    #[serde(rename = "if")]
    pub condition: String,
}
