//! `stackc import`: which files, where the workspace goes, and writing it
//! (all of it or nothing).

use std::io::Write;

use camino::{Utf8Path, Utf8PathBuf};

use super::{report, say, Cli};
use crate::import::{import as run_import, Disk, Request, Workspace};
use crate::output::Batch;
use crate::source::SourceMap;

/// Imports `files` into `into` (default: the first file's folder). Exit
/// codes: 0 written (reports are printed), 1 an error in the files or,
/// with `strict`, any report (nothing written), 2 a usage or I/O error, or
/// a file the import would write already exists (nothing written).
pub(super) fn import(
    cli: &Cli,
    files: &[Utf8PathBuf],
    into: Option<&Utf8Path>,
    strict: bool,
) -> u8 {
    let cwd = match std::env::current_dir().map(Utf8PathBuf::from_path_buf) {
        Ok(Ok(cwd)) => cwd,
        _ => {
            eprintln!("error: cannot read the current folder (or its path is not UTF-8)");
            return 2;
        }
    };
    let absolute = |p: &Utf8Path| -> String {
        let joined = if p.is_absolute() {
            p.to_path_buf()
        } else {
            cwd.join(p)
        };
        crate::import::normalise_path(joined.as_str())
    };
    let inputs: Vec<String> = files.iter().map(|f| absolute(f)).collect();
    let Some(first) = inputs.first() else {
        eprintln!("error: name at least one Compose file");
        return 2;
    };
    let root = match into {
        Some(dir) => absolute(dir),
        None => crate::import::parent_folder(first),
    };
    let root_path = Utf8PathBuf::from(&root);
    if root_path.exists() && !root_path.is_dir() {
        eprintln!("error: {root} is not a folder");
        return 2;
    }
    let shown = |path: &str| -> String {
        let prefix = format!("{}/", cwd.as_str().trim_end_matches('/'));
        path.strip_prefix(&prefix).unwrap_or(path).to_string()
    };
    let request = Request {
        files: &inputs,
        root: &root,
        shown: &shown,
    };
    let mut sources = SourceMap::new();
    let outcome = run_import(&request, &Disk, &mut sources);
    report(cli, &sources, &outcome.diagnostics);
    if let Some(internal) = outcome.internal {
        eprintln!("error: {internal}");
        return 2;
    }
    let Some(workspace) = outcome.workspace else {
        eprintln!("error: nothing was imported");
        return 1;
    };
    let reports = outcome.diagnostics.warning_count();
    if strict && reports > 0 {
        eprintln!(
            "error: --strict: {reports} report{} above; nothing was written",
            if reports == 1 { "" } else { "s" }
        );
        return 1;
    }
    let existing: Vec<&str> = workspace
        .files
        .iter()
        .map(|(path, _)| path.as_str())
        .filter(|path| root_path.join(path).symlink_metadata().is_ok())
        .collect();
    if !existing.is_empty() {
        eprintln!(
            "error: {} already holds {}; nothing was written (import into another folder with --into DIR)",
            shown(&root),
            existing.join(", ")
        );
        return 2;
    }
    if let Err(message) = write(&root_path, &workspace) {
        eprintln!("error: {message}; nothing was written");
        return 2;
    }
    let components = workspace.files.len().saturating_sub(1);
    say(&format!(
        "imported {components} component{} into {} (stack `{}`){}\n",
        if components == 1 { "" } else { "s" },
        if shown(&root).is_empty() || root == cwd.as_str() {
            ".".to_string()
        } else {
            shown(&root)
        },
        workspace.stack,
        if reports > 0 {
            format!(
                ", with {reports} report{} above",
                if reports == 1 { "" } else { "s" }
            )
        } else {
            String::new()
        }
    ));
    let _ = std::io::stderr().flush();
    0
}

/// Writes every file, all at once: each is staged beside its target and
/// renamed over it only when all are staged, so an interrupted import
/// leaves no file half-written. Folders it created are removed again when
/// staging fails.
fn write(root: &Utf8Path, workspace: &Workspace) -> Result<(), String> {
    let mut created: Vec<Utf8PathBuf> = Vec::new();
    let mut batch = Batch::default();
    let result = (|| {
        for (path, text) in &workspace.files {
            let target = root.join(path);
            let folder = target.parent().unwrap_or(root).to_path_buf();
            let name = target.file_name().unwrap_or_default().to_string();
            let mut missing = Vec::new();
            let mut up = folder.as_path();
            while !up.exists() {
                missing.push(up.to_path_buf());
                match up.parent() {
                    Some(parent) => up = parent,
                    None => break,
                }
            }
            for dir in missing.into_iter().rev() {
                std::fs::create_dir(&dir).map_err(|e| format!("cannot create {dir}: {e}"))?;
                created.push(dir);
            }
            batch
                .stage(&folder, &name, text.as_bytes(), 0o644)
                .map_err(|e| format!("cannot write {target}: {e}"))?;
        }
        batch
            .commit()
            .map(|_| ())
            .map_err(|(target, e)| format!("cannot write {target}: {e}"))
    })();
    if result.is_err() {
        drop(batch);
        for dir in created.iter().rev() {
            let _ = std::fs::remove_dir(dir);
        }
    }
    result
}
