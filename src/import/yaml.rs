//! Reading a Compose file into a tree that keeps where every key and value
//! is (byte offsets into the file), so a report can point at line and
//! column. The YAML itself is read by serde-saphyr (anchors, aliases and
//! merge keys `<<` resolved, with nesting and alias budgets against hostile
//! input); this file only turns its events into [`Node`]s.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Location, Spanned};

/// A YAML value and where it is: the byte range of the node in its file
/// (for a value reached through an alias or a merge key, the place of the
/// alias or the `<<`, which is where the user used it).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    /// Byte offset of the node's first character in its file.
    pub start: usize,
    /// Byte offset just past the node (`start` when unknown).
    pub end: usize,
}

/// A key of a YAML mapping, as text (`8080: x` gives `"8080"`), and where
/// it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub start: usize,
    pub end: usize,
}

/// The shapes of YAML values Compose files use. Scalars keep YAML 1.2's
/// types (Compose reads files with a YAML 1.2 reader: `yes` is a string).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    /// A float, with the text it was written as (`1.0` stays `1.0`).
    Float(String),
    String(String),
    List(Vec<Node>),
    /// Entries in the order written; a later duplicate key is refused by
    /// the reader.
    Map(Vec<(Key, Node)>),
}

impl Node {
    /// The value as a string when it is a scalar, written as Compose would
    /// read it into a string (`true`, `8080`, `1.5`); `None` for null,
    /// lists and maps.
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Value::Bool(b) => Some(b.to_string()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(text) | Value::String(text) => Some(text.clone()),
            Value::Null | Value::List(_) | Value::Map(_) => None,
        }
    }

    /// The value when it is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The entries when it is a map.
    pub fn as_map(&self) -> Option<&[(Key, Node)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The items when it is a list.
    pub fn as_list(&self) -> Option<&[Node]> {
        match &self.value {
            Value::List(items) => Some(items),
            _ => None,
        }
    }

    /// The value of `key` when this is a map holding it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(_, v)| v)
    }

    /// The entry (key and value) of `key` when this is a map holding it.
    pub fn entry(&self, key: &str) -> Option<(&Key, &Node)> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(k, v)| (k, v))
    }
}

/// Why a file is not a YAML document the import can read, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    pub message: String,
    /// Byte offset of the mistake, when the reader knows it.
    pub offset: Option<usize>,
}

/// Reads one YAML document. An empty document is [`Value::Null`].
///
/// Errors: not YAML, more than one document, nesting beyond the reader's
/// budget, an alias bomb, a duplicate key.
pub fn parse(text: &str) -> Result<Node, YamlError> {
    let mut options = serde_saphyr::options! {};
    // YAML 1.2, as Compose reads it: `yes`/`on` are strings, `0755` a number.
    options.strict_booleans = true;
    options.with_snippet = false;
    let parsed: Result<Option<Spanned<Value>>, _> =
        serde_saphyr::from_str_with_options(text, options);
    match parsed {
        Ok(Some(spanned)) => {
            let mut root = node(text, spanned);
            fix_spans(text, &mut root);
            Ok(root)
        }
        Ok(None) => Ok(Node {
            value: Value::Null,
            start: 0,
            end: 0,
        }),
        Err(error) => Err(YamlError {
            offset: error
                .location()
                .and_then(|l| l.span().byte_offset())
                .and_then(|o| usize::try_from(o).ok()),
            message: first_line(&error.to_string()),
        }),
    }
}

fn first_line(message: &str) -> String {
    message
        .lines()
        .next()
        .unwrap_or_default()
        .trim()
        .to_string()
}

fn range(location: &Location, text: &str) -> (usize, usize) {
    let span = location.span();
    let start = span
        .byte_offset()
        .and_then(|o| usize::try_from(o).ok())
        .filter(|o| *o <= text.len())
        .unwrap_or(0);
    let len = span
        .byte_len()
        .and_then(|o| usize::try_from(o).ok())
        .unwrap_or(0);
    let end = start.saturating_add(len).min(text.len()).max(start);
    (start, end)
}

fn node(text: &str, spanned: Spanned<Value>) -> Node {
    let (start, end) = range(&spanned.referenced, text);
    let value = match spanned.value {
        Value::Float(written) => {
            // The text as written, when the span holds it (`1.50`, not `1.5`).
            let raw = text.get(start..end).unwrap_or_default().trim();
            if !raw.is_empty() && raw.parse::<f64>().is_ok() {
                Value::Float(raw.to_string())
            } else {
                Value::Float(written)
            }
        }
        other => other,
    };
    Node { value, start, end }
}

/// What the YAML reader hands over: values with their places, turned into
/// [`Node`]s once the whole document is read (the spans need the text).
impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

/// A key in a map, read as text whatever its YAML type.
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<KeyText, D::Error> {
        match deserializer.deserialize_any(ValueVisitor)? {
            Value::Null => Ok(KeyText(String::new())),
            Value::Bool(b) => Ok(KeyText(b.to_string())),
            Value::Int(i) => Ok(KeyText(i.to_string())),
            Value::Float(f) | Value::String(f) => Ok(KeyText(f)),
            Value::List(_) | Value::Map(_) => {
                Err(de::Error::custom("a key that is a list or a map"))
            }
        }
    }
}

/// Values as serde-saphyr sees them, with spans for the items of lists and
/// the keys and values of maps. The spans are resolved against the text
/// later ([`fix_spans`]), since a visitor does not see the text.
struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(match i64::try_from(v) {
            Ok(i) => Value::Int(i),
            Err(_) => Value::String(v.to_string()),
        })
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v.to_string()))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::String(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Value, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Value>>()? {
            items.push(unresolved(item));
        }
        Ok(Value::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries: Vec<(Key, Node)> = Vec::new();
        while let Some(key) = map.next_key::<Spanned<KeyText>>()? {
            let value = map.next_value::<Spanned<Value>>()?;
            let key = Key {
                name: key.value.0,
                start: offset(&key.referenced),
                end: offset(&key.referenced).saturating_add(length(&key.referenced)),
            };
            if entries.iter().any(|(k, _)| k.name == key.name) {
                continue;
            }
            entries.push((key, unresolved(value)));
        }
        Ok(Value::Map(entries))
    }
}

fn offset(location: &Location) -> usize {
    location
        .span()
        .byte_offset()
        .and_then(|o| usize::try_from(o).ok())
        .unwrap_or(0)
}

fn length(location: &Location) -> usize {
    location
        .span()
        .byte_len()
        .and_then(|o| usize::try_from(o).ok())
        .unwrap_or(0)
}

/// A child node whose span is known in bytes but not yet checked against
/// the text (done by [`fix_spans`] once parsing is over).
fn unresolved(spanned: Spanned<Value>) -> Node {
    let start = offset(&spanned.referenced);
    Node {
        value: spanned.value,
        start,
        end: start.saturating_add(length(&spanned.referenced)),
    }
}

/// Clamps every span to the text and restores the written form of floats.
fn fix_spans(text: &str, node: &mut Node) {
    node.start = node.start.min(text.len());
    node.end = node.end.clamp(node.start, text.len());
    match &mut node.value {
        Value::Float(written) => {
            if let Some(raw) = text.get(node.start..node.end).map(str::trim) {
                if !raw.is_empty() && raw.parse::<f64>().is_ok() {
                    *written = raw.to_string();
                }
            }
        }
        Value::List(items) => items.iter_mut().for_each(|i| fix_spans(text, i)),
        Value::Map(entries) => {
            for (key, value) in entries.iter_mut() {
                key.start = key.start.min(text.len());
                key.end = key.end.clamp(key.start, text.len());
                fix_spans(text, value);
            }
        }
        _ => {}
    }
}
