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
    let (workspace, model, diagnostics) = load_and(path, analyse)?;
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
    let (workspace, summary, diagnostics) = load_and(path, analyse::check)?;
    Ok(Checked {
        workspace,
        summary,
        diagnostics,
    })
}

/// The workspace at `path`, what `analysis` makes of it (`None` when any
/// diagnostic, of the load or the analysis, is an error), and every
/// diagnostic. Errors or an I/O failure: [`LoadError`].
fn load_and<T>(
    path: &Path,
    analysis: fn(&Workspace) -> (Option<T>, Diagnostics),
) -> Result<(Workspace, Option<T>, Diagnostics), LoadError> {
    let (workspace, mut diagnostics) = load(path)?;
    // A file that did not load would make the analyser report its absence
    // (unknown components, a missing stack) on top of the real mistake.
    if diagnostics.has_errors() {
        return Ok((workspace, None, diagnostics));
    }
    let (result, analysis) = analysis(&workspace);
    diagnostics.extend(analysis);
    let result = result.filter(|_| !diagnostics.has_errors());
    Ok((workspace, result, diagnostics))
}
