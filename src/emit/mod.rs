//! Stage 5: pure functions from the [`Model`] to generated files.
//! Emitters never do I/O and never fail on user input.

use std::collections::BTreeMap;

pub mod compose;
pub mod scripts;

use crate::model::Model;
use crate::output::{Artifact, FileMode, Layout, Root};

/// Generated files: path relative to the output folder (`/`-separated) → contents.
/// A BTreeMap, so iteration order never depends on hashing.
pub type ArtifactSet = BTreeMap<String, String>;

/// Every artifact of every target, for the default output folder
/// (`generated/` directly under the workspace root).
pub fn emit_all(model: &Model) -> ArtifactSet {
    emit_all_to(model, compose::DEFAULT_ROOT_FROM_OUTPUT)
}

/// Every artifact of every target; `root_from_output` is the workspace root
/// as seen from the output folder (relative, `/`-separated), which build
/// contexts in Compose files are written against.
pub fn emit_all_to(model: &Model, root_from_output: &str) -> ArtifactSet {
    let mut artifacts = ArtifactSet::new();
    artifacts.extend(compose::emit_with_root(model, root_from_output));
    artifacts.extend(scripts::emit(model));
    artifacts
}

/// Every artifact of every target, laid out as `layout` says.
///
/// Interim shape (issue 8): rendered eagerly and the mode read from a leading
/// `#!`; the target registry replaces both with per-target artifacts that
/// render when written and state their mode.
pub fn artifacts<'m>(model: &'m Model, layout: &Layout) -> Vec<Artifact<'m>> {
    emit_all_to(model, &layout.workspace_from_output)
        .into_iter()
        .map(|(path, contents)| {
            let mode = if contents.starts_with("#!") {
                FileMode::Executable
            } else {
                FileMode::Regular
            };
            Artifact::rendered(Root::Output, path, mode, contents)
        })
        .collect()
}
