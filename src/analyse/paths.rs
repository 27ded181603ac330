//! Paths written in specs, relative to the workspace root: they must stay
//! inside it (lexically: see [`crate::lexical_path`]).

use super::template::reject_template;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::lexical_path::relative_parts;
use crate::syntax::ast::StringLit;

/// A path relative to the workspace root that stays inside it (a build
/// context, a test path), with `.` and `..` resolved (`.` for the root
/// itself). `what` names it in diagnostics (`build context`).
pub fn relative_path(
    literal: &StringLit,
    what: &str,
    diagnostics: &mut Diagnostics,
) -> Option<String> {
    reject_template(literal, diagnostics);
    let value = &literal.value;
    if value.starts_with('/') || value.contains('\\') || value.contains('\n') {
        diagnostics.push(
            Diagnostic::error(
                Code::OutsideRoot,
                format!("the {what} must be a relative path with `/`"),
            )
            .at(literal.span)
            .with_help("paths are relative to the workspace root, such as `services/api`"),
        );
        return None;
    }
    let Some(parts) = relative_parts(value) else {
        diagnostics.push(
            Diagnostic::error(
                Code::OutsideRoot,
                format!("the {what} `{value}` leaves the workspace root"),
            )
            .at(literal.span)
            .with_help("stackc only refers to files under the folder holding the Stackfile"),
        );
        return None;
    };
    Some(if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    })
}

/// A host path in the `compose { }` pass-through (`path`, part of
/// `literal`): an absolute one (`/`, `~`) or one starting with a run-time
/// reference is taken as written; a relative one must stay inside the
/// workspace root, as the Compose emitter rebases it onto the root.
pub fn check_host_path(literal: &StringLit, path: &str, diagnostics: &mut Diagnostics) {
    if path.starts_with(['/', '~', '$']) {
        return;
    }
    if relative_parts(path).is_none() {
        diagnostics.push(
            Diagnostic::error(
                Code::OutsideRoot,
                format!("`{path}` leaves the workspace root"),
            )
            .at(literal.span)
            .with_help(
                "relative paths in `compose` are relative to the workspace root (stackc rewrites them for the generated files); use an absolute path for a file outside it",
            ),
        );
    }
}
