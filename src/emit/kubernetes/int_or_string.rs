//! Kubernetes' `IntOrString`.

use serde::Serialize;

/// A number or a string such as `25%` (`maxSurge`, `maxUnavailable`, a
/// pause's duration).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum IntOrString {
    Int(u64),
    String(String),
}
