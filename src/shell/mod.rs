//! Shell quoting, for every caller: turning a value into bash source that
//! means exactly that value.
//!
//! Every value from the spec reaches a generated script through one of these
//! functions (the script templates' formatter calls [`quote`] on every
//! string, the Compose health probes quote their URLs with it), so a name,
//! path or command with spaces, quotes, `$`, backticks or newlines can
//! neither break the script nor inject into it. [`quote_if_needed`] is the
//! same quoting for words shown to a person (a command to copy), left bare
//! when the shell would read them back unchanged.

use crate::model::{Text, TextPart, VarOperator};

/// A single bash word whose value is exactly `value`: single-quoted, with each
/// `'` written as `'\''`. Inside single quotes bash treats every byte,
/// newlines and non-ASCII included, as itself.
///
/// A NUL byte cannot live in a bash string, so it is dropped (the analyser
/// should reject it in specs; nothing else is changed).
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    // Writing into a String cannot fail.
    let _ = write_quoted(&mut out, value);
    out
}

/// [`quote`], written into `out` instead of a new string (the script
/// templates' formatter quotes every value straight into the script).
pub fn write_quoted(out: &mut dyn std::fmt::Write, value: &str) -> std::fmt::Result {
    out.write_char('\'')?;
    let mut rest = value;
    while let Some(at) = rest.find(['\'', '\0']) {
        out.write_str(&rest[..at])?;
        if rest[at..].starts_with('\'') {
            out.write_str("'\\''")?;
        }
        rest = &rest[at + 1..];
    }
    out.write_str(rest)?;
    out.write_char('\'')
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
pub fn assignment(text: &Text) -> String {
    if text.parts.is_empty() {
        return "''".to_string();
    }
    let mut out = String::new();
    for part in &text.parts {
        match part {
            TextPart::Literal(literal) => out.push_str(&quote(literal)),
            TextPart::Variable { name, operator, .. } => {
                if !is_variable_name(name) {
                    // The analyser only lets names through; if one ever is not,
                    // keep it as the literal text it would otherwise be.
                    out.push_str(&quote(&part.reference()));
                    continue;
                }
                let operator = match operator {
                    None => "-",
                    Some(VarOperator::DefaultIfEmpty) => ":-",
                    Some(VarOperator::DefaultIfUnset) => "-",
                    Some(VarOperator::ErrorIfEmpty) => ":?",
                    Some(VarOperator::ErrorIfUnset) => "?",
                };
                // A default may hold references itself (`${A:-${B:-x}}`):
                // bash expands the word, so each is written the same way.
                let word = part.word_text();
                let word = if word.parts.is_empty() {
                    if operator == "-" {
                        String::new()
                    } else {
                        "''".to_string()
                    }
                } else {
                    assignment(&word)
                };
                out.push_str(&format!("${{{name}{operator}{word}}}"));
            }
        }
    }
    out
}

/// `word` as a bash word: as is when it is made only of characters the shell
/// reads back unchanged (`[A-Za-z0-9_./+=:@%,-]`, not empty), else
/// [`quote`]d. For text a person reads or copies (`stackc build 'my dir'`),
/// and for names from stackc's own tables; spec values always use [`quote`].
pub fn quote_if_needed(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./-+=:@%,".contains(c));
    if plain {
        word.to_string()
    } else {
        quote(word)
    }
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
mod tests;
