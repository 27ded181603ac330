//! Reading a Compose file into a tree that keeps where every key and value
//! is (byte offsets into the file), so a report can point at line and
//! column. The YAML itself is read by serde-saphyr (anchors, aliases and
//! merge keys `<<` resolved, with nesting and alias budgets against hostile
//! input); this file only turns its events into [`Node`]s.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Location, Spanned};

use crate::source::FileId;

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
    /// The file the node was read from, when it is not the file being
    /// converted (a base `extends` reads from another file).
    pub file: Option<FileId>,
}

/// A key of a YAML mapping, as text (`8080: x` gives `"8080"`), and where
/// it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub start: usize,
    pub end: usize,
    /// Compose's merge tag on the key's value (`ports: !override [...]`).
    pub tag: Option<Tag>,
    /// As [`Node::file`].
    pub file: Option<FileId>,
}

/// Compose's YAML tags for merging (`extends`, several `-f` files):
/// `!reset` takes the base's value away, `!override` replaces it rather
/// than merging into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    Reset,
    Override,
}

/// The shapes of YAML values Compose files use. Scalars keep YAML 1.2's
/// types (Compose reads files with a YAML 1.2 reader: `yes` is a string).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    /// A float, written as Compose writes it into a string ([`go_float`]).
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

    /// The items when it is a list, to change (none otherwise).
    pub fn as_list_mut(&mut self) -> &mut [Node] {
        match &mut self.value {
            Value::List(items) => items,
            _ => &mut [],
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
    // As Compose's reader (go-yaml) reads scalars: `yes`/`on` are strings,
    // `010` is octal (8), `0x1F` hexadecimal, `1_000` a number.
    options.strict_booleans = true;
    options.legacy_octal_numbers = true;
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
            file: None,
        }),
        Err(error) => {
            let message = first_line(&error.to_string());
            let (message, place) = split_place(&message);
            Err(YamlError {
                offset: error
                    .location()
                    .and_then(|l| l.span().byte_offset())
                    .and_then(|o| usize::try_from(o).ok())
                    .or_else(|| place.and_then(|(line, column)| byte_offset(text, line, column))),
                message,
            })
        }
    }
}

/// The reader's message without its trailing `at line L, column C` (and
/// advice meant for programmers), with that place: the scanner's errors
/// carry their place only in the text.
fn split_place(message: &str) -> (String, Option<(usize, usize)>) {
    let message = message.replace(", set DuplicateKeyPolicy in Options if acceptable", "");
    let Some(at) = message.rfind(" at line ") else {
        return (message, None);
    };
    let (text, place) = message.split_at(at);
    let mut numbers = place
        .trim_start_matches(" at line ")
        .split(", column ")
        .map(|n| n.trim().parse::<usize>().ok());
    match (
        numbers.next().flatten(),
        numbers.next().flatten(),
        numbers.next(),
    ) {
        (Some(line), Some(column), None) => (text.to_string(), Some((line, column))),
        _ => (message.clone(), None),
    }
}

/// The byte offset of a 1-based line and column (in characters).
fn byte_offset(text: &str, line: usize, column: usize) -> Option<usize> {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.checked_sub(1)?)
        .map(str::len)
        .sum();
    let rest = text.get(start..)?;
    let within = rest
        .char_indices()
        .nth(column.checked_sub(1)?)
        .map_or(rest.len(), |(i, _)| i);
    Some(start + within)
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
    Node {
        value: spanned.value,
        start,
        end,
        file: None,
    }
}

/// A float as Compose writes it into a string (Go's shortest form:
/// `1.50` is `1.5`, `3.0` is `3`, `1e3` is `1000`, `1e21` is `1e+21`).
pub fn go_float(v: f64) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    let magnitude = v.abs();
    if magnitude != 0.0 && !(1e-4..1e21).contains(&magnitude) {
        let written = format!("{v:e}");
        return match written.split_once('e') {
            Some((mantissa, exponent)) if !exponent.starts_with('-') => {
                format!("{mantissa}e+{exponent:0>2}")
            }
            Some((mantissa, exponent)) => {
                format!("{mantissa}e-{:0>2}", exponent.trim_start_matches('-'))
            }
            None => written,
        };
    }
    format!("{v}")
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
        Ok(Value::Float(go_float(v)))
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
                tag: None,
                file: None,
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
        file: None,
    }
}

/// The merge tag written between a key's end and its value, or at the
/// start of the value's span (the reader may count the tag in).
fn tag(text: &str, key_end: usize, value_start: usize) -> Option<Tag> {
    let between = text.get(key_end..value_start).unwrap_or_default();
    let at = text.get(value_start..).unwrap_or_default();
    let written = |name: &str| {
        let ends = |rest: &str| {
            rest.chars()
                .next()
                .is_none_or(|c| c.is_whitespace() || matches!(c, '[' | '{' | ','))
        };
        between
            .rfind(name)
            .is_some_and(|i| ends(between.get(i + name.len()..).unwrap_or_default()))
            || at.strip_prefix(name).is_some_and(ends)
    };
    if written("!reset") {
        Some(Tag::Reset)
    } else if written("!override") {
        Some(Tag::Override)
    } else {
        None
    }
}

/// Marks every node and key of `node` not yet marked as read from `file`.
pub fn stamp(node: &mut Node, file: FileId) {
    node.file.get_or_insert(file);
    match &mut node.value {
        Value::List(items) => items.iter_mut().for_each(|i| stamp(i, file)),
        Value::Map(entries) => {
            for (key, value) in entries.iter_mut() {
                key.file.get_or_insert(file);
                stamp(value, file);
            }
        }
        _ => {}
    }
}

/// Clamps every span to the text.
fn fix_spans(text: &str, node: &mut Node) {
    node.start = node.start.min(text.len());
    node.end = node.end.clamp(node.start, text.len());
    match &mut node.value {
        Value::List(items) => items.iter_mut().for_each(|i| fix_spans(text, i)),
        Value::Map(entries) => {
            for (key, value) in entries.iter_mut() {
                key.start = key.start.min(text.len());
                key.end = key.end.clamp(key.start, text.len());
                fix_spans(text, value);
                key.tag = tag(text, key.end, value.start);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The values `docker compose config` gives for these scalars (checked
    /// with Docker Compose v5.6.1).
    #[test]
    fn scalars_read_as_compose_reads_them() {
        let node =
            parse("R: 1.50\nS: 1e3\nT: 0x1F\nU: 010\nV: 1_000\nW: .5\nX: 3.0\nY: yes\nZ: 0o17\n")
                .unwrap_or_else(|e| panic!("{e:?}"));
        let texts: Vec<String> = node
            .as_map()
            .unwrap_or_default()
            .iter()
            .map(|(_, v)| v.scalar_text().unwrap_or_default())
            .collect();
        assert_eq!(
            texts,
            ["1.5", "1000", "31", "8", "1000", "0.5", "3", "yes", "15"]
        );
        assert_eq!(go_float(1e21), "1e+21");
        assert_eq!(go_float(0.00001), "1e-05");
    }

    #[test]
    fn a_scanner_error_has_its_place() {
        let text = "services:\n  web:\n    image: [\n";
        let error = parse(text).err().unwrap_or_else(|| panic!("parsed"));
        assert!(!error.message.contains(" at line "), "{}", error.message);
        assert_eq!(error.offset, text.find('['));
        let error = parse("a: 1\na: 2\n")
            .err()
            .unwrap_or_else(|| panic!("parsed"));
        assert_eq!(error.message, "duplicate mapping key: a");
        assert_eq!(error.offset, Some(5));
    }

    #[test]
    fn merge_tags_are_kept_on_their_keys() {
        let text =
            "a: !override [1]\nb: !reset {}\nc: !reset\nd:\n  !override\n  - x\ne: '!reset'\n";
        let node = parse(text).unwrap_or_else(|e| panic!("{e:?}"));
        let tags: Vec<Option<Tag>> = node
            .as_map()
            .unwrap_or_default()
            .iter()
            .map(|(k, _)| k.tag)
            .collect();
        assert_eq!(
            tags,
            [
                Some(Tag::Override),
                Some(Tag::Reset),
                Some(Tag::Reset),
                Some(Tag::Override),
                None
            ]
        );
    }

    #[test]
    fn places_are_byte_offsets() {
        let text = "services:\n  web:\n    image: nginx\n";
        let node = parse(text).unwrap_or_else(|e| panic!("{e:?}"));
        let (key, _) = node
            .get("services")
            .and_then(|s| s.entry("web"))
            .unwrap_or_else(|| panic!("no web"));
        assert_eq!(text.get(key.start..key.end), Some("web"));
        let image = node
            .get("services")
            .and_then(|s| s.get("web"))
            .and_then(|w| w.get("image"));
        assert_eq!(image.map(|i| text.get(i.start..i.end)), Some(Some("nginx")));
    }
}
