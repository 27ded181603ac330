//! Reads the entry file and every file its includes reach: globs expanded in
//! sorted order, each file once, never outside the workspace root.

use std::collections::{BTreeSet, VecDeque};
use std::path::{Path, PathBuf};

use camino::{Utf8Path, Utf8PathBuf};

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::lexical_path::normalise;
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::ast::{Document, Include, Item};
use crate::syntax::parse;

/// The name of the file that starts a workspace.
pub const ENTRY_FILE: &str = "Stackfile";

/// Every file of a workspace, parsed.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The folder holding the entry file (absolute, links resolved); every
    /// path is relative to it.
    pub root: Utf8PathBuf,
    pub sources: SourceMap,
    /// The files that parsed, in load order (entry first, then includes
    /// depth first in sorted order).
    pub documents: Vec<(FileId, Document)>,
}

/// Failures that are not mistakes in the specs: exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("no {ENTRY_FILE} in {0}")]
    NoEntry(Utf8PathBuf),
    #[error("cannot read {path}: {source}")]
    Io {
        path: Utf8PathBuf,
        source: std::io::Error,
    },
    /// stackc names files in diagnostics and generated files; it refuses a
    /// path it could only show mangled.
    #[error("{} is not valid UTF-8; stackc works only in folders whose paths are UTF-8", .0.display())]
    NotUtf8(PathBuf),
}

/// Loads the workspace at `path`: a folder holding a `Stackfile`, or a file.
/// Spec mistakes are diagnostics; only an unreadable entry, or a path to it
/// that is not UTF-8, is an error.
pub fn load(path: &Path) -> Result<(Workspace, Diagnostics), LoadError> {
    let path = utf8(path)?;
    let entry = if path.is_dir() {
        path.join(ENTRY_FILE)
    } else {
        path.to_path_buf()
    };
    if !entry.is_file() {
        return Err(LoadError::NoEntry(path.to_path_buf()));
    }
    let real = entry
        .as_std_path()
        .canonicalize()
        .map_err(|source| LoadError::Io {
            path: entry.clone(),
            source,
        })?;
    let entry = utf8(&real)?.to_path_buf();
    let root = entry
        .parent()
        .map_or_else(|| Utf8PathBuf::from("/"), Utf8Path::to_path_buf);
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
    loader.load_from(&entry, bytes);
    Ok((
        Workspace {
            root,
            sources: loader.sources,
            documents: loader.documents,
        },
        loader.diagnostics,
    ))
}

/// `path` as UTF-8, or the error that names it.
fn utf8(path: &Path) -> Result<&Utf8Path, LoadError> {
    Utf8Path::from_path(path).ok_or_else(|| LoadError::NotUtf8(path.to_path_buf()))
}

/// A file whose includes are being followed: those not yet expanded, and
/// the files the current one matched that are not read yet.
struct IncludingFile {
    dir: Utf8PathBuf,
    includes: VecDeque<Include>,
    matches: VecDeque<(Utf8PathBuf, Span)>,
}

struct Loader {
    root: Utf8PathBuf,
    sources: SourceMap,
    documents: Vec<(FileId, Document)>,
    seen: BTreeSet<Utf8PathBuf>,
    diagnostics: Diagnostics,
}

impl Loader {
    fn relative(&self, path: &Utf8Path) -> String {
        let relative = path.strip_prefix(&self.root).unwrap_or(path);
        relative
            .components()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// Adds the entry file and, depth first, every file the includes reach.
    /// The walk keeps its branch on the heap, not the call stack: a chain of
    /// a few thousand files, each including the next, overflowed it.
    fn load_from(&mut self, entry: &Utf8Path, bytes: Vec<u8>) {
        let mut branch: Vec<IncludingFile> = Vec::new();
        branch.extend(self.add_file(entry, bytes, None));
        while let Some(file) = branch.last_mut() {
            if let Some((path, span)) = file.matches.pop_front() {
                let child = self.read_included(&path, span);
                branch.extend(child);
            } else if let Some(include) = file.includes.pop_front() {
                file.matches = self.resolve(&file.dir, &include).into();
            } else {
                branch.pop();
            }
        }
    }

    /// Adds one file; its includes, for the caller to follow.
    fn add_file(
        &mut self,
        path: &Utf8Path,
        bytes: Vec<u8>,
        included_at: Option<Span>,
    ) -> Option<IncludingFile> {
        let relative = self.relative(path);
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(error) => {
                let offset = error.utf8_error().valid_up_to();
                let lossy = String::from_utf8_lossy(error.as_bytes()).into_owned();
                let file =
                    self.sources
                        .add(relative.clone(), path.as_std_path().to_path_buf(), lossy);
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
                return None;
            }
        };
        let file = self
            .sources
            .add(relative, path.as_std_path().to_path_buf(), text);
        let text = self
            .sources
            .get(file)
            .map(|source| std::sync::Arc::clone(&source.text))
            .unwrap_or_default();
        let document = match parse(file, &text) {
            Ok(document) => document,
            Err(diagnostic) => {
                self.diagnostics.push(diagnostic);
                return None;
            }
        };
        let includes: VecDeque<Include> = document
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
            .map_or_else(|| self.root.clone(), Utf8Path::to_path_buf);
        Some(IncludingFile {
            dir,
            includes,
            matches: VecDeque::new(),
        })
    }

    /// The files an include matches, sorted, each with the include's span;
    /// a diagnostic and none when the pattern is refused or matches nothing.
    fn resolve(&mut self, dir: &Utf8Path, include: &Include) -> Vec<(Utf8PathBuf, Span)> {
        let pattern = &include.pattern.value;
        let span = include.pattern.span;
        if Utf8Path::new(pattern).is_absolute() {
            self.diagnostics.push(
                Diagnostic::error(Code::OutsideRoot, "an include must be a relative path")
                    .at(span)
                    .with_help("includes are relative to the file that holds them"),
            );
            return Vec::new();
        }
        // Lexically, the pattern must stay under the root.
        let lexical = normalise(dir.join(pattern.as_str()).as_std_path());
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
            return Vec::new();
        }
        // The normalised form of a UTF-8 path is UTF-8.
        let full = lexical.to_str().unwrap_or(dir.as_str()).to_string();
        let options = glob::MatchOptions {
            case_sensitive: true,
            require_literal_separator: true,
            require_literal_leading_dot: true,
        };
        let mut matches: Vec<Utf8PathBuf> =
            match glob::glob_with(&escape_root(&self.root, &full), options) {
                Ok(paths) => self.utf8_files(paths.filter_map(Result::ok), span),
                Err(error) => {
                    self.diagnostics.push(
                        Diagnostic::error(
                            Code::Syntax,
                            format!("invalid include pattern: {}", error.msg),
                        )
                        .at(span)
                        .with_help("patterns use `*`, `?`, `**` and `[...]`"),
                    );
                    return Vec::new();
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
            return Vec::new();
        }
        matches.into_iter().map(|path| (path, span)).collect()
    }

    /// Reads one file an include matched, unless it leaves the root or was
    /// read already; its includes, for the caller to follow.
    fn read_included(&mut self, path: &Utf8Path, span: Span) -> Option<IncludingFile> {
        let real = match path.canonicalize_utf8() {
            Ok(real) => real,
            Err(error) => {
                self.unreadable(path, span, &error);
                return None;
            }
        };
        if !real.starts_with(&self.root) {
            self.diagnostics.push(
                Diagnostic::error(
                    Code::OutsideRoot,
                    format!(
                        "`{}` is a link that leaves the workspace root",
                        self.relative(path)
                    ),
                )
                .at(span)
                .with_label("this include reaches it")
                .with_help(
                    "stackc reads only files under the workspace root; copy the file inside it",
                ),
            );
            return None;
        }
        if !self.seen.insert(real.clone()) {
            return None; // each file once; include cycles are harmless
        }
        match std::fs::read(&real) {
            Ok(bytes) => self.add_file(&real, bytes, Some(span)),
            Err(error) => {
                self.unreadable(path, span, &error);
                None
            }
        }
    }

    /// The regular files among `paths`; a name that is not UTF-8 is a
    /// diagnostic at the include that matched it, never a mangled name.
    fn utf8_files(&mut self, paths: impl Iterator<Item = PathBuf>, span: Span) -> Vec<Utf8PathBuf> {
        let mut files = Vec::new();
        for path in paths.filter(|p| p.is_file()) {
            match Utf8PathBuf::from_path_buf(path) {
                Ok(path) => files.push(path),
                Err(path) => self.diagnostics.push(
                    Diagnostic::error(
                        Code::Unreadable,
                        format!(
                            "the include matches `{}`, whose name is not valid UTF-8",
                            path.display()
                        ),
                    )
                    .at(span)
                    .with_help("rename the file (stackc reads only UTF-8 file names)"),
                ),
            }
        }
        files
    }

    fn unreadable(&mut self, path: &Utf8Path, span: Span, error: &std::io::Error) {
        self.diagnostics.push(
            Diagnostic::error(
                Code::Unreadable,
                format!("cannot read `{}`: {error}", self.relative(path)),
            )
            .at(span),
        );
    }
}

/// Escapes glob characters in the root part of a pattern, so a workspace
/// in a folder named `a[1]` still works.
fn escape_root(root: &Utf8Path, full: &str) -> String {
    match full.strip_prefix(root.as_str()) {
        Some(rest) => format!("{}{rest}", glob::Pattern::escape(root.as_str())),
        None => full.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        if let Err(error) = std::fs::write(dir.join(name), text) {
            panic!("write {name}: {error}");
        }
    }

    fn load_ok(dir: &Path) -> Workspace {
        let (workspace, diagnostics) = match load(dir) {
            Ok(loaded) => loaded,
            Err(error) => panic!("{error}"),
        };
        assert!(!diagnostics.has_errors(), "{diagnostics:?}");
        workspace
    }

    #[test]
    fn includes_load_depth_first_in_sorted_order_each_file_once() {
        let Ok(dir) = tempfile::tempdir() else {
            panic!("temp dir")
        };
        write(
            dir.path(),
            ENTRY_FILE,
            "include \"b*.stack\"\ninclude \"a.stack\"\n",
        );
        write(dir.path(), "a.stack", "include \"b2.stack\"\n");
        write(dir.path(), "b1.stack", "include \"c.stack\"\n");
        write(dir.path(), "b2.stack", "include \"a.stack\"\n");
        write(dir.path(), "c.stack", "");
        let workspace = load_ok(dir.path());
        let order: Vec<&str> = workspace
            .documents
            .iter()
            .filter_map(|(id, _)| workspace.sources.get(*id))
            .map(|f| f.path.as_str())
            .collect();
        assert_eq!(
            order,
            [ENTRY_FILE, "b1.stack", "c.stack", "b2.stack", "a.stack"]
        );
    }

    #[test]
    fn a_chain_of_five_thousand_includes_does_not_overflow_the_stack() {
        // Each file including the next recursed once per file: about a
        // thousand deep, pest's stack guard failed with "unexpected `\"`",
        // and past it the process aborted.
        let Ok(dir) = tempfile::tempdir() else {
            panic!("temp dir")
        };
        let n = 5_000;
        write(dir.path(), ENTRY_FILE, "include \"f0.stack\"\n");
        for i in 0..n {
            write(
                dir.path(),
                &format!("f{i}.stack"),
                &format!("include \"f{}.stack\"\n", i + 1),
            );
        }
        write(dir.path(), &format!("f{n}.stack"), "");
        let workspace = load_ok(dir.path());
        assert_eq!(workspace.documents.len(), n + 2);
    }
}
