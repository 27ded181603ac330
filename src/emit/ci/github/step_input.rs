//! A value under a step's `with:`.

use serde::Serialize;

/// An action input: text or a number (`fetch-depth: 0`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum StepInput {
    /// A string.
    Text(String),
    /// A non-negative integer.
    Number(u64),
}
