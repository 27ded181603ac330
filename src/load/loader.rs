//! Reads the entry file and every file its includes reach: globs expanded in
//! sorted order, each file once, never outside the workspace root.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::ast::{Document, Include, Item};
use crate::syntax::parse;

/// The name of the file that starts a workspace.
pub const ENTRY_FILE: &str = "Stackfile";

/// Every file of a workspace, parsed.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The folder holding the entry file; every path is relative to it.
    pub root: PathBuf,
    pub sources: SourceMap,
    /// The files that parsed, in load order (entry first, then includes
    /// depth first in sorted order).
    pub documents: Vec<(FileId, Document)>,
}

/// Failures that are not mistakes in the specs: exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("no {ENTRY_FILE} in {0}")]
    NoEntry(PathBuf),
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Loads the workspace at `path`: a folder holding a `Stackfile`, or a file.
/// Spec mistakes are diagnostics; only an unreadable entry is an error.
pub fn load(path: &Path) -> Result<(Workspace, Diagnostics), LoadError> {
    let entry = if path.is_dir() {
        path.join(ENTRY_FILE)
    } else {
        path.to_path_buf()
    };
    if !entry.is_file() {
        return Err(LoadError::NoEntry(path.to_path_buf()));
    }
    let entry = entry.canonicalize().map_err(|source| LoadError::Io {
        path: entry.clone(),
        source,
    })?;
    let root = entry
        .parent()
        .map_or_else(|| PathBuf::from("/"), Path::to_path_buf);
    let bytes = std::fs::read(&entry).map_err(|source| LoadError::Io {
        path: entry.clone(),
        source,
    })?;

    let mut loader = Loader {
        root: root.clone(),
        sources: SourceMap::new(),
        documents: Vec::new(),
        seen: BTreeSet::new(),
        diagnostics: Diagnostics::new(),
    };
    loader.seen.insert(entry.clone());
    loader.add_file(&entry, bytes, None);
    Ok((
        Workspace {
            root,
            sources: loader.sources,
            documents: loader.documents,
        },
        loader.diagnostics,
    ))
}

struct Loader {
    root: PathBuf,
    sources: SourceMap,
    documents: Vec<(FileId, Document)>,
    seen: BTreeSet<PathBuf>,
    diagnostics: Diagnostics,
}

impl Loader {
    fn relative(&self, path: &Path) -> String {
        let relative = path.strip_prefix(&self.root).unwrap_or(path);
        relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// Adds one file and, depth first, the files it includes.
    fn add_file(&mut self, path: &Path, bytes: Vec<u8>, included_at: Option<Span>) {
        let relative = self.relative(path);
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(error) => {
                let offset = error.utf8_error().valid_up_to();
                let lossy = String::from_utf8_lossy(error.as_bytes()).into_owned();
                let file = self
                    .sources
                    .add(relative.clone(), path.to_path_buf(), lossy);
                let mut diagnostic = Diagnostic::error(
                    Code::NotUtf8,
                    format!("{relative} is not valid UTF-8 (byte offset {offset})"),
                )
                .at(Span::new(file, offset, offset + 1))
                .with_label("this byte is not UTF-8")
                .with_help("save the file as UTF-8");
                if let Some(span) = included_at {
                    diagnostic = diagnostic.also(span, "included here");
                }
                self.diagnostics.push(diagnostic);
                return;
            }
        };
        let file = self.sources.add(relative, path.to_path_buf(), text.clone());
        let document = match parse(file, &text) {
            Ok(document) => document,
            Err(diagnostic) => {
                self.diagnostics.push(diagnostic);
                return;
            }
        };
        let includes: Vec<Include> = document
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Include(include) => Some(include.clone()),
                _ => None,
            })
            .collect();
        self.documents.push((file, document));
        let dir = path
            .parent()
            .map_or_else(|| self.root.clone(), Path::to_path_buf);
        for include in includes {
            self.include(&dir, &include);
        }
    }

    fn include(&mut self, dir: &Path, include: &Include) {
        let pattern = &include.pattern.value;
        let span = include.pattern.span;
        if Path::new(pattern).is_absolute() {
            self.diagnostics.push(
                Diagnostic::error(Code::OutsideRoot, "an include must be a relative path")
                    .at(span)
                    .with_help("includes are relative to the file that holds them"),
            );
            return;
        }
        // Lexically, the pattern must stay under the root.
        let lexical = normalise(&dir.join(pattern));
        if !lexical.starts_with(&self.root) {
            self.diagnostics.push(
                Diagnostic::error(
                    Code::OutsideRoot,
                    format!("`{pattern}` leaves the workspace root"),
                )
                .at(span)
                .with_label("this path goes above the folder holding the Stackfile")
                .with_help(
                    "stackc reads only files under the workspace root; move the file inside it",
                ),
            );
            return;
        }
        let full = lexical.to_string_lossy().into_owned();
        let options = glob::MatchOptions {
            case_sensitive: true,
            require_literal_separator: true,
            require_literal_leading_dot: true,
        };
        let mut matches: Vec<PathBuf> =
            match glob::glob_with(&escape_root(&self.root, &full), options) {
                Ok(paths) => paths
                    .filter_map(Result::ok)
                    .filter(|p| p.is_file())
                    .collect(),
                Err(error) => {
                    self.diagnostics.push(
                        Diagnostic::error(
                            Code::Syntax,
                            format!("invalid include pattern: {}", error.msg),
                        )
                        .at(span)
                        .with_help("patterns use `*`, `?`, `**` and `[...]`"),
                    );
                    return;
                }
            };
        matches.sort();
        if matches.is_empty() {
            self.diagnostics.push(
                Diagnostic::error(
                    Code::IncludeNotFound,
                    format!("`{pattern}` matches no file"),
                )
                .at(span)
                .with_help("include patterns are relative to the file that holds them"),
            );
            return;
        }
        for path in matches {
            let real = match path.canonicalize() {
                Ok(real) => real,
                Err(error) => {
                    self.unreadable(&path, span, &error);
                    continue;
                }
            };
            if !real.starts_with(&self.root) {
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::OutsideRoot,
                        format!(
                            "`{}` is a link that leaves the workspace root",
                            self.relative(&path)
                        ),
                    )
                    .at(span)
                    .with_label("this include reaches it")
                    .with_help(
                        "stackc reads only files under the workspace root; copy the file inside it",
                    ),
                );
                continue;
            }
            if !self.seen.insert(real.clone()) {
                continue; // each file once; include cycles are harmless
            }
            match std::fs::read(&real) {
                Ok(bytes) => self.add_file(&real, bytes, Some(span)),
                Err(error) => self.unreadable(&path, span, &error),
            }
        }
    }

    fn unreadable(&mut self, path: &Path, span: Span, error: &std::io::Error) {
        self.diagnostics.push(
            Diagnostic::error(
                Code::Unreadable,
                format!("cannot read `{}`: {error}", self.relative(path)),
            )
            .at(span),
        );
    }
}

/// Resolves `.` and `..` without touching the file system.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Escapes glob characters in the root part of a pattern, so a workspace
/// in a folder named `a[1]` still works.
fn escape_root(root: &Path, full: &str) -> String {
    let root_text = root.to_string_lossy();
    match full.strip_prefix(root_text.as_ref()) {
        Some(rest) => format!("{}{rest}", glob::Pattern::escape(&root_text)),
        None => full.to_string(),
    }
}
