//! The `{ } [ ]` of a file that the grammar sees as brackets: those outside
//! strings and comments. Used to explain what pest cannot (nesting too deep,
//! a bracket never closed) without parsing.

/// Each bracket outside strings and comments, with its byte offset. A
/// string ends at its closing quote or, unclosed, at the end of its line,
/// as in the grammar; a comment runs to the end of the line.
pub(super) fn brackets(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let mut chars = text.char_indices();
    std::iter::from_fn(move || {
        while let Some((at, c)) = chars.next() {
            match c {
                '#' => {
                    for (_, c) in chars.by_ref() {
                        if c == '\n' {
                            break;
                        }
                    }
                }
                '"' => {
                    while let Some((_, c)) = chars.next() {
                        match c {
                            '\\' => {
                                chars.next();
                            }
                            '"' | '\n' => break,
                            _ => {}
                        }
                    }
                }
                '{' | '[' | '}' | ']' => return Some((at, c)),
                _ => {}
            }
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use super::brackets;

    #[test]
    fn strings_and_comments_hide_brackets() {
        let text = "a { b = \"{[\\\"\" # ] }\n c = [1] }";
        let found: Vec<char> = brackets(text).map(|(_, c)| c).collect();
        assert_eq!(found, ['{', '[', ']', '}']);
        assert_eq!(
            brackets("x = \"open [\n]")
                .map(|(at, _)| at)
                .collect::<Vec<_>>(),
            [12]
        );
    }
}
