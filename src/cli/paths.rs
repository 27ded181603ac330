//! Paths as the user sees them: relative to where stackc was run, and
//! quoted for the shell.

use camino::{Utf8Path, Utf8PathBuf};

use crate::load::Workspace;
use crate::output::{relative_dir, resolve};
use crate::source::SourceMap;

/// The workspace's files named as [`shown`] names paths
/// (`infra/services/api.stack`, `../shop/Stackfile`), so editors, terminals
/// and pre-commit output resolve them from where stackc was run; the same
/// names go into `--message-format json`.
pub(super) fn display_sources(workspace: &Workspace) -> SourceMap {
    let cwd = current_folder();
    let root = resolve(&workspace.root).unwrap_or_else(|_| workspace.root.clone());
    workspace.sources.renamed(|file| {
        let path = root.join(&file.path);
        let shown = cwd
            .as_deref()
            .map_or(path.clone(), |cwd| seen_from(cwd, &path));
        shown.into_string()
    })
}

/// `path` as the user should see it: relative to the current folder, with
/// `..` where it lies beside it (`infra/generated`, `../shop/generated`,
/// `.`), `/`-separated. Absolute when the two share no folder but `/`, or
/// when the current folder cannot be read or is not UTF-8.
pub(super) fn shown(path: &Utf8Path) -> Utf8PathBuf {
    match (current_folder(), resolve(path)) {
        (Some(cwd), Ok(path)) => seen_from(&cwd, &path),
        _ => path.to_path_buf(),
    }
}

/// The current folder, resolved; `None` when it cannot be read or is not
/// UTF-8.
fn current_folder() -> Option<Utf8PathBuf> {
    resolve(Utf8Path::new(".")).ok()
}

/// `path` (resolved) seen from `cwd` (resolved), by the rule of [`shown`].
fn seen_from(cwd: &Utf8Path, path: &Utf8Path) -> Utf8PathBuf {
    let shares_a_folder = matches!(
        (cwd.components().nth(1), path.components().nth(1)),
        (Some(a), Some(b)) if a == b
    );
    if shares_a_folder {
        Utf8PathBuf::from(relative_dir(cwd, path))
    } else {
        path.to_path_buf()
    }
}

/// The arguments of `build` that say where things are, as given.
#[derive(Debug, Clone, Copy)]
pub(super) struct BuildArgs<'a> {
    /// The workspace folder or Stackfile.
    pub path: &'a Utf8Path,
    /// `--out`.
    pub out: Option<&'a Utf8Path>,
    /// `--repository-root`.
    pub repository_root: Option<&'a Utf8Path>,
}

/// The command that regenerates the files, with the arguments given.
pub(super) fn regenerate_command(args: BuildArgs<'_>) -> String {
    let mut command = String::from("stackc build");
    if args.path != "." {
        command.push(' ');
        command.push_str(&shell_word(args.path.as_str()));
    }
    if let Some(out) = args.out {
        command.push_str(" --out ");
        command.push_str(&shell_word(out.as_str()));
    }
    if let Some(root) = args.repository_root {
        command.push_str(" --repository-root ");
        command.push_str(&shell_word(root.as_str()));
    }
    command
}

/// A word the shell reads back as is, quoted only when it must be.
pub(super) use crate::shell::quote_if_needed as shell_word;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regenerate_command_quotes_what_needs_it() {
        let args = |path: &'static str,
                    out: Option<&'static str>,
                    repository_root: Option<&'static str>| BuildArgs {
            path: Utf8Path::new(path),
            out: out.map(Utf8Path::new),
            repository_root: repository_root.map(Utf8Path::new),
        };
        assert_eq!(regenerate_command(args(".", None, None)), "stackc build");
        assert_eq!(
            regenerate_command(args("my stack", Some("out/it's"), None)),
            "stackc build 'my stack' --out 'out/it'\\''s'"
        );
        assert_eq!(
            regenerate_command(args(".", None, Some("../.."))),
            "stackc build --repository-root ../.."
        );
    }

    #[test]
    fn paths_are_shown_from_the_current_folder() {
        let cwd = resolve(Utf8Path::new(".")).unwrap();
        assert_eq!(shown(&cwd), ".");
        assert_eq!(shown(&cwd.join("infra/generated")), "infra/generated");
        let parent = cwd.parent().unwrap();
        let name = cwd.file_name().unwrap();
        assert_eq!(shown(&parent.join("shop")), "../shop");
        assert_eq!(shown(parent), "..");
        assert_eq!(shown(&parent.join(name).join("x")), "x");
        // Nothing shared but `/`: absolute.
        let first = cwd.components().nth(1).unwrap().as_str().to_string();
        let elsewhere = Utf8PathBuf::from(format!("/not-{first}/x"));
        assert_eq!(shown(&elsewhere), elsewhere);
    }
}
