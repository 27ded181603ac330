//! CI pipelines: `.github/workflows/stack.yml` (GitHub Actions) and
//! `.gitlab-ci.yml` (GitLab CI/CD) at the repository root, for the
//! providers the stack's `ci` block names. See `docs/ci.md`.
//!
//! [`Pipeline`] computes the job graph once (which jobs each component has,
//! what they need, the task runner commands they run); [`github`] and
//! [`gitlab`] map it to their vendor's typed structs, serialized through
//! [`crate::emit::yaml`]. Jobs only call `./generated/stack` (and `stackc`
//! for `affected` and `check`): the build server has no logic.

pub mod github;
pub mod gitlab;
mod header;
mod job;
mod job_id;
mod job_stage;
mod pipeline;

pub use header::header;
pub use job::Job;
pub use job_id::JobId;
pub use job_stage::JobStage;
pub use pipeline::{Pipeline, REPORTS, STACKC_VERSION};

use super::BuildCache;
use super::Target;
use crate::model::{CiProvider, Model};
use crate::output::{Artifact, FileMode, Layout, Root};

/// The CI target: one file per provider of the `ci` block, none without one.
#[derive(Debug, Clone, Copy, Default)]
pub struct CiPipelines;

/// Where `provider` reads its pipeline, relative to the repository root.
pub fn path(provider: CiProvider) -> &'static str {
    match provider {
        CiProvider::Github => ".github/workflows/stack.yml",
        CiProvider::Gitlab => ".gitlab-ci.yml",
    }
}

impl Target for CiPipelines {
    fn name(&self) -> &'static str {
        "ci"
    }

    /// The providers' files, in the order the `ci` block lists them.
    fn artifacts<'m>(
        &self,
        model: &'m Model,
        layout: &Layout,
        _cache: &BuildCache<'m>,
    ) -> Vec<Artifact<'m>> {
        let Some(ci) = &model.stack.ci else {
            return Vec::new();
        };
        ci.providers
            .iter()
            .map(|&provider| {
                let layout = layout.clone();
                Artifact::new(
                    Root::Repository,
                    path(provider),
                    FileMode::Regular,
                    move || {
                        let pipeline = Pipeline::new(model, ci, &layout);
                        let header = header(model, ci, &layout);
                        match provider {
                            CiProvider::Github => github::render(model, ci, &pipeline, &header),
                            CiProvider::Gitlab => gitlab::render(model, ci, &pipeline, &header),
                        }
                    },
                )
            })
            .collect()
    }
}

/// Every CI file of `model` for `layout`, rendered, as (path from the
/// repository root, contents): for tests.
pub fn emit(model: &Model, layout: &Layout) -> Vec<(String, String)> {
    super::render_all(CiPipelines.artifacts(model, layout, &BuildCache::new(model)))
}

#[cfg(test)]
mod tests;
