//! Values of the language as the import writes them: the text of
//! attributes, lists and maps, before `stackc fmt` lays them out.

use super::interpolation::{to_language, Interpolation, LangString, Loss};
use super::yaml::{Node, Value};

/// A value of the language.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LangValue {
    /// A string literal (the text between its quotes, escaped).
    String(LangString),
    Int(i64),
    Bool(bool),
    /// A bare name (a component, a secret): no quotes.
    Name(String),
    List(Vec<LangValue>),
    Map(Vec<(String, LangValue)>),
}

impl LangValue {
    /// A string literal from plain text (every `$` literal).
    pub fn literal(text: &str) -> LangValue {
        LangValue::String(to_language(text, Interpolation::Literal).0)
    }

    /// The value as the language writes it.
    pub fn write(&self, out: &mut String) {
        match self {
            LangValue::String(s) => {
                out.push('"');
                out.push_str(&s.0);
                out.push('"');
            }
            LangValue::Int(i) => out.push_str(&i.to_string()),
            LangValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            LangValue::Name(n) => out.push_str(n),
            LangValue::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.write(out);
                }
                out.push(']');
            }
            LangValue::Map(entries) => {
                out.push('{');
                for (key, value) in entries {
                    out.push(' ');
                    write_key(out, key);
                    out.push_str(" = ");
                    value.write(out);
                }
                out.push_str(" }");
            }
        }
    }

    /// The value's text.
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }
}

/// Writes a map key: bare when it is a name the parser reads as one,
/// quoted otherwise (`"com.example.team"`).
pub fn write_key(out: &mut String, key: &str) {
    if is_bare_key(key) {
        out.push_str(key);
    } else {
        out.push('"');
        out.push_str(&to_language(key, Interpolation::Literal).0 .0);
        out.push('"');
    }
}

/// A key the language reads without quotes: a letter or `_`, then letters,
/// digits, `_` and `-`; not a keyword-like literal.
pub fn is_bare_key(key: &str) -> bool {
    let mut chars = key.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    first_ok
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && key != "true"
        && key != "false"
}

/// What could not be carried in a pass-through value, with the node.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueLoss<'a> {
    pub node: &'a Node,
    pub what: String,
}

/// A Compose value (Compose interpolates its strings) as a pass-through
/// value of the language. A null inside a list or map is dropped and
/// reported; a decimal becomes a string (the language has no decimals).
pub fn from_yaml<'a>(node: &'a Node, losses: &mut Vec<ValueLoss<'a>>) -> Option<LangValue> {
    match &node.value {
        Value::Null => {
            losses.push(ValueLoss {
                node,
                what: "an empty value (null), which the language cannot write".into(),
            });
            None
        }
        Value::Bool(b) => Some(LangValue::Bool(*b)),
        Value::Int(i) => Some(LangValue::Int(*i)),
        Value::Float(text) => Some(LangValue::String(LangString(text.clone()))),
        Value::String(s) => Some(LangValue::String(compose_string(node, s, losses))),
        Value::List(items) => Some(LangValue::List(
            items.iter().filter_map(|i| from_yaml(i, losses)).collect(),
        )),
        Value::Map(entries) => Some(LangValue::Map(
            entries
                .iter()
                .filter_map(|(k, v)| Some((k.name.clone(), from_yaml(v, losses)?)))
                .collect(),
        )),
    }
}

/// A string Compose interpolates, in the language; what cannot be said is
/// recorded against `node`.
pub fn compose_string<'a>(
    node: &'a Node,
    text: &str,
    losses: &mut Vec<ValueLoss<'a>>,
) -> LangString {
    let (written, lost) = to_language(text, Interpolation::Compose);
    for loss in lost {
        losses.push(ValueLoss {
            node,
            what: describe(&loss),
        });
    }
    written
}

/// A loss in words.
pub fn describe(loss: &Loss) -> String {
    match loss {
        Loss::Reference(r) => format!(
            "the reference `{r}`, a form the language does not take; it is kept as literal text"
        ),
        Loss::Nul => "a NUL character, which no container can receive; it is dropped".into(),
    }
}
