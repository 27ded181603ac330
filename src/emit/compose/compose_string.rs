//! Literal strings written into a Compose file.

/// Compose interpolates `$` everywhere in a file; a literal dollar sign must
/// be written `$$`. Model fields typed `String` (images, commands, paths) are
/// literal by contract, so every `$` in them is escaped. (`Text` values carry
/// their own run-time references and use [`crate::model::Text::to_compose`].)
pub fn literal(value: &str) -> String {
    value.replace('$', "$$")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_every_dollar() {
        assert_eq!(literal("a$b${HOME}$$"), "a$$b$${HOME}$$$$");
        assert_eq!(literal("plain"), "plain");
    }
}
