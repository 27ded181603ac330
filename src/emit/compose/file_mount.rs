//! One entry of a service's `secrets:` or `configs:`.

use serde::Serialize;

use super::compose_string;
use crate::model::FileReference;

/// Compose's short form (the name: mounted at `/run/secrets/NAME` for a
/// secret, `/NAME` for a config) when the spec gives no target, else the
/// long form with `source` and `target`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum FileMount {
    Short(String),
    Long { source: String, target: String },
}

impl FileMount {
    pub fn new(reference: &FileReference) -> FileMount {
        match &reference.target {
            None => FileMount::Short(reference.source.clone()),
            Some(target) => FileMount::Long {
                source: reference.source.clone(),
                target: compose_string::literal(target),
            },
        }
    }
}
