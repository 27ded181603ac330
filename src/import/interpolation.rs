//! Compose's `$` syntax mapped to the language's strings.
//!
//! Compose interpolates every string value of a file: `${NAME}`,
//! `${NAME:-default}`, `${NAME-default}`, `${NAME:?message}`,
//! `${NAME?message}` (and `:+`/`+`), `$NAME` without braces, and `$$` for a
//! literal dollar. The language passes `${...}` through to run time and
//! reads every other `$` as a literal dollar (docs/language.md, "Run-time
//! references"); `\$` writes one without a warning. So `$NAME` becomes
//! `${NAME}` (Compose expands it), `$$` becomes `\$`, and a form the
//! language has no way to say is reported and kept as literal text.

/// A string literal of the language, with the text between its quotes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LangString(pub String);

/// Why a Compose string could not be carried exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Loss {
    /// A `${...}` form the language does not take (`${A:+x}`, a default
    /// holding a literal `$` or braces); kept as literal text.
    Reference(String),
    /// A NUL character, which neither Compose nor the shell carries; dropped.
    Nul,
}

/// How a string is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interpolation {
    /// Compose expands references in it (service values, environment).
    Compose,
    /// No references: every `$` is literal (a command after Compose's
    /// `$$` unescaping, where the language writes `$` as it is).
    Literal,
}

/// Maps Compose's text to the inside of a language string literal.
pub fn to_language(text: &str, mode: Interpolation) -> (LangString, Vec<Loss>) {
    let mut out = String::new();
    let mut losses = Vec::new();
    match mode {
        Interpolation::Literal => escape_into(&mut out, text, &mut losses, false),
        Interpolation::Compose => interpolate(text, &mut out, &mut losses),
    }
    (LangString(out), losses)
}

/// Compose's unescaping of `$$` only, for text Compose hands to a container
/// (a `command`): `$$HOME` reaches the container as `$HOME`. References
/// (`${A}`) are returned as losses: the container would see their values.
pub fn compose_unescape(text: &str) -> (String, Vec<Loss>) {
    let mut out = String::new();
    let mut losses = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(rest.get(..at).unwrap_or_default());
        let after = rest.get(at + 1..).unwrap_or_default();
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some((reference, len)) = reference_at(after) {
            losses.push(Loss::Reference(format!("${reference}")));
            out.push('$');
            out.push_str(&reference);
            rest = after.get(len..).unwrap_or_default();
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    (out, losses)
}

/// `text` as Compose reads it when no variable is set: each reference
/// replaced by its default (`${A:-x}`, `${A-x}` give `x`; any other form
/// gives nothing), `$$` by `$`; with the references as written
/// (`${A:-x}`, `$A`), in order. For values the language cannot defer to
/// run time (a published port).
pub fn with_defaults(text: &str) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut references = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(rest.get(..at).unwrap_or_default());
        let after = rest.get(at + 1..).unwrap_or_default();
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some((reference, len)) = reference_at(after) {
            let inner = reference
                .strip_prefix('{')
                .and_then(|r| r.strip_suffix('}'))
                .unwrap_or_default();
            let name_end = name_length(inner);
            let operator = inner.get(name_end..).unwrap_or_default();
            if let Some(default) = operator
                .strip_prefix(":-")
                .or_else(|| operator.strip_prefix('-'))
            {
                out.push_str(default);
            }
            references.push(format!("${reference}"));
            rest = after.get(len..).unwrap_or_default();
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    (out, references)
}

/// The reference after a `$` (`{A:-x}` or `NAME`) and its length, when one
/// starts there.
fn reference_at(after: &str) -> Option<(String, usize)> {
    if after.starts_with('{') {
        let close = matching_brace(after)?;
        let inner = after.get(..=close)?;
        return Some((inner.to_string(), close + 1));
    }
    let len = name_length(after);
    (len > 0).then(|| (after.get(..len).unwrap_or_default().to_string(), len))
}

/// Length of an environment-variable name at the start of `text`.
fn name_length(text: &str) -> usize {
    let mut len = 0;
    for (i, c) in text.char_indices() {
        let ok = if i == 0 {
            c.is_ascii_alphabetic() || c == '_'
        } else {
            c.is_ascii_alphanumeric() || c == '_'
        };
        if !ok {
            break;
        }
        len = i + c.len_utf8();
    }
    len
}

/// Byte index of the `}` closing the `{` that starts `text`, counting
/// nested `${`.
fn matching_brace(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

fn interpolate(text: &str, out: &mut String, losses: &mut Vec<Loss>) {
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        escape_into(out, rest.get(..at).unwrap_or_default(), losses, false);
        let after = rest.get(at + 1..).unwrap_or_default();
        if let Some(tail) = after.strip_prefix('$') {
            out.push_str("\\$");
            rest = tail;
            continue;
        }
        if after.starts_with('{') {
            if let Some(close) = matching_brace(after) {
                let inner = after.get(1..close).unwrap_or_default();
                match braced(inner) {
                    Some(written) => out.push_str(&written),
                    None => {
                        let whole = format!("${{{inner}}}");
                        losses.push(Loss::Reference(whole.clone()));
                        escape_into(out, &whole, losses, true);
                    }
                }
                rest = after.get(close + 1..).unwrap_or_default();
                continue;
            }
            out.push_str("\\$");
            rest = after;
            continue;
        }
        let len = name_length(after);
        if len > 0 {
            out.push_str("${");
            out.push_str(after.get(..len).unwrap_or_default());
            out.push('}');
            rest = after.get(len..).unwrap_or_default();
        } else {
            out.push_str("\\$");
            rest = after;
        }
    }
    escape_into(out, rest, losses, false);
}

/// `NAME`, `NAME:-default`, ... as the language writes it, or `None` when
/// the language cannot say it.
fn braced(inner: &str) -> Option<String> {
    let len = name_length(inner);
    let name = inner.get(..len)?;
    if name.is_empty() {
        return None;
    }
    let rest = inner.get(len..)?;
    if rest.is_empty() {
        return Some(format!("${{{name}}}"));
    }
    let op = [":-", ":?", "-", "?"]
        .into_iter()
        .find(|op| rest.starts_with(op))?;
    let default = rest.get(op.len()..)?;
    let mut written = String::new();
    let mut losses = Vec::new();
    interpolate(default, &mut written, &mut losses);
    // A default holds references, and no literal `$`, `{` or `}`.
    let literal_dollar = written.contains("\\$");
    let without_refs = strip_references(&written)?;
    if !losses.is_empty()
        || literal_dollar
        || without_refs.contains('{')
        || without_refs.contains('}')
    {
        return None;
    }
    Some(format!("${{{name}{op}{written}}}"))
}

/// The text with every `${...}` removed; `None` when braces do not match.
fn strip_references(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("${") {
        out.push_str(rest.get(..at)?);
        let after = rest.get(at + 1..)?;
        let close = matching_brace(after)?;
        rest = after.get(close + 1..)?;
    }
    out.push_str(rest);
    Some(out)
}

/// Appends `text` escaped for a language string; with `dollars`, every `$`
/// is written `\$`.
fn escape_into(out: &mut String, text: &str, losses: &mut Vec<Loss>, dollars: bool) {
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '$' if dollars => out.push_str("\\$"),
            '\0' => {
                if !losses.contains(&Loss::Nul) {
                    losses.push(Loss::Nul);
                }
            }
            c if c.is_control()
                || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{e000}') =>
            {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_stand_in_for_references() {
        assert_eq!(
            with_defaults("${APP_PORT:-8080}:80"),
            ("8080:80".to_string(), vec!["${APP_PORT:-8080}".to_string()])
        );
        assert_eq!(
            with_defaults("${A-1}:$B:${C}/udp"),
            (
                "1::/udp".to_string(),
                vec!["${A-1}".to_string(), "$B".to_string(), "${C}".to_string()]
            )
        );
        assert_eq!(with_defaults("8080:80"), ("8080:80".to_string(), vec![]));
        assert_eq!(with_defaults("$$1"), ("$1".to_string(), vec![]));
    }

    fn lang(text: &str) -> String {
        to_language(text, Interpolation::Compose).0 .0
    }

    #[test]
    fn references_map_to_the_language() {
        assert_eq!(lang("${A}"), "${A}");
        assert_eq!(lang("$A/b"), "${A}/b");
        assert_eq!(lang("${A:-x}"), "${A:-x}");
        assert_eq!(lang("${A-x}"), "${A-x}");
        assert_eq!(lang("${A:?need A}"), "${A:?need A}");
        assert_eq!(lang("${A:-$B}"), "${A:-${B}}");
        assert_eq!(lang("${A:-${B:-c}}"), "${A:-${B:-c}}");
    }

    #[test]
    fn dollars_become_literal() {
        assert_eq!(lang("$$HOME"), "\\$HOME");
        assert_eq!(lang("cost: 5$"), "cost: 5\\$");
        assert_eq!(lang("a $ b"), "a \\$ b");
        assert_eq!(lang("say \"hi\"\n"), "say \\\"hi\\\"\\n");
    }

    #[test]
    fn forms_the_language_lacks_are_losses() {
        let (text, losses) = to_language("${A:+x}", Interpolation::Compose);
        assert_eq!(text.0, "\\${A:+x}");
        assert_eq!(losses, vec![Loss::Reference("${A:+x}".into())]);
        let (_, losses) = to_language("${A:-$$}", Interpolation::Compose);
        assert_eq!(losses.len(), 1);
    }

    #[test]
    fn commands_unescape_double_dollars() {
        assert_eq!(compose_unescape("echo $$HOME").0, "echo $HOME");
        let (text, losses) = compose_unescape("echo ${X}");
        assert_eq!(text, "echo ${X}");
        assert_eq!(losses, vec![Loss::Reference("${X}".into())]);
    }
}
