//! Two mistakes that the parser notices a token or a line too late:
//! `image =` with nothing after it (line breaks are white space, so the next
//! line's key is taken as the value, and the parser stops at that line's
//! `=` or at the `}`), and `include` with a pattern that is not quoted
//! (`include services/*.stack` reads as a block `include services` and
//! stops at the `/`).

use super::tokens::{code_tokens, Token, TokenKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span};

/// The `=` whose value is missing, when the parser stopped because of it.
pub(super) fn missing_value(file: FileId, text: &str, at: usize) -> Option<Diagnostic> {
    let tokens = code_tokens(text);
    let stop = tokens
        .iter()
        .position(|t| t.start >= at)
        .unwrap_or(tokens.len());
    let (operator, taken) = match tokens.get(stop).map(|t| t.kind) {
        // `image =⏎ports = …`: `ports` was taken as the value.
        Some(TokenKind::Operator) => {
            let word = *tokens.get(stop.checked_sub(1)?)?;
            (word.kind == TokenKind::Word).then_some(())?;
            (*tokens.get(stop.checked_sub(2)?)?, Some(word))
        }
        // `image =⏎}` or `image =` at the end of the file.
        Some(TokenKind::Close(_)) | None => (*tokens.get(stop.checked_sub(1)?)?, None),
        _ => return None,
    };
    let next = taken.or_else(|| tokens.get(stop).copied());
    let line_break = next.is_none_or(|next| operator.line_ends_before(text, next));
    if operator.kind != TokenKind::Operator || !line_break {
        return None;
    }
    let key = tokens
        .iter()
        .rev()
        .find(|t| t.end <= operator.start)
        .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::String))?;
    Some(no_value(file, text, *key, operator, taken))
}

fn no_value(
    file: FileId,
    text: &str,
    key: Token,
    operator: Token,
    taken: Option<Token>,
) -> Diagnostic {
    let written = format!("{} {}", key.text(text), operator.text(text));
    let diagnostic = Diagnostic::error(Code::Syntax, format!("`{written}` has no value"))
        .at(Span::new(file, operator.start, operator.end))
        .with_label("a value must follow");
    match taken {
        Some(word) => diagnostic
            .also(
                Span::new(file, word.start, word.end),
                "read as the value, since line breaks are white space",
            )
            .with_help(format!(
                "write the value after `{written}`, or remove the line"
            )),
        None => diagnostic.with_help(format!(
            "write the value after `{written}`, or remove the line"
        )),
    }
}

/// `include` followed by something other than a string: the pattern, from
/// the word after `include` to the end of its line, should be quoted.
pub(super) fn unquoted_include(file: FileId, text: &str, at: usize) -> Option<Diagnostic> {
    let tokens = code_tokens(text);
    let stop = tokens.iter().position(|t| t.start >= at)?;
    let index = (0..stop).rev().take(3).find(|i| {
        tokens
            .get(*i)
            .is_some_and(|t| t.kind == TokenKind::Word && t.text(text) == "include")
    })?;
    let include = tokens.get(index)?;
    // `x = include …` is a value named `include`, not an include.
    let is_value = index
        .checked_sub(1)
        .and_then(|i| tokens.get(i))
        .is_some_and(|t| {
            matches!(
                t.kind,
                TokenKind::Operator | TokenKind::Open('[') | TokenKind::Comma
            )
        });
    if is_value {
        return None;
    }
    let first = tokens.iter().find(|t| t.start >= include.end)?;
    if first.kind == TokenKind::String || include.line_ends_before(text, *first) {
        return None;
    }
    let line_end = text
        .get(first.start..)?
        .find(['\n', '#'])
        .map_or(text.len(), |i| first.start + i);
    let pattern = text.get(first.start..line_end)?.trim_end();
    Some(
        Diagnostic::error(Code::Syntax, "an include pattern is a string")
            .at(Span::new(file, first.start, first.start + pattern.len()))
            .with_label(format!("write `\"{pattern}\"`"))
            .with_help("write `include \"services/*.stack\"`: the pattern in double quotes"),
    )
}

#[cfg(test)]
mod tests {
    use crate::source::FileId;
    use crate::syntax::parse;

    /// (message, the text under the span, the labels' texts).
    fn error(text: &str) -> (String, String, Vec<String>) {
        let diagnostic = parse(FileId(0), text).expect_err("a syntax error");
        let span = diagnostic.span.expect("a span");
        (
            diagnostic.message,
            text[span.range()].to_string(),
            diagnostic
                .labels
                .iter()
                .map(|l| text[l.span.range()].to_string())
                .collect(),
        )
    }

    #[test]
    fn a_missing_value_is_named_at_its_equals_sign() {
        for (text, message, taken) in [
            (
                "c {\n  image =\n  ports = { http = 80 }\n}\n",
                "`image =` has no value",
                vec!["ports"],
            ),
            ("c {\n  image =\n}\n", "`image =` has no value", vec![]),
            (
                "c {\n  ports = {\n    http =\n    admin = 9000\n  }\n}\n",
                "`http =` has no value",
                vec!["admin"],
            ),
            ("c {\n  t <\n}\n", "`t <` has no value", vec![]),
            ("c = 1\nd =", "`d =` has no value", vec![]),
        ] {
            let (got, at, labels) = error(text);
            assert_eq!(got, message, "{text}");
            assert!(at == "=" || at == "<", "{text}");
            assert_eq!(labels, taken, "{text}");
        }
        assert!(parse(FileId(0), "c {\n  image =\n    \"x\"\n}\n").is_ok());
        let (message, _, _) = error("c { image = }");
        assert!(message.starts_with("expected a value"), "{message}");
    }

    #[test]
    fn an_unquoted_include_pattern_is_named() {
        for (text, pattern) in [
            ("include services/*.stack\n", "services/*.stack"),
            ("include *.stack # all\n", "*.stack"),
            ("include common\nx = 1", "common"),
        ] {
            let (message, at, _) = error(text);
            assert_eq!(message, "an include pattern is a string", "{text}");
            assert_eq!(at, pattern, "{text}");
        }
    }
}
