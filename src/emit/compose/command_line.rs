//! A fixture loader's `command`, as the list Compose passes to the
//! container (its exec form).
//!
//! Compose splits a `command` string into words itself, without a shell:
//! `load a.sql && load b.sql` would run `load` with the words `a.sql`, `&&`,
//! `load`, `b.sql`. So a command made only of plain words is written as
//! those words, and anything else (operators, quotes, `$`, globs, `~`,
//! assignments, newlines) runs as `/bin/sh -c COMMAND`, as a Dockerfile's
//! shell form does.

use super::compose_string;

/// Characters that mean the same to a shell and to Compose's word
/// splitting, besides ASCII letters and digits.
const PLAIN: &[char] = &['-', '_', '.', '/', ':', ',', '@', '%', '+'];

/// The exec form of `command`, each word escaped for Compose's
/// interpolation (`$` → `$$`).
pub fn exec_form(command: &str) -> Vec<String> {
    let words: Vec<&str> = command
        .split([' ', '\t'])
        .filter(|w| !w.is_empty())
        .collect();
    let plain = !words.is_empty()
        && command
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '\t' || PLAIN.contains(&c));
    if plain {
        words.into_iter().map(compose_string::literal).collect()
    } else {
        ["/bin/sh", "-c", command]
            .into_iter()
            .map(compose_string::literal)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_words_are_split() {
        assert_eq!(exec_form("load /data"), ["load", "/data"]);
        assert_eq!(
            exec_form("  psql\t-h db -U app:x,y@z%+ "),
            ["psql", "-h", "db", "-U", "app:x,y@z%+"]
        );
    }

    #[test]
    fn shell_syntax_reaches_a_shell() {
        for command in [
            "load a.sql && load b.sql",
            "load a; load b",
            "load $FILE",
            "sh -c 'sleep 2'",
            "load *.sql",
            "A=1 load",
            "load ~/x",
            "load a\nload b",
            "load \"a b\"",
            "",
            "   ",
        ] {
            let form = exec_form(command);
            assert_eq!(form.len(), 3, "{command:?}");
            assert_eq!(form[..2], ["/bin/sh", "-c"], "{command:?}");
        }
        assert_eq!(exec_form("echo $X"), ["/bin/sh", "-c", "echo $$X"]);
    }
}
