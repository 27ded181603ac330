//! Stage 5: pure functions from the [`Model`] to generated files.
//! Emitters never do I/O and never fail on user input.

use std::collections::BTreeMap;

pub mod compose;
pub mod scripts;

use crate::model::Model;

/// Generated files: path relative to the output folder (`/`-separated) → contents.
/// A BTreeMap, so iteration order never depends on hashing.
pub type ArtifactSet = BTreeMap<String, String>;

/// Every artifact of every target.
pub fn emit_all(model: &Model) -> ArtifactSet {
    let mut artifacts = ArtifactSet::new();
    artifacts.extend(compose::emit(model));
    artifacts.extend(scripts::emit(model));
    artifacts
}
