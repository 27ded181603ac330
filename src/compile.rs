//! Runs the front half of the pipeline: load → analyse.

use std::path::Path;

use crate::analyse::{self, analyse, Summary};
use crate::diagnostic::Diagnostics;
use crate::load::{load, LoadError, Workspace};
use crate::model::Model;

/// A workspace, its model when it has no error, and everything found.
#[derive(Debug)]
pub struct Compilation {
    pub workspace: Workspace,
    pub model: Option<Model>,
    pub diagnostics: Diagnostics,
}

/// Loads and analyses the workspace at `path` (a folder or a Stackfile).
pub fn compile(path: &Path) -> Result<Compilation, LoadError> {
    let (workspace, mut diagnostics) = load(path)?;
    // A file that did not load would make the analyser report its absence
    // (unknown components, a missing stack) on top of the real mistake.
    if diagnostics.has_errors() {
        return Ok(Compilation {
            workspace,
            model: None,
            diagnostics,
        });
    }
    let (model, analysis) = analyse(&workspace);
    diagnostics.extend(analysis);
    let model = if diagnostics.has_errors() {
        None
    } else {
        model
    };
    Ok(Compilation {
        workspace,
        model,
        diagnostics,
    })
}

/// A workspace, what `stackc check` prints of it (the counts of its Model,
/// `None` when there is an error), and everything found.
#[derive(Debug)]
pub struct Checked {
    pub workspace: Workspace,
    pub summary: Option<Summary>,
    pub diagnostics: Diagnostics,
}

/// Loads and analyses the workspace at `path` as [`compile`] does, with
/// the same diagnostics, without assembling the Model (which only `check`
/// can do without).
pub fn check(path: &Path) -> Result<Checked, LoadError> {
    let (workspace, mut diagnostics) = load(path)?;
    if diagnostics.has_errors() {
        return Ok(Checked {
            workspace,
            summary: None,
            diagnostics,
        });
    }
    let (summary, analysis) = analyse::check(&workspace);
    diagnostics.extend(analysis);
    let summary = summary.filter(|_| !diagnostics.has_errors());
    Ok(Checked {
        workspace,
        summary,
        diagnostics,
    })
}
