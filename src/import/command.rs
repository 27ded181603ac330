//! Words of a command line: Compose splits a string `command` into words
//! itself (no shell, POSIX quoting), while the language runs a string
//! `command` with `/bin/sh -c`; so a Compose string becomes the list of
//! the words Compose would run, and a `CMD` health check's words become
//! one shell line.

/// Splits `line` as Compose splits a string `command` (shell-style words:
/// blanks separate, `'...'` and `"..."` quote, `\` escapes); `None` when a
/// quote is not closed.
pub fn split_words(line: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' | '\r' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => word.push(c),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => match chars.next()? {
                            c @ ('"' | '\\' | '$' | '`') => word.push(c),
                            '\n' => {}
                            c => {
                                word.push('\\');
                                word.push(c);
                            }
                        },
                        c => word.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some('\n') | None => {}
                    Some(c) => word.push(c),
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Some(words)
}

/// Joins words into one `/bin/sh` line that gives them back: a plain word
/// as it is, any other in single quotes.
pub fn join_words(words: &[String]) -> String {
    words.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" ")
}

fn quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:,@%+=".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_as_compose() {
        assert_eq!(
            split_words(r#"redis-server --save "" --appendonly 'yes please' a\ b"#),
            Some(
                [
                    "redis-server",
                    "--save",
                    "",
                    "--appendonly",
                    "yes please",
                    "a b"
                ]
                .map(String::from)
                .to_vec()
            )
        );
        assert_eq!(split_words("echo 'open"), None);
    }

    #[test]
    fn joins_for_the_shell() {
        let words = ["pg_isready", "-U", "my user", "it's"].map(String::from);
        assert_eq!(join_words(&words), r"pg_isready -U 'my user' 'it'\''s'");
    }
}
