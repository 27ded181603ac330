//! Stage 3: names, types, graph and templates → the validated [`Model`].

use crate::diagnostic::Diagnostics;
use crate::load::Workspace;
use crate::model::Model;

/// Analyses a loaded workspace. Returns the model when there is no error;
/// the diagnostics hold every error and warning found.
pub fn analyse(workspace: &Workspace) -> (Option<Model>, Diagnostics) {
    let _ = workspace;
    (None, Diagnostics::new())
}
