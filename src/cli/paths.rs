//! Paths as the user sees them: relative to where stackc was run, quoted
//! for the shell, and the output folder seen from the workspace.

use std::path::{Path, PathBuf};

use crate::load::{normalise, Workspace};
use crate::source::SourceMap;

/// The workspace's files named relative to the current folder when the
/// workspace is below it (`infra/services/api.stack:3:5`), so editors and
/// pre-commit output can jump to them; otherwise relative to the workspace.
pub(super) fn display_sources(workspace: &Workspace) -> SourceMap {
    let prefix = shown(&workspace.root);
    let prefix = if prefix.is_absolute() || prefix == Path::new(".") {
        String::new()
    } else {
        let parts: Vec<String> = prefix
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
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

/// `path` relative to the current folder when it is below it.
pub(super) fn shown(path: &Path) -> PathBuf {
    let Some(cwd) = std::env::current_dir()
        .ok()
        .map(|cwd| cwd.canonicalize().unwrap_or(cwd))
    else {
        return path.to_path_buf();
    };
    match path.strip_prefix(&cwd) {
        Ok(relative) if relative.as_os_str().is_empty() => PathBuf::from("."),
        Ok(relative) => relative.to_path_buf(),
        Err(_) => path.to_path_buf(),
    }
}

/// The command that regenerates the files, with the arguments given.
pub(super) fn regenerate_command(path: &Path, out: Option<&Path>) -> String {
    let mut command = String::from("stackc build");
    if path != Path::new(".") {
        command.push(' ');
        command.push_str(&shell_word(&path.to_string_lossy()));
    }
    if let Some(out) = out {
        command.push_str(" --out ");
        command.push_str(&shell_word(&out.to_string_lossy()));
    }
    command
}

/// A word the shell reads back as is, quoted only when it must be.
pub(super) use crate::shell::quote_if_needed as shell_word;

/// `to` as seen from `from` (both folders), `/`-separated: what build
/// contexts in generated files are written against. Relative, so output
/// never holds an absolute path.
pub(super) fn relative_dir(from: &Path, to: &Path) -> String {
    let absolute = |p: &Path| {
        let joined = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        // Resolve symlinks in the part that exists, so both sides compare alike.
        let mut existing = joined.clone();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (
                existing.file_name().map(|n| n.to_os_string()),
                existing.parent(),
            ) {
                (Some(name), Some(parent)) => {
                    rest.push(name);
                    existing = parent.to_path_buf();
                }
                _ => break,
            }
        }
        let mut resolved = existing.canonicalize().unwrap_or(existing);
        for name in rest.into_iter().rev() {
            resolved.push(name);
        }
        normalise(&resolved)
    };
    let (from, to) = (absolute(from), absolute(to));
    let from_parts: Vec<_> = from.components().collect();
    let to_parts: Vec<_> = to.components().collect();
    let common = from_parts
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<String> = vec!["..".to_string(); from_parts.len().saturating_sub(common)];
    parts.extend(
        to_parts
            .iter()
            .skip(common)
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_dirs() {
        assert_eq!(
            relative_dir(Path::new("/w/generated"), Path::new("/w")),
            ".."
        );
        assert_eq!(relative_dir(Path::new("/w/a/b"), Path::new("/w")), "../..");
        assert_eq!(relative_dir(Path::new("/out"), Path::new("/w")), "../w");
        assert_eq!(relative_dir(Path::new("/w"), Path::new("/w")), ".");
    }

    #[test]
    fn regenerate_command_quotes_what_needs_it() {
        assert_eq!(regenerate_command(Path::new("."), None), "stackc build");
        assert_eq!(
            regenerate_command(Path::new("my stack"), Some(Path::new("out/it's"))),
            "stackc build 'my stack' --out 'out/it'\\''s'"
        );
    }
}
