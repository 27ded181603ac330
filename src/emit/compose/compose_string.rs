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

/// [`Text::to_compose`]: literal `$` doubled, references kept. A value
/// that is one literal without `$` (most env values) is copied once.
pub fn text(value: &Text) -> String {
    match value.parts.as_slice() {
        [] => String::new(),
        [TextPart::Literal(plain)] => literal(plain),
        _ => value.to_compose(),
    }
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
        ] {
            assert_eq!(text(&value), value.to_compose(), "{value:?}");
        }
    }
}
