//! Stage 5: pure functions from the [`Model`] to generated files.
//! Emitters never do I/O and never fail on user input.
//!
//! Each target implements [`Target`] and is listed once, in [`TARGETS`];
//! [`artifacts`] asks every target for its files. Shared by the targets:
//! [`yaml`] (typed structs → YAML with the generated-file header) and
//! [`templates`] (the minijinja environment for text formats, parametrised
//! by the format's escaping). Shell quoting is [`crate::shell`]; HAProxy
//! quoting is [`haproxy::quote`].

use std::collections::BTreeMap;

mod block_yaml;
mod build_cache;
pub mod ci;
pub mod compose;
pub mod haproxy;
pub mod kubernetes;
pub mod scripts;
pub mod swarm;
pub mod target;
pub mod templates;
pub mod yaml;

pub use build_cache::BuildCache;
pub use target::Target;

use crate::model::Model;
use crate::output::{Artifact, Layout, Root};

/// Every target, in one place: adding a target is an implementation of
/// [`Target`] and one line here.
pub const TARGETS: &[&dyn Target] = &[
    &compose::Compose,
    &haproxy::Haproxy,
    &scripts::Scripts,
    &ci::CiPipelines,
    &kubernetes::Kubernetes,
    &swarm::Swarm,
];

/// Every artifact of every target, laid out as `layout` says, sorted by root
/// and then path. Nothing is rendered yet: each artifact renders when the
/// output layer writes or compares it.
pub fn artifacts<'m>(model: &'m Model, layout: &Layout) -> Vec<Artifact<'m>> {
    let cache = BuildCache::new(model);
    let mut all: Vec<Artifact<'m>> = TARGETS
        .iter()
        .flat_map(|target| target.artifacts(model, layout, &cache))
        .collect();
    all.sort_by(|a, b| (a.root, &a.path).cmp(&(b.root, &b.path)));
    all
}

/// Rendered files: path relative to the output folder (`/`-separated) →
/// contents. A BTreeMap, so iteration order never depends on hashing.
pub type ArtifactSet = BTreeMap<String, String>;

/// Every output-folder file, rendered, for the default layout (`generated/`
/// directly under the workspace root). Eager, so the whole tree is in
/// memory: for tests; the build streams through [`artifacts`].
pub fn emit_all(model: &Model) -> ArtifactSet {
    emit_all_to(model, &Layout::default().workspace_from_output)
}

/// Every output-folder file, rendered, with the workspace root at
/// `root_from_output` as seen from the output folder (relative,
/// `/`-separated). Eager, like [`emit_all`]: kept for tests and for callers
/// not yet moved to [`artifacts`].
pub fn emit_all_to(model: &Model, root_from_output: &str) -> ArtifactSet {
    let layout = Layout {
        workspace_from_output: root_from_output.to_string(),
        ..Layout::default()
    };
    artifacts(model, &layout)
        .into_iter()
        .filter(|artifact| artifact.root == Root::Output)
        .map(|artifact| (artifact.path.clone(), artifact.render()))
        .collect()
}

/// Renders `artifacts` in order, as (path, contents): for tests of one
/// target (`compose::emit`, `haproxy::emit`, `scripts::emit`).
pub fn render_all(artifacts: Vec<Artifact<'_>>) -> Vec<(String, String)> {
    artifacts
        .into_iter()
        .map(|artifact| {
            let contents = artifact.render();
            (artifact.path, contents)
        })
        .collect()
}

#[cfg(test)]
mod tests;
