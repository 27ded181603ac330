//! Finding the two-character delimiters of templates (`{{`, `}}`, `{%`,
//! `{#`). `str::find` with a string pattern sets up a general substring
//! search on every call, which cost more than the search itself on the
//! short values of a spec (it was about 6% of `check`).

/// The byte offset of the first `pair` (two ASCII bytes) in `text`.
pub fn find_pair(text: &str, pair: [u8; 2]) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(found) = bytes
        .get(from..)
        .and_then(|rest| memchr::memchr(pair[0], rest))
    {
        let at = from + found;
        if bytes.get(at + 1) == Some(&pair[1]) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// The byte offset of the first `pair` in `text` at or after `from`.
pub fn find_pair_from(text: &str, from: usize, pair: [u8; 2]) -> Option<usize> {
    let rest = text.get(from..)?;
    find_pair(rest, pair).map(|at| at + from)
}

#[cfg(test)]
mod tests {
    use super::{find_pair, find_pair_from};
    use proptest::prelude::*;

    #[test]
    fn finds_what_str_find_finds() {
        for (text, pair) in [
            ("", "{{"),
            ("{", "{{"),
            ("{{", "{{"),
            ("a{b{{c", "{{"),
            ("{{{", "{{"),
            ("x}}", "}}"),
            ("é{%", "{%"),
        ] {
            let bytes: [u8; 2] = [pair.as_bytes()[0], pair.as_bytes()[1]];
            assert_eq!(find_pair(text, bytes), text.find(pair), "{text:?} {pair:?}");
        }
        assert_eq!(find_pair_from("{{ a }}{{", 2, *b"{{"), Some(7));
        assert_eq!(find_pair_from("{{", 3, *b"{{"), None);
    }

    proptest! {
        #[test]
        fn agrees_with_str_find(text in "[{}%#a é]{0,12}", from in 0usize..14) {
            for pair in ["{{", "}}", "{%", "{#"] {
                let bytes: [u8; 2] = [pair.as_bytes()[0], pair.as_bytes()[1]];
                prop_assert_eq!(find_pair(&text, bytes), text.find(pair));
                let expected = text.get(from..).and_then(|r| r.find(pair)).map(|i| i + from);
                prop_assert_eq!(find_pair_from(&text, from, bytes), expected);
            }
        }
    }
}
