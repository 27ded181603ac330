//! A source text as a diagnostic's snippet shows it: every character that
//! would break the line in a terminal or show as nothing is written as its
//! code point (`<U+2028>`), and spans are moved to match.

use crate::syntax::unseen_in_snippet;

/// The shown text and, for every byte offset of the original text (0 to
/// its length, both included), the byte offset it has in the shown text.
pub(super) struct VisibleText {
    text: String,
    offsets: Vec<usize>,
}

impl VisibleText {
    /// `original` with each unseen character replaced by `<U+XXXX>`.
    pub(super) fn new(original: &str) -> Self {
        let mut text = String::with_capacity(original.len());
        let mut offsets = Vec::with_capacity(original.len() + 1);
        for c in original.chars() {
            let start = text.len();
            if unseen_in_snippet(c) {
                text.push_str(&format!("<U+{:04X}>", u32::from(c)));
            } else {
                text.push(c);
            }
            // Every byte of the character maps to where it starts.
            offsets.extend(std::iter::repeat_n(start, c.len_utf8()));
        }
        offsets.push(text.len());
        Self { text, offsets }
    }

    /// The text to show.
    pub(super) fn text(&self) -> &str {
        &self.text
    }

    /// Where a byte range of the original text is in the shown text; an
    /// offset past the end maps to the end. A span ending inside or at the
    /// start of a replaced character takes the whole replacement.
    pub(super) fn range(&self, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
        let at = |offset: usize| self.offsets.get(offset).copied().unwrap_or(self.text.len());
        at(range.start)..at(range.end)
    }
}

#[cfg(test)]
mod tests {
    use super::VisibleText;

    #[test]
    fn line_separators_and_invisible_characters_are_shown_by_code_point() {
        let shown = VisibleText::new("a\u{2028}b\u{85}c\u{2029}d\u{200b}e\u{a0}f\rg");
        assert_eq!(
            shown.text(),
            "a<U+2028>b<U+0085>c<U+2029>d<U+200B>e\u{a0}f\rg"
        );
    }

    #[test]
    fn spans_move_with_the_replacements() {
        let shown = VisibleText::new("x\u{2028}yz");
        // `\u{2028}` is bytes 1..4 of the original, `y` byte 4.
        assert_eq!(shown.range(1..4), 1..9);
        assert_eq!(shown.range(4..5), 9..10);
        assert_eq!(shown.range(5..99), 10..11);
    }
}
