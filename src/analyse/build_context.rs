//! Build contexts (`build = "services/api"`): a folder of the workspace
//! that holds a `Dockerfile`, checked on disk so that `stackc check` finds
//! what `docker build` would only find later.

use camino::Utf8Path;

use super::closed_set;
use super::paths::relative_path;
use crate::diagnostic::{did_you_mean, Code, Diagnostic, Diagnostics};
use crate::syntax::ast::StringLit;

/// The file `docker build` (and Compose, without `dockerfile`) reads at the
/// top of the context.
pub const DOCKERFILE: &str = "Dockerfile";

/// The build context `literal` names, relative to the workspace `root`,
/// `/`-separated; `None` after reporting a path that leaves the root (as
/// written, or through a symbolic link: E0003), does not exist, is not a
/// folder or, when `needs_dockerfile` (no `dockerfile` option names another
/// file), holds no `Dockerfile`.
pub fn build_context(
    literal: &StringLit,
    root: &Utf8Path,
    needs_dockerfile: bool,
    diagnostics: &mut Diagnostics,
) -> Option<String> {
    let path = relative_path(literal, "build context", diagnostics)?;
    let folder = root.join(&path);
    let problem = if !folder.exists() {
        let mut diagnostic = Diagnostic::error(
            Code::MissingPath,
            format!("the build context `{path}` does not exist"),
        )
        .at(literal.span)
        .with_label("no such folder");
        if let Some(help) = sibling_help(root, &path) {
            diagnostic = diagnostic.with_help(help);
        }
        diagnostic
    } else if leaves_root(&folder, root) {
        Diagnostic::error(
            Code::OutsideRoot,
            format!("the build context `{path}` leaves the workspace root through a symbolic link"),
        )
        .at(literal.span)
        .with_label("a symbolic link on this path leads outside")
        .with_help("stackc builds only folders under the workspace root; move or copy the folder inside it")
    } else if !folder.is_dir() {
        Diagnostic::error(
            Code::MissingPath,
            format!("the build context `{path}` is not a folder"),
        )
        .at(literal.span)
        .with_help("a build context is the folder `docker build` sends to the builder, holding a `Dockerfile`")
    } else if needs_dockerfile && !folder.join(DOCKERFILE).is_file() {
        Diagnostic::error(
            Code::MissingPath,
            format!("the build context `{path}` holds no `{DOCKERFILE}`"),
        )
        .at(literal.span)
        .with_help(format!(
            "`docker build` reads `{path}/{DOCKERFILE}`; add it, or name the folder that holds it"
        ))
    } else {
        return Some(path);
    };
    diagnostics.push(problem);
    None
}

/// Whether a symbolic link (the folder itself or a folder on the way)
/// takes `folder` outside `root`; not when it cannot be resolved (then the
/// other checks say why).
pub(super) fn leaves_root(folder: &Utf8Path, root: &Utf8Path) -> bool {
    let Ok(real) = folder.canonicalize_utf8() else {
        return false;
    };
    let root = root
        .canonicalize_utf8()
        .unwrap_or_else(|_| root.to_path_buf());
    !real.starts_with(&root)
}

/// "did you mean" among the folders beside the missing one, or the list of
/// them when none is close.
fn sibling_help(root: &Utf8Path, path: &str) -> Option<String> {
    let (parent, name) = path.rsplit_once('/').unwrap_or(("", path));
    let folder = if parent.is_empty() {
        root.to_path_buf()
    } else {
        root.join(parent)
    };
    let mut siblings: Vec<String> = folder
        .read_dir_utf8()
        .ok()?
        .filter_map(Result::ok)
        .filter(|entry| entry.path().is_dir() && !entry.file_name().starts_with('.'))
        .map(|entry| entry.file_name().to_string())
        .collect();
    siblings.sort();
    let names: Vec<&str> = siblings.iter().map(String::as_str).collect();
    let prefix = if parent.is_empty() {
        String::new()
    } else {
        format!("{parent}/")
    };
    match did_you_mean(name, names.iter().copied()) {
        Some(close) => Some(format!("did you mean `{prefix}{close}`?")),
        None if names.len() <= 12 => {
            let what = if parent.is_empty() {
                "folders at the workspace root".to_string()
            } else {
                format!("folders in `{parent}`")
            };
            closed_set::help(name, &names, &what)
        }
        None => None,
    }
}
