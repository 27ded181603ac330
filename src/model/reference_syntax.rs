//! The syntax of run-time references, `${NAME}`, `${NAME:-default}` and
//! the other forms Compose and POSIX shells agree on, with defaults that
//! hold references themselves (`${A:-${B:-x}}`, as Compose reads them).
//! The analyser reports malformed references with it; the Model and the
//! emitters read the words of nested defaults with it.

use super::{Text, TextPart, VarOperator};

/// A malformed reference: the byte offset of the problem (from the `{`
/// after `$`) and what is wrong.
pub type SyntaxError = (usize, String);

/// Parses `{NAME...}`, the text after a `$`. Ok: the bytes it takes and
/// the reference (its word as written, nested references included).
pub fn parse_reference(text: &str) -> Result<(usize, TextPart), SyntaxError> {
    let Some(inner) = text.strip_prefix('{') else {
        return Err((0, "expected `{` after `$`".into()));
    };
    let name_len = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(inner.len());
    let name = &inner[..name_len];
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        return Err((
            1,
            "a run-time reference needs a variable name such as `${HOST}`".into(),
        ));
    }
    let after_name = &inner[name_len..];
    let operators = [
        (":-", VarOperator::DefaultIfEmpty),
        (":?", VarOperator::ErrorIfEmpty),
        ("-", VarOperator::DefaultIfUnset),
        ("?", VarOperator::ErrorIfUnset),
    ];
    let (operator, word_start) = if after_name.starts_with('}') {
        (None, 0)
    } else if let Some((op, operator)) = operators.iter().find(|(op, _)| after_name.starts_with(op))
    {
        (Some(*operator), op.len())
    } else {
        let Some(close) = after_name.find('}') else {
            return Err((1 + name_len, format!("`${{{name}` is not closed with `}}`")));
        };
        let modifier = &after_name[..close];
        return Err((
            1 + name_len,
            format!("`{modifier}` is not a form Compose and the shell both understand"),
        ));
    };
    let word_offset = 1 + name_len + word_start;
    let rest = after_name.get(word_start..).unwrap_or("");
    let word_len = word_length(rest).map_err(|(at, message)| (word_offset + at, message))?;
    let Some(word) = rest.get(..word_len) else {
        return Err((word_offset, format!("`${{{name}` is not closed with `}}`")));
    };
    Ok((
        word_offset + word_len + 1,
        TextPart::Variable {
            name: name.to_string(),
            operator,
            word: word.to_string(),
        },
    ))
}

/// The length of a word up to the `}` that closes its reference: literal
/// characters other than `$`, `{` and `}`, and whole nested references.
fn word_length(word: &str) -> Result<usize, SyntaxError> {
    let mut at = 0;
    while let Some(c) = word.get(at..).and_then(|rest| rest.chars().next()) {
        match c {
            '}' => return Ok(at),
            '$' => {
                let after = word.get(at + 1..).unwrap_or("");
                if !after.starts_with('{') {
                    return Err((
                        at,
                        "a `$` in a default must start a reference such as `${HOST}`: a default holds no literal `$`".into(),
                    ));
                }
                let (length, _) =
                    parse_reference(after).map_err(|(inner, m)| (at + 1 + inner, m))?;
                at += 1 + length;
            }
            '{' => {
                return Err((
                    at,
                    "a `{` in a default is ambiguous: Compose and the shell read it differently"
                        .into(),
                ))
            }
            _ => at += c.len_utf8(),
        }
    }
    Err((at, "the reference is not closed with `}`".into()))
}

/// Splits a value into literal text and references; a `$` that does not
/// start a well-formed reference is literal.
pub fn split_references(value: &str) -> Text {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut rest = value;
    while let Some(at) = rest.find('$') {
        literal.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        match parse_reference(after) {
            Ok((length, part)) => {
                if !literal.is_empty() {
                    parts.push(TextPart::Literal(std::mem::take(&mut literal)));
                }
                parts.push(part);
                rest = after.get(length..).unwrap_or("");
            }
            Err(_) => {
                literal.push('$');
                rest = after;
            }
        }
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        parts.push(TextPart::Literal(literal));
    }
    Text { parts }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_defaults_are_one_reference() {
        let text = split_references("a${A:-${B:-x}}b");
        assert_eq!(text.parts.len(), 3);
        let Some(TextPart::Variable { name, word, .. }) = text.parts.get(1) else {
            panic!("{text:?}");
        };
        assert_eq!((name.as_str(), word.as_str()), ("A", "${B:-x}"));
        assert_eq!(text.display(), "a${A:-${B:-x}}b");
        assert_eq!(text.to_compose(), "a${A:-${B:-x}}b");
    }

    #[test]
    fn malformed_words_are_errors_at_their_place() {
        assert_eq!(parse_reference("{A:-$x}").map_err(|e| e.0), Err(4));
        assert_eq!(parse_reference("{A:-{x}}").map_err(|e| e.0), Err(4));
        assert_eq!(parse_reference("{A:-${1}}").map_err(|e| e.0), Err(6));
        assert!(parse_reference("{A:-${B:-x}").is_err());
        assert!(parse_reference("{A:+x}").is_err());
    }
}
