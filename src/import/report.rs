//! What the import reports: every Compose key or value it cannot carry
//! exactly is a diagnostic at its place in the Compose file (line and
//! column), rendered like every other diagnostic; `--strict` turns any
//! report into a failure.

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::source::{FileId, Span};

use super::yaml::{Key, Node};

/// A place in one of the imported files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub file: FileId,
    pub start: usize,
    pub end: usize,
}

impl Place {
    /// The place of a value (in the file it was read from, when that is
    /// not `file`).
    pub fn of(file: FileId, node: &Node) -> Place {
        Place {
            file: node.file.unwrap_or(file),
            start: node.start,
            end: node.end.max(node.start),
        }
    }

    /// The place of a key.
    pub fn key(file: FileId, key: &Key) -> Place {
        Place {
            file: key.file.unwrap_or(file),
            start: key.start,
            end: key.end.max(key.start),
        }
    }

    pub fn span(self) -> Span {
        Span::new(self.file, self.start, self.end)
    }
}

/// Collects the import's diagnostics.
#[derive(Debug, Default)]
pub struct Reporter {
    pub diagnostics: Diagnostics,
}

impl Reporter {
    /// W0005: a key or value that is left out of the workspace.
    pub fn dropped(&mut self, at: Place, message: impl Into<String>, help: impl Into<String>) {
        self.add(
            Diagnostic::warning(Code::ImportDropped, message)
                .at(at.span())
                .with_label("not imported")
                .with_help(help),
        );
    }

    /// W0006: a value carried with a different meaning or form.
    pub fn approximated(&mut self, at: Place, message: impl Into<String>, help: impl Into<String>) {
        self.add(
            Diagnostic::warning(Code::ImportApproximated, message)
                .at(at.span())
                .with_label("imported approximately")
                .with_help(help),
        );
    }

    /// W0007: a dependency on a service none of the files declares.
    pub fn unknown_dependency(&mut self, at: Place, service: &str) {
        self.add(
            Diagnostic::warning(
                Code::ImportUnknownService,
                format!("`{service}` is not a service of the imported files"),
            )
            .at(at.span())
            .with_label("dependency left out")
            .with_help(format!(
                "import the file that declares `{service}` too, then the dependency is kept"
            )),
        );
    }

    /// W0008: a path that leaves the folder the workspace is written to.
    pub fn outside(&mut self, at: Place, path: &str) {
        self.add(
            Diagnostic::warning(
                Code::ImportPathOutside,
                format!("`{path}` leaves the folder the workspace is written to"),
            )
            .at(at.span())
            .with_label("not imported")
            .with_help(
                "import into a folder that holds it (`--into`), or move what it names inside",
            ),
        );
    }

    /// W0009: `profiles`, which the language does not have.
    pub fn profiles(&mut self, at: Place) {
        self.add(
            Diagnostic::warning(
                Code::ImportProfiles,
                "`profiles` are not imported: every component runs in every environment",
            )
            .at(at.span())
            .with_label("not imported")
            .with_help(
                "start part of an environment with `docker compose -f generated/compose/environments/ENV.yml up NAME`",
            ),
        );
    }

    /// An error of the import (E0140–E0149).
    pub fn error(
        &mut self,
        code: Code,
        at: Option<Place>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let mut diagnostic = Diagnostic::error(code, message).with_help(help);
        if let Some(at) = at {
            diagnostic = diagnostic.at(at.span());
        }
        self.diagnostics.push(diagnostic);
    }

    /// Pushes a diagnostic built elsewhere.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.add(diagnostic);
    }

    /// One report per place and message: a key of a base that two
    /// services `extends` is read twice, and says the same both times.
    fn add(&mut self, diagnostic: Diagnostic) {
        if !self.diagnostics.iter().any(|d| *d == diagnostic) {
            self.diagnostics.push(diagnostic);
        }
    }
}
