//! What every target implements.

use super::BuildCache;
use crate::model::Model;
use crate::output::{Artifact, Layout};

/// One kind of generated files (Compose files, the task runner, ...),
/// listed once in [`super::TARGETS`].
///
/// A target is a pure function of the Model: it does no I/O and never fails
/// on user input (the analyser has rejected whatever it cannot write).
/// `artifacts` only describes the files; each one is rendered when the
/// output layer writes or compares it, one file at a time.
pub trait Target: Sync {
    /// A short lower-case name (`compose`, `scripts`), for messages and tests.
    fn name(&self) -> &'static str;

    /// Every file of this target for `model`: its root, path, mode and a
    /// closure that renders it. `layout` says where the roots sit relative
    /// to the workspace, for paths written inside the files (a Compose build
    /// context is `layout.workspace_from(root, path)` joined with the spec's
    /// folder). Paths must be unique across all targets. `cache` holds what
    /// the build's artifacts of several targets share (see [`BuildCache`]).
    fn artifacts<'m>(
        &self,
        model: &'m Model,
        layout: &Layout,
        cache: &BuildCache<'m>,
    ) -> Vec<Artifact<'m>>;
}
