//! Splits a string into literal text and run-time references (`${VAR}`,
//! `${VAR:-default}`, ...), which Compose and the shell expand later.

use super::template::reject_template;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{parse_reference, split_references, Text, TextPart};
use crate::syntax::ast::StringLit;

/// Stands for a `$` the user escaped as `\$` while a value goes through
/// template rendering, so it stays literal afterwards. (Unicode private use.)
pub const ESCAPED_DOLLAR: char = '\u{E000}';

/// The string's value with every `\$` replaced by [`ESCAPED_DOLLAR`].
pub fn protect_escaped_dollars(literal: &StringLit) -> String {
    let escaped = literal.escaped_dollars();
    if escaped.is_empty() {
        return literal.value.to_string();
    }
    let mut out = String::with_capacity(literal.value.len());
    for (at, c) in literal.value.char_indices() {
        if c == '$' && escaped.binary_search(&at).is_ok() {
            out.push(ESCAPED_DOLLAR);
        } else {
            out.push(c);
        }
    }
    out
}

/// A [`Text`] as template input: references as `${...}`, literal dollars as
/// [`ESCAPED_DOLLAR`], so they stay literal after rendering and splitting.
pub fn protect_text(text: &Text) -> String {
    let mut out = String::new();
    for part in &text.parts {
        match part {
            TextPart::Literal(s) => out.push_str(&s.replace('$', &ESCAPED_DOLLAR.to_string())),
            TextPart::Variable { .. } => out.push_str(&part.reference()),
        }
    }
    out
}

/// A string that may hold `${VAR}` references but no `{{ }}` templates,
/// checked and split.
pub fn runtime_text(literal: &StringLit, diagnostics: &mut Diagnostics) -> Text {
    reject_template(literal, diagnostics);
    check_references(literal, diagnostics);
    split(&protect_escaped_dollars(literal))
}

/// Checks the run-time references in a string as written, pointing at the
/// exact place of a malformed one, and warns about `$NAME` without braces.
pub fn check_references(literal: &StringLit, diagnostics: &mut Diagnostics) {
    let value = &literal.value;
    if let Some(at) = value.find(ESCAPED_DOLLAR) {
        diagnostics.push(
            Diagnostic::error(
                Code::RuntimeReference,
                "the character U+E000 is reserved by stackc",
            )
            .at(literal.span_of(at..at + ESCAPED_DOLLAR.len_utf8()))
            .with_help("stackc uses this private-use character internally; remove it"),
        );
    }
    let escaped = literal.escaped_dollars();
    // A `$` inside a malformed reference is part of that one mistake.
    let mut reported_until = 0;
    for (at, c) in value.char_indices() {
        if c != '$' || escaped.binary_search(&at).is_ok() || (at > 0 && at <= reported_until) {
            continue;
        }
        let rest = value.get(at + 1..).unwrap_or("");
        if rest.starts_with('{') {
            if let Err((offset, message)) = parse_reference(rest) {
                let end = (at + 1 + offset).min(value.len());
                reported_until = end;
                diagnostics.push(
                    Diagnostic::error(Code::RuntimeReference, message)
                        .at(literal.span_of(at..end.max(at + 1)))
                        .with_help(
                            "run-time references are `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:?message}` or `${NAME?message}`; write `\\$` for a literal dollar",
                        ),
                );
            }
        } else if rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            diagnostics.push(
                Diagnostic::warning(
                    Code::LiteralDollar,
                    format!("`${name}` is written literally, not expanded at run time"),
                )
                .at(literal.span_of(at..at + 1 + name.len()))
                .with_help(format!(
                    "write `${{{name}}}` for a run-time reference, or `\\${name}` to keep the dollar sign and silence this warning"
                )),
            );
        }
    }
}

/// A reference-like value (an image, a registry) as written: run-time
/// references anywhere, other characters from `allowed` only. Returns the
/// trimmed value, or `None` after reporting what is wrong (`what` names the
/// value, `help` shows its form).
pub fn reference_value(
    literal: &StringLit,
    allowed: fn(char) -> bool,
    what: &str,
    help: &str,
    diagnostics: &mut Diagnostics,
) -> Option<String> {
    let errors_before = diagnostics.error_count();
    check_references(literal, diagnostics);
    if diagnostics.error_count() > errors_before {
        return None;
    }
    let value = literal.value.trim();
    let literal_parts_valid = split(value).parts.iter().all(|part| match part {
        TextPart::Literal(text) => text.chars().all(allowed),
        TextPart::Variable { .. } => true,
    });
    if value.is_empty() || !literal_parts_valid {
        diagnostics.push(
            Diagnostic::error(
                Code::InvalidName,
                format!("`{}` is not a valid {what}", literal.value),
            )
            .at(literal.span)
            .with_help(help),
        );
        return None;
    }
    Some(value.to_string())
}

/// Splits an already-checked (and rendered) value into a [`Text`]. A `$`
/// that does not start a valid reference is literal; an
/// [`ESCAPED_DOLLAR`] is a literal `$`.
pub fn split(value: &str) -> Text {
    // Most values hold neither a `$` nor an escaped one (whose UTF-8 starts
    // with 0xEE): literal text as it is.
    if memchr::memchr2(b'$', 0xEE, value.as_bytes()).is_none() {
        return Text::literal(value);
    }
    let mut text = split_references(value);
    for part in &mut text.parts {
        if let TextPart::Literal(s) = part {
            if s.contains(ESCAPED_DOLLAR) {
                *s = s.replace(ESCAPED_DOLLAR, "$");
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::VarOperator;

    #[test]
    fn splits_references_and_literals() {
        let text = split("a${HOST:-localhost}b$c${X}$");
        assert_eq!(text.display(), "a${HOST:-localhost}b$c${X}$");
        assert_eq!(text.to_compose(), "a${HOST:-localhost}b$$c${X}$$");
        assert_eq!(text.parts.len(), 5);
    }

    #[test]
    fn all_operators() {
        for (source, op) in [
            ("${A:-x}", VarOperator::DefaultIfEmpty),
            ("${A-x}", VarOperator::DefaultIfUnset),
            ("${A:?x}", VarOperator::ErrorIfEmpty),
            ("${A?x}", VarOperator::ErrorIfUnset),
        ] {
            let text = split(source);
            assert_eq!(
                text.parts,
                vec![TextPart::Variable {
                    name: "A".into(),
                    operator: Some(op),
                    word: "x".into()
                }]
            );
        }
    }

    #[test]
    fn malformed_is_literal_when_splitting() {
        assert_eq!(split("${").to_compose(), "$${");
        assert_eq!(split("${1}").to_compose(), "$${1}");
        assert!(split("plain").is_literal());
        assert_eq!(
            split(&format!("{ESCAPED_DOLLAR}{{X}}")).to_compose(),
            "$${X}"
        );
    }

    fn parsed_string(source: &str) -> StringLit {
        let document =
            match crate::syntax::parse(crate::source::FileId(0), &format!("x = {source}")) {
                Ok(document) => document,
                Err(diagnostic) => panic!("{diagnostic:?}"),
            };
        match document.items.into_iter().next() {
            Some(crate::syntax::ast::Item::Attribute(attribute)) => match attribute.value.kind {
                crate::syntax::ast::ValueKind::String(literal) => literal,
                other => panic!("not a string: {other:?}"),
            },
            other => panic!("not an attribute: {other:?}"),
        }
    }

    #[test]
    fn escaped_dollars_stay_literal_after_other_escapes() {
        let literal = parsed_string(r#""\u{e9}\$A$B\\\${C}""#);
        assert_eq!(literal.value, "\u{e9}$A$B\\${C}");
        let protected = protect_escaped_dollars(&literal);
        assert_eq!(split(&protected).display(), "\u{e9}$A$B\\${C}");
        assert_eq!(split(&protected).to_compose(), "\u{e9}$$A$$B\\$${C}");
    }

    #[test]
    fn only_the_escaped_dollar_among_many_is_protected() {
        // (The escaped dollars are found in one pass: each `$` used to
        // re-walk the string from its start, 40 s for 50,000 of them.)
        let source = format!("\"{}\\${}\"", "$".repeat(2_000), "{X}");
        let literal = parsed_string(&source);
        let mut diagnostics = Diagnostics::new();
        check_references(&literal, &mut diagnostics);
        assert!(!diagnostics.has_errors());
        assert_eq!(
            protect_escaped_dollars(&literal)
                .chars()
                .filter(|c| *c == ESCAPED_DOLLAR)
                .count(),
            1
        );
    }
}
