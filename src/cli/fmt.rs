//! `stackc fmt`: which files, the diff or the rewrite.

use std::collections::BTreeSet;

use camino::{Utf8Path, Utf8PathBuf};

use super::paths::{display_sources, shell_word};
use super::{must_exist, report, say, Cli};
use crate::diagnostic::Diagnostics;
use crate::format::{format_verified, is_formatted};
use crate::load::load;
use crate::source::SourceMap;
use crate::syntax::parse;

/// One spec file for `fmt`.
struct SpecFile {
    shown: String,
    absolute: Utf8PathBuf,
    text: String,
    document: crate::syntax::ast::Document,
}

/// Formats (or, with `check`, diffs) every spec file the paths name. A
/// path that cannot be read (or a file that cannot be written) is reported
/// and skipped: the others are still formatted, each file written
/// atomically, and the exit code is 2.
pub(super) fn fmt(cli: &Cli, paths: &[Utf8PathBuf], check: bool) -> u8 {
    let Found {
        files,
        errors,
        mut unreadable,
    } = collect(cli, paths);
    // Every file is formatted and verified before any is written, so a
    // formatter bug leaves all of them as they were.
    let mut outputs: Vec<(&SpecFile, String)> = Vec::new();
    for file in &files {
        let Some(formatted) = format_verified(&file.text, &file.document) else {
            eprintln!(
                "error: internal error: formatting {} would change what it means; nothing was written (please report this with the file)",
                file.shown
            );
            return 2;
        };
        if !is_formatted(&file.text, &formatted) {
            outputs.push((file, formatted));
        }
    }

    let mut changed = Vec::new();
    for (file, formatted) in outputs {
        if check {
            let current = file.text.replace("\r\n", "\n");
            let diff = similar::TextDiff::from_lines(&current, &formatted);
            say(&diff
                .unified_diff()
                .context_radius(3)
                .header(
                    &format!("{} (current)", file.shown),
                    &format!("{} (formatted)", file.shown),
                )
                .to_string());
        } else if let Err(error) = crate::output::replace_file(&file.absolute, &formatted) {
            eprintln!("error: cannot write {}: {error}", file.shown);
            unreadable = true;
            continue;
        } else {
            say(&format!("formatted {}\n", file.shown));
        }
        changed.push(file.shown.clone());
    }
    if check && !changed.is_empty() {
        eprintln!(
            "error: {} spec file{} not formatted",
            changed.len(),
            if changed.len() == 1 { " is" } else { "s are" }
        );
        let args: Vec<String> = paths.iter().map(|p| shell_word(p.as_str())).collect();
        let args = if args == ["."] {
            String::new()
        } else {
            format!(" {}", args.join(" "))
        };
        eprintln!("help: format them with `stackc fmt{args}`");
    }
    if unreadable {
        2
    } else if errors || (check && !changed.is_empty()) {
        1
    } else {
        0
    }
}

/// The spec files of every path, each once.
struct Found {
    files: Vec<SpecFile>,
    /// A file has syntax errors (reported, left alone).
    errors: bool,
    /// A path could not be read (reported).
    unreadable: bool,
}

fn collect(cli: &Cli, paths: &[Utf8PathBuf]) -> Found {
    let mut found = Found {
        files: Vec::new(),
        errors: false,
        unreadable: false,
    };
    let mut seen = BTreeSet::new();
    for path in paths {
        let files = match must_exist(path) {
            Err(message) => {
                eprintln!("error: {message}");
                None
            }
            Ok(()) if path.is_dir() => workspace_files(cli, path),
            Ok(()) => single_file(cli, path),
        };
        let Some((files, had_errors)) = files else {
            found.unreadable = true;
            continue;
        };
        found.errors |= had_errors;
        for file in files {
            let key = file
                .absolute
                .canonicalize_utf8()
                .unwrap_or(file.absolute.clone());
            if seen.insert(key) {
                found.files.push(file);
            }
        }
    }
    found
}

/// Every file of the workspace at `path` that parses, and whether any did not.
fn workspace_files(cli: &Cli, path: &Utf8Path) -> Option<(Vec<SpecFile>, bool)> {
    let (workspace, diagnostics) = match load(path.as_std_path()) {
        Ok(loaded) => loaded,
        Err(error) => {
            eprintln!("error: {error}");
            return None;
        }
    };
    let sources = display_sources(&workspace);
    report(cli, &sources, &diagnostics);
    let mut files = Vec::new();
    for (id, document) in workspace.documents {
        let (Some(source), Some(shown)) = (workspace.sources.get(id), sources.get(id)) else {
            continue;
        };
        // The loader refuses paths that are not UTF-8, so this holds.
        let Some(absolute) = Utf8Path::from_path(&source.absolute) else {
            eprintln!("error: {} is not valid UTF-8", shown.path);
            return None;
        };
        files.push(SpecFile {
            shown: shown.path.clone(),
            absolute: absolute.to_path_buf(),
            text: source.text.to_string(),
            document,
        });
    }
    Some((files, diagnostics.has_errors()))
}

/// One spec file on its own (its includes are not followed).
fn single_file(cli: &Cli, path: &Utf8Path) -> Option<(Vec<SpecFile>, bool)> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("error: cannot read {path}: {error}");
            return None;
        }
    };
    let shown = path.to_string();
    let Ok(text) = String::from_utf8(bytes) else {
        eprintln!("error: {shown} is not valid UTF-8");
        return Some((Vec::new(), true));
    };
    let mut sources = SourceMap::new();
    let id = sources.add(
        shown.clone(),
        path.as_std_path().to_path_buf(),
        text.clone(),
    );
    match parse(id, &text) {
        Ok(document) => Some((
            vec![SpecFile {
                shown,
                absolute: path.to_path_buf(),
                text,
                document,
            }],
            false,
        )),
        Err(diagnostic) => {
            let mut diagnostics = Diagnostics::new();
            diagnostics.push(diagnostic);
            report(cli, &sources, &diagnostics);
            Some((Vec::new(), true))
        }
    }
}
