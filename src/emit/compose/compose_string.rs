//! Literal strings written into a Compose file.

use crate::model::{Text, TextPart};

/// Compose interpolates `$` everywhere in a file; a literal dollar sign must
/// be written `$$`. Model fields typed `String` (images, commands, paths) are
/// literal by contract, so every `$` in them is escaped. (`Text` values carry
/// their own run-time references and use [`text`].)
pub fn literal(value: &str) -> String {
    if memchr::memchr(b'$', value.as_bytes()).is_none() {
        return value.to_string();
    }
    value.replace('$', "$$")
}

/// [`Text::to_compose`]: literal `$` doubled, references kept; written
/// into one string (a value is written for every service that holds it).
pub fn text(value: &Text) -> String {
    if let [TextPart::Literal(plain)] = value.parts.as_slice() {
        return literal(plain);
    }
    let mut out = String::with_capacity(value.display_len() + 2);
    for part in &value.parts {
        match part {
            TextPart::Literal(plain) => {
                let mut rest = plain.as_str();
                while let Some((before, after)) = rest.split_once('$') {
                    out.push_str(before);
                    out.push_str("$$");
                    rest = after;
                }
                out.push_str(rest);
            }
            TextPart::Variable {
                name,
                operator,
                word,
            } => {
                // As `TextPart::reference`: no word without an operator.
                let (operator, word) = match operator {
                    Some(operator) => (operator.as_str(), word.as_str()),
                    None => ("", ""),
                };
                for piece in ["${", name, operator, word, "}"] {
                    out.push_str(piece);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_every_dollar() {
        assert_eq!(literal("a$b${HOME}$$"), "a$$b$${HOME}$$$$");
        assert_eq!(literal("plain"), "plain");
    }

    #[test]
    fn text_is_what_the_model_writes() {
        for value in [
            Text::default(),
            Text::literal("plain"),
            Text::literal("a$b"),
            crate::model::split_references("x ${A:-$$} $y ${B}"),
            crate::model::split_references("$${A-w}${B:?e}${C?f}$"),
            crate::model::split_references("${A:-${B:-x}}"),
        ] {
            assert_eq!(text(&value), value.to_compose(), "{value:?}");
        }
    }
}
