//! Templates whose every expression is a plain dotted name
//! (`http://{{ db.host }}:{{ db.ports.sql }}`), rendered by looking the
//! names up directly, without compiling a minijinja program: almost every
//! template in a real spec is one, and compiling each took a third of
//! `check`. Anything else (a filter, an operator, whitespace control, a
//! keyword, a name that is not there) is left to minijinja, which stays the
//! definition: `tests::renders_as_minijinja_does` compares the two.

use minijinja::value::Value as JinjaValue;

use super::lex::KEYWORDS;
use super::pair::find_pair;

/// Literal text and `{{ a.b.c }}` lookups, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PathTemplate {
    pieces: Vec<Piece>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    /// A root name and the attributes read from it.
    Path(Vec<String>),
}

impl PathTemplate {
    /// `source` as text and plain dotted names; `None` when any part of it
    /// is something else.
    pub(crate) fn parse(source: &str) -> Option<PathTemplate> {
        if find_pair(source, *b"{%").is_some() || find_pair(source, *b"{#").is_some() {
            return None;
        }
        let mut pieces = Vec::new();
        let mut rest = source;
        while let Some(open) = find_pair(rest, *b"{{") {
            if open > 0 {
                pieces.push(Piece::Text(rest.get(..open)?.to_string()));
            }
            let after = rest.get(open + 2..)?;
            let close = find_pair(after, *b"}}")?;
            pieces.push(Piece::Path(path(after.get(..close)?)?));
            rest = after.get(close + 2..)?;
        }
        if !rest.is_empty() {
            pieces.push(Piece::Text(rest.to_string()));
        }
        Some(PathTemplate { pieces })
    }

    /// The text, each path (a root name and the attributes read from it)
    /// written into it by `write`; `None` as soon as `write` declines one.
    pub(crate) fn render_with(
        &self,
        mut write: impl FnMut(&[String], &mut String) -> Option<()>,
    ) -> Option<String> {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Path(names) => write(names, &mut out)?,
            }
        }
        Some(out)
    }

    /// The text, each name looked up by `lookup` (the context's top-level
    /// names) and then attribute by attribute; `None` when a name or
    /// attribute is undefined, so that minijinja reports it.
    pub(crate) fn render(&self, lookup: impl Fn(&str) -> Option<JinjaValue>) -> Option<String> {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Path(names) => {
                    let (root, attributes) = names.split_first()?;
                    let mut value = lookup(root)?;
                    for attribute in attributes {
                        value = value.get_attr(attribute).ok()?;
                        if value.is_undefined() {
                            return None;
                        }
                    }
                    // minijinja prints a value with its Display (no
                    // auto-escaping for templates made from a string).
                    out.push_str(&value.to_string());
                }
            }
        }
        Some(out)
    }
}

/// `a.b.c` between `{{` and `}}`, with blank space around it only.
fn path(expression: &str) -> Option<Vec<String>> {
    // `{{-`, `-}}`, `{{+`, `+}}`: whitespace control.
    if expression.starts_with(['-', '+']) || expression.ends_with(['-', '+']) {
        return None;
    }
    let names: Vec<String> = expression
        .trim_matches([' ', '\t', '\n'])
        .split('.')
        .map(str::to_string)
        .collect();
    names
        .iter()
        .all(|name| is_plain_name(name) && !KEYWORDS.contains(&name.as_str()))
        .then_some(names)
}

/// An ASCII identifier as minijinja reads one.
fn is_plain_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests;
