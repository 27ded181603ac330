//! Line breaks that stackc and editors count differently, refused before
//! parsing. stackc ends a line at LF only (CRLF is a LF after white space).
//! A CR not followed by LF, NEL (U+0085), LINE SEPARATOR (U+2028) and
//! PARAGRAPH SEPARATOR (U+2029) are shown as line breaks by some editors and
//! not by others. Read as white space, one inside a `#` comment would hide
//! what an editor shows as the next line (a component that seems declared
//! and is not); read as a line break, stackc's line numbers would disagree
//! with the editors that do not break there. Refusing them makes the file
//! mean one thing to every reader.

use super::tokens::{tokens, TokenKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span};

/// The first line break that editors may show and stackc would not count,
/// as a diagnostic.
pub(super) fn odd_line_break(file: FileId, text: &str) -> Option<Diagnostic> {
    // Every such break holds one of these bytes (CR; the UTF-8 lead bytes of
    // U+0085 and of U+2028/U+2029): most files hold none, and memchr's
    // vectorised search is cheaper than decoding every character.
    memchr::memchr3(b'\r', 0xC2, 0xE2, text.as_bytes())?;
    let (at, c) = text.char_indices().find(|&(i, c)| match c {
        '\r' => !text.get(i + 1..).is_some_and(|rest| rest.starts_with('\n')),
        '\u{85}' | '\u{2028}' | '\u{2029}' => true,
        _ => false,
    })?;
    let (what, escape) = match c {
        '\r' => ("a carriage return (CR) without a line feed", "\\r"),
        '\u{85}' => ("U+0085 NEXT LINE (NEL)", "\\u{85}"),
        '\u{2028}' => ("U+2028 LINE SEPARATOR", "\\u{2028}"),
        _ => ("U+2029 PARAGRAPH SEPARATOR", "\\u{2029}"),
    };
    let inside = tokens(text)
        .find(|t| t.start < at && at < t.end)
        .map(|t| t.kind);
    let (message, help) = match inside {
        Some(TokenKind::Comment) => (
            format!("{what} inside a comment"),
            "stackc reads the rest of the line as part of the comment, while some editors show it as a new line: replace it with a line break (LF or CRLF)".to_string(),
        ),
        Some(TokenKind::String) => (
            format!("{what} inside a string"),
            format!("a string is one line: write `{escape}` if the string should hold this character"),
        ),
        _ => (
            what.to_string(),
            "stackc does not count it as a line break, while some editors show one: replace it with a line break (LF or CRLF)".to_string(),
        ),
    };
    Some(
        Diagnostic::error(Code::Syntax, message)
            .at(Span::new(file, at, at + c.len_utf8()))
            .with_label("some editors break the line here, stackc does not")
            .with_help(help),
    )
}

#[cfg(test)]
mod tests {
    use crate::source::FileId;
    use crate::syntax::parse;

    #[test]
    fn a_lone_cr_in_a_comment_is_refused_where_it_is() {
        let text = "stack s { }\n# web\rcomponent web { image = \"x\" }\n";
        let diagnostic = parse(FileId(0), text).expect_err("a lone CR");
        assert_eq!(
            diagnostic.message,
            "a carriage return (CR) without a line feed inside a comment"
        );
        assert_eq!(diagnostic.span.map(|s| s.range()), Some(17..18));
    }

    #[test]
    fn every_line_break_editors_may_show_is_refused() {
        for (text, message) in [
            ("a = 1\rb = 2", "a carriage return (CR) without a line feed"),
            (
                "a = \"x\ry\"",
                "a carriage return (CR) without a line feed inside a string",
            ),
            ("# x\u{2028}a = 1", "U+2028 LINE SEPARATOR inside a comment"),
            ("a = 1\u{2029}", "U+2029 PARAGRAPH SEPARATOR"),
            ("a = 1 # \u{85}", "U+0085 NEXT LINE (NEL) inside a comment"),
            ("a = 1\r", "a carriage return (CR) without a line feed"),
        ] {
            let diagnostic = parse(FileId(0), text).expect_err("refused");
            assert_eq!(diagnostic.message, message, "{text:?}");
        }
    }

    #[test]
    fn crlf_is_a_line_break() {
        assert!(parse(FileId(0), "a = 1 # c\r\nb = \"x\"\r\n").is_ok());
    }
}
