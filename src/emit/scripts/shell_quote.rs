//! Turning spec values into bash source that means exactly that value.
//!
//! Every value from the spec reaches a generated script through one of these
//! functions (the templates' formatter calls [`shell_quote`] on every string),
//! so a name, path or command with spaces, quotes, `$`, backticks or newlines
//! can neither break the script nor inject into it.

use crate::model::{Text, TextPart, VarOperator};

/// A single bash word whose value is exactly `value`: single-quoted, with each
/// `'` written as `'\''`. Inside single quotes bash treats every byte,
/// newlines and non-ASCII included, as itself.
///
/// A NUL byte cannot live in a bash string, so it is dropped (the analyser
/// should reject it in specs; nothing else is changed).
pub fn shell_quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        match c {
            '\'' => out.push_str("'\\''"),
            '\0' => {}
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// The right-hand side of a bash assignment (`name=<this>`) whose value is
/// `text` with its run-time references expanded, the way Compose expands them.
///
/// Literal parts are single-quoted; a reference becomes `${NAME}`,
/// `${NAME:-'word'}` and so on, with the word single-quoted too. In an
/// assignment bash neither splits nor globs, and inside `${...}` a quoted
/// word is taken literally, so nothing in the spec is ever evaluated.
/// A plain `${NAME}` of an unset variable is empty (Compose does the same),
/// not an error under `set -u`.
pub fn shell_assignment(text: &Text) -> String {
    if text.parts.is_empty() {
        return "''".to_string();
    }
    let mut out = String::new();
    for part in &text.parts {
        match part {
            TextPart::Literal(literal) => out.push_str(&shell_quote(literal)),
            TextPart::Variable {
                name,
                operator,
                word,
            } => {
                if !is_variable_name(name) {
                    // The analyser only lets names through; if one ever is not,
                    // keep it as the literal text it would otherwise be.
                    out.push_str(&shell_quote(&part.reference()));
                    continue;
                }
                let operator = match operator {
                    None => "-",
                    Some(VarOperator::DefaultIfEmpty) => ":-",
                    Some(VarOperator::DefaultIfUnset) => "-",
                    Some(VarOperator::ErrorIfEmpty) => ":?",
                    Some(VarOperator::ErrorIfUnset) => "?",
                };
                let word = if operator == "-" && word.is_empty() {
                    String::new()
                } else {
                    shell_quote(word)
                };
                out.push_str(&format!("${{{name}{operator}{word}}}"));
            }
        }
    }
    out
}

/// Text for a `#` comment line: control characters (newlines above all,
/// which would end the comment) are written as visible escapes.
pub fn comment(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

/// `[A-Za-z_][A-Za-z0-9_]*`: what bash accepts in `${...}`.
pub fn is_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// An environment variable name derived from a spec name: upper case, every
/// character outside `[A-Z0-9_]` replaced by `_` (`web-ui` → `WEB_UI`).
pub fn variable_suffix(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    /// Strings that break naive quoting.
    const HOSTILE: &[&str] = &[
        "",
        " ",
        "plain",
        "two words",
        "it's",
        "'",
        "''",
        "\"double\"",
        "$HOME",
        "${HOME}",
        "$(touch /tmp/stackc-pwned)",
        "`touch /tmp/stackc-pwned`",
        "back\\slash\\",
        "new\nline",
        "trailing newline\n",
        "\n",
        "tab\there",
        "cr\rhere",
        "glob * ? [a]",
        "~",
        "~root",
        "-n",
        "--help",
        "a;b|c&d>e<f",
        "!event",
        "é ünïcödé ✓ 日本",
        "#not a comment",
        "}{)(",
        "\\'",
        "'\\''",
        "%s %d",
    ];

    /// Runs `script` with bash and returns what it printed.
    fn bash(script: &str) -> String {
        let output = Command::new("bash")
            .arg("-c")
            .arg(script)
            .output()
            .expect("bash runs");
        assert!(
            output.status.success(),
            "bash failed on {script:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("utf-8")
    }

    #[test]
    fn quoted_words_mean_exactly_the_original_string() {
        for value in HOSTILE {
            let script = format!("set -u; x={}; printf '%s' \"$x\"", shell_quote(value));
            assert_eq!(bash(&script), *value, "script: {script}");
            let script = format!("printf '%s' {}", shell_quote(value));
            assert_eq!(bash(&script), *value, "script: {script}");
        }
    }

    #[test]
    fn nul_is_dropped() {
        assert_eq!(shell_quote("a\0b"), "'ab'");
    }

    fn var(name: &str, operator: Option<VarOperator>, word: &str) -> TextPart {
        TextPart::Variable {
            name: name.to_string(),
            operator,
            word: word.to_string(),
        }
    }

    #[test]
    fn assignments_expand_references_and_nothing_else() {
        for value in HOSTILE {
            let text = Text {
                parts: vec![
                    TextPart::Literal(format!("<{value}>")),
                    var("STACKC_UNSET", Some(VarOperator::DefaultIfEmpty), value),
                    var("STACKC_SET", Some(VarOperator::DefaultIfEmpty), "unused"),
                    var("STACKC_SET", None, ""),
                    var("STACKC_EMPTY", Some(VarOperator::DefaultIfUnset), value),
                    var("STACKC_UNSET", Some(VarOperator::DefaultIfUnset), value),
                    var("STACKC_UNSET", None, ""),
                ],
            };
            let script = format!(
                "set -u; STACKC_SET='set $x'; STACKC_EMPTY=''; unset STACKC_UNSET; x={}; printf '%s' \"$x\"",
                shell_assignment(&text)
            );
            let expected = format!("<{value}>{value}set $xset $x{value}");
            assert_eq!(bash(&script), expected, "script: {script}");
        }
    }

    #[test]
    fn error_references_stop_the_script_with_the_message() {
        let text = Text {
            parts: vec![var(
                "STACKC_UNSET",
                Some(VarOperator::ErrorIfEmpty),
                "set `STACKC_UNSET` $first",
            )],
        };
        let script = format!(
            "unset STACKC_UNSET; x={}; echo reached",
            shell_assignment(&text)
        );
        let output = Command::new("bash")
            .arg("-c")
            .arg(&script)
            .output()
            .expect("bash runs");
        assert!(!output.status.success());
        assert!(output.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("STACKC_UNSET: set `STACKC_UNSET` $first"),
            "{stderr}"
        );
    }

    #[test]
    fn empty_text_is_an_empty_word() {
        assert_eq!(shell_assignment(&Text::default()), "''");
    }

    #[test]
    fn comments_stay_on_one_line() {
        assert_eq!(comment("a\nb\r\tc\u{7}"), "a\\nb\\r\\tc\\u{7}");
        assert_eq!(comment("é ✓"), "é ✓");
    }

    #[test]
    fn variable_names_and_suffixes() {
        assert!(is_variable_name("DOCKER_HOST_IP"));
        assert!(is_variable_name("_x1"));
        assert!(!is_variable_name("1x"));
        assert!(!is_variable_name("a-b"));
        assert!(!is_variable_name(""));
        assert_eq!(variable_suffix("web-ui"), "WEB_UI");
        assert_eq!(variable_suffix("http"), "HTTP");
    }

    proptest::proptest! {
        #[test]
        fn any_string_round_trips_through_bash(value in "[^\u{0}]{0,24}") {
            let script = format!("printf '%s' {}", shell_quote(&value));
            proptest::prop_assert_eq!(bash(&script), value);
        }
    }
}
