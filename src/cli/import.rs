//! `stackc import`: which files, where the workspace goes, and writing it
//! (all of it or nothing).

use std::io::Write;

use camino::{Utf8Path, Utf8PathBuf};

use super::paths::display_sources;
use super::{report_about, Cli, MessageFormat};
use crate::diagnostic::Diagnostics;
use crate::import::{import as run_import, Disk, Request, Workspace};
use crate::output::Batch;
use crate::source::SourceMap;

/// Imports `files` into `into` (default: the first file's folder). Exit
/// codes: 0 written (reports are printed), 1 an error in the files or,
/// with `strict`, any report (nothing written), or the written workspace
/// does not pass `stackc check` (written, its errors printed), 2 a usage
/// or I/O error (a FILE that does not exist or cannot be read), or a file
/// the import would write already exists (nothing written).
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
    // A FILE that is not there is a usage mistake (exit 2), not a mistake
    // in a Compose file; one that is there but not text is E0140.
    for (given, path) in files.iter().zip(&inputs) {
        let readable = std::fs::metadata(path)
            .and_then(|m| {
                if m.is_dir() {
                    Err(std::io::Error::other("a folder, not a file"))
                } else {
                    std::fs::File::open(path).map(drop)
                }
            })
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => "no such file".to_string(),
                std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
                _ => e.to_string(),
            });
        if let Err(reason) = readable {
            fail(cli, &format!("cannot read {given}: {reason}"));
            return 2;
        }
    }
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
    report_about(cli, &sources, &outcome.diagnostics, "the Compose files");
    if let Some(internal) = outcome.internal {
        fail(cli, &internal);
        return 2;
    }
    let Some(workspace) = outcome.workspace else {
        fail(cli, "nothing was imported");
        return 1;
    };
    let reports = outcome.diagnostics.warning_count();
    if strict && reports > 0 {
        fail(
            cli,
            &format!(
                "--strict: {reports} report{} above; nothing was written",
                if reports == 1 { "" } else { "s" }
            ),
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
        fail(
            cli,
            &format!(
                "{} already holds {}; nothing was written (import into another folder with --into DIR)",
                shown(&root),
                existing.join(", ")
            ),
        );
        return 2;
    }
    if let Err(message) = write(&root_path, &workspace) {
        fail(cli, &format!("{message}; nothing was written"));
        return 2;
    }
    let components = workspace.files.len().saturating_sub(1);
    // Progress, on standard error after the reports it counts.
    progress(
        cli,
        &format!(
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
        ),
    );
    check_written(cli, &root_path)
}

/// The safety net: the written workspace is checked as `stackc check`
/// checks it. Its errors (a mistake the import let through) are printed
/// under a line saying so, and the exit code is 1; the files stay written,
/// for the user to fix.
fn check_written(cli: &Cli, root: &Utf8Path) -> u8 {
    let compilation = match crate::compile::compile(root.as_std_path()) {
        Ok(compilation) => compilation,
        Err(error) => {
            fail(
                cli,
                &format!("cannot check the imported workspace: {error}"),
            );
            return 2;
        }
    };
    if !compilation.diagnostics.has_errors() {
        return 0;
    }
    fail(
        cli,
        "the imported workspace does not pass `stackc check`: fix these in the spec files",
    );
    let mut errors = Diagnostics::new();
    for diagnostic in compilation.diagnostics.iter().filter(|d| d.is_error()) {
        errors.push(diagnostic.clone());
    }
    let sources = display_sources(&compilation.workspace);
    report_about(cli, &sources, &errors, "the imported specs");
    1
}

/// A message that is not a diagnostic, on standard error: `error: ...`, or
/// with `--message-format json` one JSON object (`severity`, `message`).
fn fail(cli: &Cli, message: &str) {
    line(cli, "error", message);
}

/// Progress (what was written), where the reports are: standard error.
fn progress(cli: &Cli, message: &str) {
    line(cli, "info", message.trim_end());
}

fn line(cli: &Cli, severity: &str, message: &str) {
    let text = match cli.message_format {
        MessageFormat::Json => {
            serde_json::json!({ "severity": severity, "message": message }).to_string()
        }
        MessageFormat::Human if severity == "error" => format!("error: {message}"),
        MessageFormat::Human => message.to_string(),
    };
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{text}");
    let _ = stderr.flush();
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
