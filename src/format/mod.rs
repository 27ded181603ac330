//! `stackc fmt`: the canonical layout of the language, comments kept.
//! See [`Formatter`] for the rules.

mod comment_queue;
mod formatter;
mod inline;
mod padding;
mod shape;

pub use formatter::Formatter;
pub use shape::shape;

use crate::diagnostic::Diagnostic;
use crate::source::{FileId, BYTE_ORDER_MARK};
use crate::syntax::ast::Document;
use crate::syntax::parse;

/// Formats a parsed file. A byte-order mark that starts `source` is kept:
/// the file stays in the encoding its editor chose.
pub fn format_document(source: &str, document: &Document) -> String {
    let formatted = Formatter::new(source, document).format(document);
    match source.strip_prefix(BYTE_ORDER_MARK) {
        Some(_) => format!("{BYTE_ORDER_MARK}{formatted}"),
        None => formatted,
    }
}

/// Formats a parsed file and proves the result means the same: it parses,
/// to the same tree and comments. `None` would be a bug in the formatter;
/// the caller then writes nothing rather than change a user's spec.
pub fn format_verified(source: &str, document: &Document) -> Option<String> {
    let formatted = format_document(source, document);
    let reparsed = parse(FileId(0), &formatted).ok()?;
    (shape(&reparsed) == shape(document)).then_some(formatted)
}

/// Parses and formats one file; a syntax error is returned as a diagnostic
/// against `file`.
pub fn format_source(file: FileId, source: &str) -> Result<String, Diagnostic> {
    let document = parse(file, source)?;
    Ok(format_document(source, &document))
}

/// True when `current` already is `formatted`, reading CRLF as LF (a
/// checkout with `core.autocrlf` is not "unformatted").
pub fn is_formatted(current: &str, formatted: &str) -> bool {
    current.replace("\r\n", "\n") == formatted
}

#[cfg(test)]
mod tests;
