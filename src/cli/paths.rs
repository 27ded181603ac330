//! Paths as the user sees them: relative to where stackc was run, and
//! quoted for the shell.

use camino::{Utf8Path, Utf8PathBuf};

use crate::load::Workspace;
use crate::source::SourceMap;

/// The workspace's files named relative to the current folder when the
/// workspace is below it (`infra/services/api.stack:3:5`), so editors and
/// pre-commit output can jump to them; otherwise relative to the workspace.
pub(super) fn display_sources(workspace: &Workspace) -> SourceMap {
    let prefix = shown(&workspace.root);
    let prefix = if prefix.is_absolute() || prefix == "." {
        String::new()
    } else {
        let parts: Vec<&str> = prefix.components().map(|c| c.as_str()).collect();
        format!("{}/", parts.join("/"))
    };
    let mut map = SourceMap::new();
    for (_, file) in workspace.sources.files() {
        map.add(
            format!("{prefix}{}", file.path),
            file.absolute.clone(),
            file.text.clone(),
        );
    }
    map
}

/// `path` relative to the current folder when it is below it (a current
/// folder that cannot be read or is not UTF-8 leaves `path` as it is).
pub(super) fn shown(path: &Utf8Path) -> Utf8PathBuf {
    let Some(cwd) = std::env::current_dir()
        .ok()
        .map(|cwd| cwd.canonicalize().unwrap_or(cwd))
        .and_then(|cwd| Utf8PathBuf::from_path_buf(cwd).ok())
    else {
        return path.to_path_buf();
    };
    match path.strip_prefix(&cwd) {
        Ok(relative) if relative.as_str().is_empty() => Utf8PathBuf::from("."),
        Ok(relative) => relative.to_path_buf(),
        Err(_) => path.to_path_buf(),
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
}
