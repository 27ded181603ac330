//! A service's `command`, in either of Compose's two forms.

use serde::Serialize;

/// Compose's `command`: a string, which Compose splits into words itself
/// (no shell), or the list of the program and its arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ServiceCommand {
    /// Written as one string.
    Line(String),
    /// Written as a list, each item one argument.
    Exec(Vec<String>),
}
