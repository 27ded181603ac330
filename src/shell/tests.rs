//! Hostile strings through bash: every quoted word means exactly its value.

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
        let script = format!("set -u; x={}; printf '%s' \"$x\"", quote(value));
        assert_eq!(bash(&script), *value, "script: {script}");
        let script = format!("printf '%s' {}", quote(value));
        assert_eq!(bash(&script), *value, "script: {script}");
    }
}

#[test]
fn writing_quoted_is_quoting() {
    for value in HOSTILE.iter().chain(&["a\0b", "\0'\0", "x'"]) {
        let mut written = String::new();
        assert!(write_quoted(&mut written, value).is_ok());
        assert_eq!(written, quote(value), "{value:?}");
    }
}

#[test]
fn nul_is_dropped() {
    assert_eq!(quote("a\0b"), "'ab'");
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
    // A word holding a well-formed reference is a nested default, tested below.
    let literal = |value: &&&str| crate::model::split_references(value).is_literal();
    for value in HOSTILE.iter().filter(literal) {
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
            assignment(&text)
        );
        let expected = format!("<{value}>{value}set $xset $x{value}");
        assert_eq!(bash(&script), expected, "script: {script}");
    }
}

#[test]
fn nested_defaults_expand_as_compose_expands_them() {
    let text = crate::model::split_references(
        "${STACKC_UNSET:-${STACKC_ALSO_UNSET:-a b}}/${STACKC_UNSET:-${STACKC_SET:-x}}",
    );
    let script = format!(
        "set -u; STACKC_SET='set $x'; unset STACKC_UNSET STACKC_ALSO_UNSET; x={}; printf '%s' \"$x\"",
        assignment(&text)
    );
    assert_eq!(bash(&script), "a b/set $x", "script: {script}");
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
    let script = format!("unset STACKC_UNSET; x={}; echo reached", assignment(&text));
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
    assert_eq!(assignment(&Text::default()), "''");
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
        let script = format!("printf '%s' {}", quote(&value));
        proptest::prop_assert_eq!(bash(&script), value);
    }
}

#[test]
fn words_shown_to_people_are_bare_only_when_that_is_safe() {
    assert_eq!(quote_if_needed("examples/newsroom"), "examples/newsroom");
    assert_eq!(quote_if_needed("docker:build"), "docker:build");
    assert_eq!(quote_if_needed("--help"), "--help");
    assert_eq!(quote_if_needed("my dir"), "'my dir'");
    assert_eq!(quote_if_needed("it's"), "'it'\\''s'");
    assert_eq!(quote_if_needed(""), "''");
    for value in HOSTILE {
        let script = format!("printf '%s' {}", quote_if_needed(value));
        assert_eq!(bash(&script), *value, "script: {script}");
    }
}
