//! One value of the `compose { }` pass-through, the same whether it was
//! written `key = value` or `key { ... }`, with the spans the checks point at.

use super::fields::wrong_type;
use super::labels;
use super::runtime::runtime_text;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{format_duration, PassValue, Text};
use crate::source::Span;
use crate::syntax::ast::{Block, Ident, Item, StringLit, Value, ValueKind};

/// A pass-through value as written: a map from `{ k = v }` and from a
/// nested block alike, so every check sees both forms.
#[derive(Debug, Clone)]
pub struct PassNode<'a> {
    /// The whole value (for a block, the whole block).
    pub span: Span,
    pub kind: NodeKind<'a>,
}

/// What a [`PassNode`] holds.
#[derive(Debug, Clone)]
pub enum NodeKind<'a> {
    String(&'a StringLit),
    /// A bare name (`networks = [backend]`), written to Compose as a string.
    Name(&'a str),
    /// A number, boolean, duration or percentage.
    Scalar(&'a Value),
    List(Vec<PassNode<'a>>),
    /// Keys in the order written.
    Map(Vec<(&'a Ident, PassNode<'a>)>),
}

impl<'a> PassNode<'a> {
    /// The node of `key = value`.
    pub fn of_value(value: &'a Value) -> PassNode<'a> {
        let kind = match &value.kind {
            ValueKind::String(literal) => NodeKind::String(literal),
            ValueKind::Ident(name) => NodeKind::Name(name),
            ValueKind::List(items) => {
                NodeKind::List(items.iter().map(PassNode::of_value).collect())
            }
            ValueKind::Map(entries) => NodeKind::Map(
                entries
                    .iter()
                    .map(|e| (&e.key, PassNode::of_value(&e.value)))
                    .collect(),
            ),
            _ => NodeKind::Scalar(value),
        };
        PassNode {
            span: value.span,
            kind,
        }
    }

    /// The node of `key { ... }`: a map of its attributes and nested blocks.
    /// A label on a nested block and an `include` are reported and left out.
    pub fn of_block(block: &'a Block, diagnostics: &mut Diagnostics) -> PassNode<'a> {
        let mut entries = Vec::new();
        for item in &block.items {
            match item {
                Item::Attribute(attribute) => {
                    entries.push((&attribute.key, PassNode::of_value(&attribute.value)));
                }
                Item::Block(nested) => {
                    labels::forbidden(nested, diagnostics);
                    entries.push((&nested.kind, PassNode::of_block(nested, diagnostics)));
                }
                Item::Include(include) => diagnostics.push(
                    Diagnostic::error(Code::UnknownAttribute, "`include` is not allowed here")
                        .at(include.span),
                ),
            }
        }
        PassNode {
            span: block.span(),
            kind: NodeKind::Map(entries),
        }
    }

    /// The text of a string or a name, as written (`${...}` included).
    pub fn text(&self) -> Option<&'a str> {
        match &self.kind {
            NodeKind::String(literal) => Some(&literal.value),
            NodeKind::Name(name) => Some(name),
            _ => None,
        }
    }

    /// The entry `key` of a map.
    pub fn entry(&self, key: &str) -> Option<(&'a Ident, &PassNode<'a>)> {
        match &self.kind {
            NodeKind::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.name == key)
                .map(|(k, v)| (*k, v)),
            _ => None,
        }
    }

    /// The items of a list; a single value stands for itself (Compose takes
    /// `env_file = ".env"` as `[".env"]`).
    pub fn items(&self) -> Vec<&PassNode<'a>> {
        match &self.kind {
            NodeKind::List(items) => items.iter().collect(),
            _ => vec![self],
        }
    }

    /// The value for the Model: strings split into literal text and
    /// run-time references (malformed ones reported), durations in
    /// Compose's form, names as strings. `None`, reported, for a percentage.
    pub fn lower(&self, diagnostics: &mut Diagnostics) -> Option<PassValue> {
        Some(match &self.kind {
            NodeKind::String(literal) => PassValue::String(runtime_text(literal, diagnostics)),
            NodeKind::Name(name) => PassValue::String(Text::literal(*name)),
            NodeKind::Scalar(value) => match &value.kind {
                ValueKind::Integer(n) => {
                    if let Some(problem) = reread_number(value, *n) {
                        diagnostics.push(problem);
                        return None;
                    }
                    PassValue::Integer(*n)
                }
                ValueKind::Boolean(b) => PassValue::Boolean(*b),
                ValueKind::Duration(ms) => PassValue::String(Text::literal(format_duration(*ms))),
                _ => {
                    diagnostics.push(wrong_type(
                        value,
                        "a string, number, boolean, duration, list or map",
                    ));
                    return None;
                }
            },
            NodeKind::List(items) => {
                PassValue::List(items.iter().filter_map(|i| i.lower(diagnostics)).collect())
            }
            NodeKind::Map(entries) => PassValue::Map(
                entries
                    .iter()
                    .filter_map(|(k, v)| v.lower(diagnostics).map(|v| (k.name.to_string(), v)))
                    .collect(),
            ),
        })
    }
}

/// A number written otherwise than Compose will read it back (`0123`,
/// `-0`, `007`): the file holds `123`, so the digits as written are lost.
/// The grammar's numbers are `-?[0-9]+`, so the written form is the
/// canonical one exactly when the two are as long.
fn reread_number(value: &Value, n: i64) -> Option<Diagnostic> {
    let written = value.span.end.saturating_sub(value.span.start) as usize;
    let canonical = n.to_string();
    if written == canonical.len() {
        return None;
    }
    Some(
        Diagnostic::error(
            Code::WrongType,
            format!("a number with leading zeros: Compose reads it as `{canonical}`"),
        )
        .at(value.span)
        .with_label(format!("written into the Compose file as {canonical}"))
        .with_help(format!(
            "write `{canonical}`, or quote it (`\"...\"`) to keep the digits as written"
        )),
    )
}
