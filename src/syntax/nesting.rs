//! A limit on how deeply `{ }` and `[ ]` nest, checked before pest runs.
//! The parser, the lowering, the analyser and `fmt` all recurse once per
//! level: without a limit a file of a few thousand `[` overflows the stack
//! (an abort, not a diagnostic), and pest's own stack guard reports a
//! misleading "unexpected `[`". Real specs nest a handful of levels.

use super::tokens::brackets;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span};

/// Deeper than any real spec, shallow enough for a 2 MiB thread stack.
pub(super) const MAX_NESTING: usize = 64;

/// The first `{` or `[` that opens level `MAX_NESTING + 1`, as a diagnostic.
/// Brackets inside strings and comments do not count; unbalanced brackets
/// are left to the parser.
pub(super) fn too_deep(file: FileId, text: &str) -> Option<Diagnostic> {
    let mut depth = 0usize;
    for (at, c) in brackets(text) {
        if matches!(c, '}' | ']') {
            depth = depth.saturating_sub(1);
            continue;
        }
        depth += 1;
        if depth > MAX_NESTING {
            return Some(
                Diagnostic::error(
                    Code::Syntax,
                    format!("blocks, maps and lists nest more than {MAX_NESTING} levels deep"),
                )
                .at(Span::new(file, at, at + 1))
                .with_label(format!("level {}", MAX_NESTING + 1))
                .with_help("flatten the structure; no part of a spec needs this depth"),
            );
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(open: &str, close: &str, levels: usize) -> String {
        format!("x = {}{}", open.repeat(levels), close.repeat(levels))
    }

    #[test]
    fn the_limit_is_inclusive() {
        assert!(too_deep(FileId(0), &nested("[", "]", MAX_NESTING)).is_none());
        assert!(too_deep(FileId(0), &nested("[", "]", MAX_NESTING + 1)).is_some());
    }

    #[test]
    fn the_diagnostic_points_at_the_first_bracket_too_deep() {
        let text = nested("{ a = ", " }", MAX_NESTING + 5);
        let Some(diagnostic) = too_deep(FileId(0), &text) else {
            panic!("not refused")
        };
        let at = 4 + MAX_NESTING * "{ a = ".len();
        assert_eq!(diagnostic.span.map(|s| s.range()), Some(at..at + 1));
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_count() {
        let deep = "[".repeat(MAX_NESTING + 1);
        let text = format!("x = \"{deep}\" # {deep}\ny = \"\\\"{deep}\"\n");
        assert!(too_deep(FileId(0), &text).is_none());
    }

    #[test]
    fn siblings_do_not_add_up() {
        let text = "a { } ".repeat(MAX_NESTING * 2);
        assert!(too_deep(FileId(0), &text).is_none());
    }
}
