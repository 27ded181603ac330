//! A bracket never closed, or one that closes nothing: the place the
//! mistake is, where pest can only name the end of the file or the stray
//! bracket.
//!
//! Which `{` lacks its `}` cannot be told from the brackets alone: in
//! `component web {  health {  …  }` the last `}` closes `health` for the
//! parser, and `component web` looks unclosed. Indentation tells what the
//! writer meant: a `}` that starts its line closes the innermost open
//! block whose line is indented no deeper than it. Every block it skips
//! over is one whose `}` is missing, and the innermost of those is named.

use super::tokens::{brackets, code_tokens, Token, TokenKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{line_col, FileId, Span};

/// An open `{` or `[`, with the indentation of its line.
#[derive(Debug, Clone, Copy)]
struct Opener {
    at: usize,
    bracket: char,
    indent: usize,
}

/// When the parser stopped at the end of the file, the bracket never
/// closed; when it stopped at a closing bracket, that bracket if it closes
/// nothing or the wrong kind; when it stopped inside a list or map on a
/// line indented like the one that opened it, that list or map. `None`
/// otherwise.
pub(super) fn unbalanced(file: FileId, text: &str, at: usize) -> Option<Diagnostic> {
    if text.get(at..)?.trim().is_empty() {
        return unclosed(file, text);
    }
    let tokens = code_tokens(text);
    let stopped_at = tokens.iter().find(|t| t.start >= at)?;
    match stopped_at.kind {
        TokenKind::Close(bracket) if stopped_at.start == at => {
            stray_closer(file, text, at, bracket)
        }
        _ => left_open(file, text, &tokens, at),
    }
}

/// A list or map still open where the parser stopped, on a later line
/// indented no deeper than the one that opened it: `depends_on = [a, b`
/// followed by `health { … }`. Its closing bracket belongs before that line.
fn left_open(file: FileId, text: &str, tokens: &[Token], at: usize) -> Option<Diagnostic> {
    // Open brackets before `at`, each with whether it opens a value.
    let mut open: Vec<(Opener, bool)> = Vec::new();
    let mut previous: Option<TokenKind> = None;
    for token in tokens.iter().take_while(|t| t.start < at) {
        match token.kind {
            TokenKind::Open(bracket) => {
                let value = bracket == '['
                    || matches!(
                        previous,
                        Some(TokenKind::Operator | TokenKind::Open('[') | TokenKind::Comma)
                    );
                let indent = indentation(text, token.start);
                open.push((
                    Opener {
                        at: token.start,
                        bracket,
                        indent,
                    },
                    value,
                ));
            }
            TokenKind::Close(_) => {
                open.pop();
            }
            _ => {}
        }
        previous = Some(token.kind);
    }
    let &(opener, true) = open.last()? else {
        return None;
    };
    let line = line_start(text, at);
    if line == line_start(text, opener.at) || indentation(text, at) > opener.indent {
        return None;
    }
    let first = tokens.iter().find(|t| t.start >= line)?;
    let what = if opener.bracket == '[' { "list" } else { "map" };
    Some(
        never_closed(file, opener)
            .also(
                Span::new(file, first.start, first.end),
                format!(
                    "indented like line {}, so the {what} ends before this line",
                    line_col(text, opener.at).0
                ),
            )
            .with_help(format!(
                "add `{}` where the {what} ends",
                closing(opener.bracket)
            )),
    )
}

/// The innermost bracket never closed; by indentation when it tells.
fn unclosed(file: FileId, text: &str) -> Option<Diagnostic> {
    let mut open: Vec<Opener> = Vec::new();
    // The first `}` that lines up with an outer block: (it, the block it
    // closes by indentation, the innermost block it skips).
    let mut skipped: Option<(usize, Opener, Opener)> = None;
    for (at, c) in brackets(text) {
        if matches!(c, '{' | '[') {
            let indent = indentation(text, at);
            open.push(Opener {
                at,
                bracket: c,
                indent,
            });
            continue;
        }
        if skipped.is_none() {
            skipped =
                lines_up_with_outer(text, at, c, &open).map(|(outer, inner)| (at, outer, inner));
        }
        open.pop();
    }
    let innermost = *open.last()?;
    let diagnostic = match skipped {
        Some((closer, outer, inner)) => never_closed(file, inner)
            .also(
                Span::new(file, outer.at, outer.at + 1),
                format!(
                    "closed by the `{}` on line {}, by indentation",
                    closing(outer.bracket),
                    line_col(text, closer).0
                ),
            )
            .also(
                Span::new(file, closer, closer + 1),
                format!("closes the block of line {}", line_col(text, outer.at).0),
            )
            .with_help(format!(
                "add `{}` where it ends; a `{}` that starts a line closes the innermost open block whose line is indented no deeper",
                closing(inner.bracket),
                closing(outer.bracket)
            )),
        None => {
            let end = text.trim_end().len();
            never_closed(file, innermost)
                .also(Span::new(file, end, end), "the file ends here")
                .with_help(format!("add `{}` where it ends", closing(innermost.bracket)))
        }
    };
    Some(diagnostic)
}

/// For the closing bracket `c` at `at`: when it starts its line and an
/// outer open bracket of its kind is indented no deeper, while the
/// innermost open one is indented deeper, that outer one (which it closes
/// by indentation) and the innermost one (whose own closer is missing).
fn lines_up_with_outer(
    text: &str,
    at: usize,
    c: char,
    open: &[Opener],
) -> Option<(Opener, Opener)> {
    let indent = starts_line(text, at)?;
    let wanted = if c == '}' { '{' } else { '[' };
    let matched = open
        .iter()
        .rposition(|o| o.bracket == wanted && o.indent <= indent)?;
    let inner = *open.last()?;
    (matched + 1 < open.len()).then_some((*open.get(matched)?, inner))
}

fn never_closed(file: FileId, opener: Opener) -> Diagnostic {
    Diagnostic::error(
        Code::Syntax,
        format!("this `{}` is never closed", opener.bracket),
    )
    .at(Span::new(file, opener.at, opener.at + 1))
    .with_label("opened here")
}

/// A `}` or `]` with no bracket open, or with the other kind open.
fn stray_closer(file: FileId, text: &str, at: usize, bracket: char) -> Option<Diagnostic> {
    let mut open: Vec<Opener> = Vec::new();
    // The last bracket pair at the top level: (its opener, its closer).
    let mut last_outer: Option<(Opener, usize)> = None;
    for (position, c) in brackets(text).take_while(|(p, _)| *p < at) {
        if matches!(c, '{' | '[') {
            let indent = indentation(text, position);
            open.push(Opener {
                at: position,
                bracket: c,
                indent,
            });
        } else if let Some(opener) = open.pop() {
            if open.is_empty() {
                last_outer = Some((opener, position));
            }
        }
    }
    let span = Span::new(file, at, at + 1);
    let diagnostic = match open.last() {
        None => closes_nothing(file, text, at, bracket, last_outer),
        Some(opener) if opener.bracket != opening(bracket) => Diagnostic::error(
            Code::Syntax,
            format!(
                "this `{bracket}` does not match the `{}` it would close",
                opener.bracket
            ),
        )
        .at(span)
        .with_label(format!("expected `{}`", closing(opener.bracket)))
        .also(Span::new(file, opener.at, opener.at + 1), "opened here")
        .with_help(format!(
            "close `{}` with `{}`",
            opener.bracket,
            closing(opener.bracket)
        )),
        Some(_) => return None,
    };
    Some(diagnostic)
}

/// A closing bracket with nothing open. When it lines up with the last
/// top-level block, whose own closer does not, that closer came too early
/// and is named too.
fn closes_nothing(
    file: FileId,
    text: &str,
    at: usize,
    bracket: char,
    last_outer: Option<(Opener, usize)>,
) -> Diagnostic {
    let mut diagnostic =
        Diagnostic::error(Code::Syntax, format!("this `{bracket}` closes nothing"))
            .at(Span::new(file, at, at + 1))
            .with_label(format!("no `{}` is open here", opening(bracket)));
    let early = last_outer.filter(|(opener, closer)| {
        let lines_up = |position| starts_line(text, position) == Some(opener.indent);
        opener.bracket == opening(bracket) && lines_up(at) && !lines_up(*closer)
    });
    match early {
        Some((opener, closer)) => {
            diagnostic = diagnostic
                .also(
                    Span::new(file, closer, closer + 1),
                    format!(
                        "already closes the `{}` of line {}",
                        opener.bracket,
                        line_col(text, opener.at).0
                    ),
                )
                .with_help(format!(
                    "remove the `{bracket}` written too early, or this one"
                ));
        }
        None => {
            diagnostic = diagnostic.with_help(format!(
                "remove it, or look above for a `{bracket}` written too early or a `{}` missing",
                opening(bracket)
            ));
        }
    }
    diagnostic
}

fn closing(bracket: char) -> char {
    if bracket == '{' {
        '}'
    } else {
        ']'
    }
}

fn opening(bracket: char) -> char {
    if bracket == '}' {
        '{'
    } else {
        '['
    }
}

/// The number of spaces and tabs that start the line holding `at`.
fn indentation(text: &str, at: usize) -> usize {
    let start = line_start(text, at);
    text.get(start..)
        .unwrap_or("")
        .chars()
        .take_while(|c| matches!(c, ' ' | '\t'))
        .count()
}

/// The indentation of `at`'s line when only spaces and tabs precede `at` on it.
fn starts_line(text: &str, at: usize) -> Option<usize> {
    let before = text.get(line_start(text, at)..at)?;
    before
        .chars()
        .all(|c| matches!(c, ' ' | '\t'))
        .then(|| before.chars().count())
}

fn line_start(text: &str, at: usize) -> usize {
    text.get(..at)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use crate::source::FileId;
    use crate::syntax::parse;

    /// (message, the text under the primary span, its line, the labels' lines).
    fn error(text: &str) -> (String, String, usize, Vec<usize>) {
        let diagnostic = parse(FileId(0), text).expect_err("a syntax error");
        let span = diagnostic.span.expect("a span");
        let line = |at: u32| crate::source::line_col(text, at as usize).0;
        (
            diagnostic.message.clone(),
            text[span.range()].to_string(),
            line(span.start),
            diagnostic
                .labels
                .iter()
                .map(|l| line(l.span.start))
                .collect(),
        )
    }

    #[test]
    fn the_inner_block_missing_its_brace_is_named() {
        let text = "component web {\n  image = \"x\"\n  health { http = \"/\"\n  ports = { http = 80 }\n}\n";
        let (message, at, line, labels) = error(text);
        assert_eq!(message, "this `{` is never closed");
        assert_eq!((at.as_str(), line), ("{", 3));
        assert_eq!(labels, [1, 5]);
    }

    #[test]
    fn the_innermost_of_several_is_named() {
        let text = "a {\n  b {\n    c {\n      x = 1\n}\nd { }\n";
        let (_, _, line, labels) = error(text);
        assert_eq!((line, labels), (3, vec![1, 5]));
    }

    #[test]
    fn a_missing_brace_in_the_middle_of_a_file() {
        let text = "a {\n  health {\n    x = 1\n}\nb {\n  y = 2\n}\n";
        let (_, _, line, _) = error(text);
        assert_eq!(line, 2);
    }

    #[test]
    fn without_indentation_the_innermost_open_at_the_end_is_named() {
        let (_, _, line, _) = error("a {\nb {\nx = 1\n}\n");
        assert_eq!(line, 1);
        let (message, _, line, _) = error("a {\n  x = [1,\n}\n");
        assert_eq!(
            (message.as_str(), line),
            ("this `}` does not match the `[` it would close", 3)
        );
    }

    #[test]
    fn a_list_or_map_left_open_is_named_where_it_opens() {
        for (text, at_line, label_line) in [
            (
                "c {\n  depends_on = [redis, couchbase\n  health { http = \"/x\" }\n}\n",
                2,
                3,
            ),
            (
                "c {\n  ports = { http = 8080\n  health { http = \"/x\" }\n}\n",
                2,
                3,
            ),
            ("c {\n  ports = {\n    http = 8080\n  health { }\n}\n", 2, 4),
        ] {
            let (message, _, line, labels) = error(text);
            assert!(message.ends_with("is never closed"), "{message}");
            assert_eq!((line, labels), (at_line, vec![label_line]), "{text}");
        }
        // Entries that parse: the end of the file tells, by indentation.
        let text = "c {\n  ports = {\n    http = 8080\n  image = \"x\"\n}\n";
        let (_, _, line, labels) = error(text);
        assert_eq!((line, labels), (2, vec![1, 5]));
        // Deeper than the line that opened the map: another mistake.
        let text = "c {\n  ports = {\n    http 8080\n  }\n}\n";
        let diagnostic = parse(FileId(0), text).expect_err("missing =");
        assert_eq!(diagnostic.message, "expected `=`, found `8080`");
        assert_eq!(
            diagnostic.help.as_deref(),
            Some("entries are written `key = value`: write `http = 8080`")
        );
    }

    #[test]
    fn a_closer_that_closes_nothing() {
        let (message, at, line, labels) = error("a { x = 1 }\n}\n");
        assert_eq!(message, "this `}` closes nothing");
        assert_eq!((at.as_str(), line), ("}", 2));
        assert_eq!(labels, [1]);
        let (_, _, line, labels) = error("a {\n  b = { c = 1 } }\n  d = 2\n}\n");
        assert_eq!((line, labels), (4, vec![2]));
        let (_, _, _, labels) = error("a {\n}\n}\n");
        assert!(labels.is_empty());
    }

    #[test]
    fn a_brace_closing_at_deeper_indentation_is_fine() {
        let text = "a {\n  b {\n    x = 1\n    }\n  }\n";
        assert!(parse(FileId(0), text).is_ok());
        let (_, _, line, _) = error("a {\n  b {\n    x = 1\n    }\n");
        assert_eq!(line, 1);
    }
}
