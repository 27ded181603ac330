//! A character the parser did not expect, in words: an invisible one is
//! named (`U+200B ZERO WIDTH SPACE`) instead of printed, since printed it
//! shows nothing; a lookalike of something the language uses (a no-break
//! space, a curly quote) gets help saying what to write instead.

/// How a message shows `c`: `` `x` `` for a visible ASCII character,
/// `` `“` (U+201C LEFT DOUBLE QUOTATION MARK) `` for another visible one,
/// and only the code point and name for an invisible one.
pub(super) fn shown(c: char) -> String {
    if c.is_ascii() && !c.is_ascii_control() {
        format!("`{c}`")
    } else if is_invisible(c) {
        code_point(c)
    } else {
        format!("`{c}` ({})", code_point(c))
    }
}

/// The label under a character outside printable ASCII: what kind of
/// mistake it is, or the character alone (its name is in the message).
pub(super) fn label(c: char) -> Option<String> {
    if c.is_ascii() && !c.is_ascii_control() {
        None
    } else if is_space(c) {
        Some("not a plain space".to_string())
    } else if is_invisible(c) {
        Some("an invisible character".to_string())
    } else {
        Some(format!("unexpected `{c}`"))
    }
}

/// What to write instead of `c`, for characters outside printable ASCII.
pub(super) fn help(c: char) -> Option<String> {
    const PASTED: &str =
        "it often comes with text pasted from a web page, a chat or a word processor";
    if c.is_ascii() && !c.is_ascii_control() {
        return None;
    }
    Some(match c {
        '\u{feff}' => format!(
            "delete it: a byte-order mark is allowed only as the first character of a file; {PASTED}"
        ),
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '\u{ff02}'
        | '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' => {
            "strings are written in straight double quotes: `\"text\"`".to_string()
        }
        c if is_space(c) => format!("replace it with a plain space; {PASTED}"),
        c if is_invisible(c) => format!(
            "delete it (an editor's \"show invisibles\" or \"render control characters\" setting shows it); {PASTED}"
        ),
        _ => "outside strings and comments a spec is written in ASCII: names are letters, digits, `_` and `-`; put other text in a string".to_string(),
    })
}

/// `U+200B ZERO WIDTH SPACE`; a control character has no name, only a
/// code point: `U+0007 (a control character)`.
fn code_point(c: char) -> String {
    let number = u32::from(c);
    match unicode_names2::name(c) {
        Some(name) => format!("U+{number:04X} {name}"),
        None if c.is_control() => format!("U+{number:04X} (a control character)"),
        None => format!("U+{number:04X}"),
    }
}

/// Whether a diagnostic's snippet shows `c` by its code point instead of
/// printing it: a character that some terminals and editors take as a line
/// break (NEL U+0085, LINE SEPARATOR U+2028, PARAGRAPH SEPARATOR U+2029), or
/// one outside ASCII that shows as nothing. Lookalike spaces print as the
/// blank they are; ASCII control characters are left to the renderer, which
/// shows each as its control picture (`␍`).
pub(crate) fn unseen_in_snippet(c: char) -> bool {
    matches!(c, '\u{0085}' | '\u{2028}' | '\u{2029}')
        || (!c.is_ascii() && is_invisible(c) && !is_space(c))
}

/// A space that is not the ASCII one: no-break, en, em, thin, ideographic…
fn is_space(c: char) -> bool {
    c.is_whitespace() && !c.is_ascii()
}

/// Shows as nothing, or as a blank: white space and control characters
/// other than the ASCII ones the grammar skips, and every
/// `Default_Ignorable_Code_Point` of Unicode (DerivedCoreProperties.txt):
/// zero-width spaces and joiners, direction marks, variation selectors,
/// tags, fillers.
fn is_invisible(c: char) -> bool {
    const DEFAULT_IGNORABLE: &[(u32, u32)] = &[
        (0x00AD, 0x00AD),
        (0x034F, 0x034F),
        (0x061C, 0x061C),
        (0x115F, 0x1160),
        (0x17B4, 0x17B5),
        (0x180B, 0x180F),
        (0x200B, 0x200F),
        (0x202A, 0x202E),
        (0x2060, 0x206F),
        (0x3164, 0x3164),
        (0xFE00, 0xFE0F),
        (0xFEFF, 0xFEFF),
        (0xFFA0, 0xFFA0),
        (0xFFF0, 0xFFF8),
        (0x1BCA0, 0x1BCA3),
        (0x1D173, 0x1D17A),
        (0xE0000, 0xE0FFF),
    ];
    let n = u32::from(c);
    c.is_control()
        || c.is_whitespace()
        || DEFAULT_IGNORABLE
            .iter()
            .any(|(first, last)| (*first..=*last).contains(&n))
}

#[cfg(test)]
mod tests {
    use super::{help, label, shown};

    #[test]
    fn invisible_characters_are_named_not_printed() {
        assert_eq!(shown('\u{200b}'), "U+200B ZERO WIDTH SPACE");
        assert_eq!(shown('\u{feff}'), "U+FEFF ZERO WIDTH NO-BREAK SPACE");
        assert_eq!(shown('\u{a0}'), "U+00A0 NO-BREAK SPACE");
        assert_eq!(shown('\u{202e}'), "U+202E RIGHT-TO-LEFT OVERRIDE");
        assert_eq!(shown('\u{e0041}'), "U+E0041 TAG LATIN CAPITAL LETTER A");
        assert_eq!(shown('\u{7}'), "U+0007 (a control character)");
        assert_eq!(label('\u{a0}').as_deref(), Some("not a plain space"));
        assert_eq!(label('\u{2060}').as_deref(), Some("an invisible character"));
        assert_eq!(label('\u{201c}').as_deref(), Some("unexpected `\u{201c}`"));
        assert!(help('\u{2060}').unwrap_or_default().contains("delete it"));
    }

    #[test]
    fn visible_characters_are_printed_and_named() {
        assert_eq!(shown(':'), "`:`");
        assert_eq!(
            shown('\u{201c}'),
            "`\u{201c}` (U+201C LEFT DOUBLE QUOTATION MARK)"
        );
        assert!(help('\u{201c}')
            .unwrap_or_default()
            .contains("straight double quotes"));
        assert_eq!(help('x'), None);
    }
}
