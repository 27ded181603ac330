//! A service's `environment` (the list form `KEY=value` and the map form)
//! as the entries of an `env { }` block.

use super::interpolation::LangString;
use super::lang_value::{compose_string, LangValue, ValueLoss};
use super::yaml::{Node, Value};

/// One variable: the key as the language writes it (`NAME`, or a dotted
/// key `discovery.type` for a name the shell does not take), its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvEntry {
    pub key: String,
    pub value: LangValue,
}

/// What an `environment` entry lost, for the report.
#[derive(Debug, Clone, PartialEq)]
pub enum EnvIssue<'a> {
    /// A name the language cannot write as a key; the variable is dropped.
    Name(&'a Node, String),
    /// `KEY` with no value: Compose takes the value from its own
    /// environment, and leaves the variable out when that has none; it is
    /// written `${KEY}`, which is empty then.
    FromShell(&'a Node, String),
    /// A value that lost something (see [`ValueLoss`]).
    Value(ValueLoss<'a>),
    /// Not a list or a map, or an item that is neither a string nor a map
    /// entry.
    Shape(&'a Node),
}

/// Reads `environment`.
pub fn read(node: &Node) -> (Vec<EnvEntry>, Vec<EnvIssue<'_>>) {
    let mut entries = Vec::new();
    let mut issues = Vec::new();
    match &node.value {
        Value::Map(map) => {
            for (key, value) in map {
                match (&value.value, value.scalar_text()) {
                    (Value::Null, _) => add(&mut entries, &key.name, None, value, &mut issues),
                    (_, Some(text)) => add(
                        &mut entries,
                        &key.name,
                        Some((&text, value)),
                        value,
                        &mut issues,
                    ),
                    (_, None) => issues.push(EnvIssue::Shape(value)),
                }
            }
        }
        Value::List(items) => {
            for item in items {
                match item.scalar_text() {
                    Some(text) => match text.split_once('=') {
                        Some((key, value)) => {
                            add(&mut entries, key, Some((value, item)), item, &mut issues)
                        }
                        None => add(&mut entries, &text, None, item, &mut issues),
                    },
                    None => issues.push(EnvIssue::Shape(item)),
                }
            }
        }
        Value::Null => {}
        _ => issues.push(EnvIssue::Shape(node)),
    }
    (entries, issues)
}

/// Adds one variable (a later one of the same name replaces it, as in
/// Compose).
fn add<'a>(
    entries: &mut Vec<EnvEntry>,
    key: &str,
    value: Option<(&str, &'a Node)>,
    at: &'a Node,
    issues: &mut Vec<EnvIssue<'a>>,
) {
    let Some(written) = key_of(key) else {
        issues.push(EnvIssue::Name(at, key.to_string()));
        return;
    };
    let value = match value {
        Some((text, holder)) => {
            let mut losses = Vec::new();
            let v = compose_string(holder, text, &mut losses);
            issues.extend(losses.into_iter().map(EnvIssue::Value));
            literal_braces(v)
        }
        None => {
            issues.push(EnvIssue::FromShell(at, key.to_string()));
            LangString(format!("${{{key}}}"))
        }
    };
    entries.retain(|e| e.key != written);
    entries.push(EnvEntry {
        key: written,
        value: LangValue::String(value),
    });
}

/// An `env` value's text with template syntax kept literal: stackc renders
/// `{{ }}` in `env` values, so each `{` that opens `{{`, `{%` or `{#` is
/// written `{{ "{" }}` (minijinja renders it as `{`): Docker's own Go
/// templates (`Hello {{ .Name }}`) reach the container as written.
fn literal_braces(value: LangString) -> LangString {
    let text = value.0;
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '{' && matches!(chars.peek(), Some('{' | '%' | '#')) {
            out.push_str("{{ \\\"{\\\" }}");
        } else {
            out.push(c);
        }
    }
    LangString(out)
}

/// The key as the language writes it: an environment-variable name as it
/// is, a name with dots as a dotted key whose parts are names; `None` for
/// anything else.
pub fn key_of(name: &str) -> Option<String> {
    let shell = |s: &str| {
        let mut chars = s.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    // `true` and `false` would read as values, not keys.
    let word = |s: &str| s != "true" && s != "false";
    if shell(name) && word(name) {
        return Some(name.to_string());
    }
    let part_ok = |s: &str| {
        let mut chars = s.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    (name.contains('.') && name.split('.').all(|p| part_ok(p) && word(p))).then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::yaml::parse;

    fn env(text: &str) -> Vec<(String, String)> {
        let node = parse(text).unwrap_or_else(|e| panic!("{e:?}"));
        read(&node)
            .0
            .into_iter()
            .map(|e| (e.key, e.value.text()))
            .collect()
    }

    #[test]
    fn list_and_map_forms() {
        let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        };
        assert_eq!(
            env("- A=1\n- B=$HOME/x\n- C=$$5\n- D\n- discovery.type=single-node\n"),
            pairs(&[
                ("A", "\"1\""),
                ("B", "\"${HOME}/x\""),
                ("C", "\"\\$5\""),
                ("D", "\"${D}\""),
                ("discovery.type", "\"single-node\"")
            ])
        );
        assert_eq!(
            env("A: 1\nB: true\nC: '${X:-y}'\nD:\n"),
            pairs(&[
                ("A", "\"1\""),
                ("B", "\"true\""),
                ("C", "\"${X:-y}\""),
                ("D", "\"${D}\"")
            ])
        );
    }

    #[test]
    fn keys() {
        assert_eq!(key_of("A_1").as_deref(), Some("A_1"));
        assert_eq!(key_of("discovery.type").as_deref(), Some("discovery.type"));
        assert_eq!(key_of("a b"), None);
        assert_eq!(key_of("1A"), None);
        assert_eq!(key_of("a.1"), None);
    }
}
