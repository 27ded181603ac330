//! The syntax tree of one Stackfile. Generic on purpose: blocks, attributes
//! and values, each with its span; the analyser gives them meaning.

use crate::source::Span;

pub use super::tree_str::TreeStr;

#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub items: Vec<Item>,
    /// Every `#` comment, in source order (kept for `stackc fmt`).
    pub comments: Vec<Comment>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    pub text: TreeStr,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Include(Include),
    Block(Block),
    Attribute(Attribute),
}

impl Item {
    pub fn span(&self) -> Span {
        match self {
            Item::Include(i) => i.span,
            Item::Block(b) => b.span(),
            Item::Attribute(a) => a.span(),
        }
    }
}

/// `include "services/*.stack"`
#[derive(Debug, Clone, PartialEq)]
pub struct Include {
    pub pattern: StringLit,
    pub span: Span,
}

/// `kind label { ... }`, for example `component api { ... }`.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub kind: Ident,
    pub label: Option<Ident>,
    pub items: Vec<Item>,
    /// Where the `{ ... }` part starts and ends, in the kind's file: two
    /// offsets, not a span, so a block is 96 bytes and an [`Item`] 104.
    pub body_start: u32,
    pub body_end: u32,
}

impl Block {
    /// From the kind's first byte to the closing `}`: both parsers give
    /// the block this span, so it is not stored.
    pub fn span(&self) -> Span {
        Span {
            file: self.kind.span.file,
            start: self.kind.span.start,
            end: self.body_end,
        }
    }

    /// The `{ ... }` part.
    pub fn body_span(&self) -> Span {
        Span {
            file: self.kind.span.file,
            start: self.body_start,
            end: self.body_end,
        }
    }
}

/// `key = value`, or `key < value` for tolerances.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub key: Ident,
    pub value: Value,
    /// Where the operator starts; its length is its text's.
    pub operator_start: u32,
    pub operator: Operator,
}

impl Attribute {
    /// From the key's first byte to the value's last: both parsers give
    /// the attribute this span, so it is not stored.
    pub fn span(&self) -> Span {
        self.key.span.to(self.value.span)
    }

    /// The operator as written.
    pub fn operator_span(&self) -> Span {
        let length = self.operator.as_str().len() as u32;
        Span {
            file: self.key.span.file,
            start: self.operator_start,
            end: self.operator_start.saturating_add(length),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    Equals,
    Less,
    LessOrEqual,
}

impl Operator {
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Equals => "=",
            Operator::Less => "<",
            Operator::LessOrEqual => "<=",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ident {
    /// Never grown once parsed: no room for more (16 bytes, not 24).
    pub name: TreeStr,
    pub span: Span,
}

/// A string literal: its decoded value and its source text between the quotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StringLit {
    /// Never grown once parsed: no room for more (16 bytes, not 24).
    pub value: TreeStr,
    /// The text between the quotes as written, escapes undecoded; `None`
    /// when it is the value (no escape), which most strings are: one copy
    /// of the text less per string of a large workspace. Boxed twice (a
    /// thin pointer): it is rare, and the 8 bytes saved make every value,
    /// and so every attribute, smaller.
    raw: Option<Box<Box<str>>>,
    pub span: Span,
}

impl StringLit {
    /// The literal whose text between the quotes is `raw`, which decodes
    /// to `value`, written at `span` (quotes included).
    pub fn new(value: String, raw: &str, span: Span) -> StringLit {
        let raw = (raw != value).then(|| Box::new(raw.into()));
        StringLit {
            value: value.into(),
            raw,
            span,
        }
    }

    /// The text between the quotes as written, escapes undecoded.
    pub fn raw(&self) -> &str {
        self.raw.as_deref().map_or(&self.value, |raw| raw)
    }

    /// The source span of bytes `range` of the decoded value, so a diagnostic
    /// can point at a column inside the string even after escapes.
    pub fn span_of(&self, range: std::ops::Range<usize>) -> Span {
        let start = self.source_offset(range.start);
        let end = self.source_offset(range.end);
        // +1 skips the opening quote.
        Span {
            file: self.span.file,
            start: self.span.start + 1 + start,
            end: self.span.start + 1 + end,
        }
    }

    fn source_offset(&self, decoded: usize) -> u32 {
        // Without a backslash the text is written as it reads: an offset
        // at a character's start is the same in both.
        if !self.has_escapes() && self.raw().is_char_boundary(decoded) {
            return decoded.try_into().unwrap_or(u32::MAX);
        }
        self.units()
            .find(|unit| unit.decoded >= decoded)
            .map_or(self.raw().len(), |unit| unit.raw)
            .try_into()
            .unwrap_or(u32::MAX)
    }

    /// Byte offsets, in the decoded value, of every `$` written as `\$`.
    /// One pass over the string, however many dollars it holds.
    pub fn escaped_dollars(&self) -> Vec<usize> {
        if !self.has_escapes() {
            return Vec::new();
        }
        self.units()
            .filter(|unit| unit.escaped_dollar)
            .map(|unit| unit.decoded)
            .collect()
    }

    /// Whether the string as written holds an escape (every one starts
    /// with a backslash); most do not, and need no walk of their units.
    pub fn has_escapes(&self) -> bool {
        memchr::memchr(b'\\', self.raw().as_bytes()).is_some()
    }

    /// The string as written, one character or escape at a time, with where
    /// each starts in the raw text and in the decoded value.
    fn units(&self) -> impl Iterator<Item = SourceUnit> + '_ {
        let mut decoded = 0usize;
        let mut chars = self.raw().char_indices();
        std::iter::from_fn(move || {
            let (raw, c) = chars.next()?;
            let mut escaped_dollar = false;
            let produced = if c == '\\' {
                match chars.next() {
                    Some((_, 'u')) => {
                        let mut code = String::new();
                        for (_, c) in chars.by_ref() {
                            if c == '}' {
                                break;
                            }
                            if c != '{' {
                                code.push(c);
                            }
                        }
                        u32::from_str_radix(&code, 16)
                            .ok()
                            .and_then(char::from_u32)
                            .map_or(0, char::len_utf8)
                    }
                    Some((_, '$')) => {
                        escaped_dollar = true;
                        1
                    }
                    Some(_) => 1,
                    None => 0,
                }
            } else {
                c.len_utf8()
            };
            let unit = SourceUnit {
                raw,
                decoded,
                escaped_dollar,
            };
            decoded += produced;
            Some(unit)
        })
    }
}

/// One character or escape of a string literal as written.
struct SourceUnit {
    /// Where it starts in [`StringLit::raw`].
    raw: usize,
    /// Where what it decodes to starts in [`StringLit::value`].
    decoded: usize,
    /// It is `\$`.
    escaped_dollar: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub kind: ValueKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ValueKind {
    String(StringLit),
    Integer(i64),
    Boolean(bool),
    /// Milliseconds.
    Duration(u64),
    /// Thousandths of a percent, so `0.5%` is exactly 500.
    Percent(u64),
    /// A bare name: a reference to a component, port, environment or keyword.
    Ident(TreeStr),
    List(Vec<Value>),
    Map(Vec<Entry>),
    /// `stable + 0.5%`: a margin over a value the deploy measures; only a
    /// KPI tolerance takes one. Boxed: it is rare, and inline it made
    /// every value (and so every attribute of the syntax tree) 8 bytes
    /// larger.
    Relative(Box<Relative>),
}

/// `BASE + AMOUNT`, as written: the analyser accepts only `stable`, `+`
/// and an amount in the tolerance's unit, and says what is wrong otherwise.
#[derive(Debug, Clone, PartialEq)]
pub struct Relative {
    pub base: Ident,
    pub operator: RelativeOperator,
    pub operator_span: Span,
    /// A scalar: a duration, percentage, number, string, boolean or name.
    pub amount: Box<Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelativeOperator {
    Plus,
    Minus,
}

impl RelativeOperator {
    pub fn as_str(self) -> &'static str {
        match self {
            RelativeOperator::Plus => "+",
            RelativeOperator::Minus => "-",
        }
    }
}

impl ValueKind {
    /// What the value is, in words for "expected X, found Y".
    pub fn describe(&self) -> &'static str {
        match self {
            ValueKind::String(_) => "a string",
            ValueKind::Integer(_) => "a number",
            ValueKind::Boolean(_) => "a boolean",
            ValueKind::Duration(_) => "a duration",
            ValueKind::Percent(_) => "a percentage",
            ValueKind::Ident(_) => "a name",
            ValueKind::List(_) => "a list",
            ValueKind::Map(_) => "a map",
            ValueKind::Relative(_) => "a relative value",
        }
    }
}

/// `key = value` inside a `{ }` map value.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: Ident,
    pub value: Value,
}

#[cfg(test)]
mod tests {
    use super::StringLit;
    use crate::source::{FileId, Span};

    fn literal(value: &str, raw: &str) -> StringLit {
        StringLit::new(value.into(), raw, Span::new(FileId(0), 10, 12 + raw.len()))
    }

    /// [`StringLit::source_offset`] by walking the units, as for a string
    /// with escapes.
    fn walked(literal: &StringLit, decoded: usize) -> u32 {
        literal
            .units()
            .find(|unit| unit.decoded >= decoded)
            .map_or(literal.raw().len(), |unit| unit.raw)
            .try_into()
            .unwrap_or(u32::MAX)
    }

    #[test]
    fn a_string_without_escapes_maps_offsets_as_its_units_do() {
        for text in ["", "abc", "é${X}ü", "{{ a.b }}-x"] {
            let lit = literal(text, text);
            for decoded in 0..=text.len() + 2 {
                assert_eq!(
                    lit.source_offset(decoded),
                    walked(&lit, decoded),
                    "{text:?} {decoded}"
                );
            }
            assert!(lit.escaped_dollars().is_empty());
        }
        let escaped = literal("a$b\"c", "a\\$b\\\"c");
        assert_eq!(escaped.escaped_dollars(), vec![1]);
        assert_eq!(escaped.source_offset(2), 3);
    }
}

#[cfg(test)]
mod sizes {
    use super::*;

    /// The tree of a 100,000-component workspace is most of `check`'s
    /// memory: these sizes (x86_64) must not grow unnoticed. They were
    /// Item 144, Attribute 144, Block 128, Value 72, ValueKind 56,
    /// StringLit 56, Ident 40, Entry 112, Comment 40.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn the_tree_stays_small() {
        assert!(size_of::<Item>() <= 104, "Item {}", size_of::<Item>());
        assert!(size_of::<Attribute>() <= 104);
        assert!(size_of::<Block>() <= 96);
        assert!(size_of::<Value>() <= 64);
        assert!(size_of::<ValueKind>() <= 48);
        assert!(size_of::<StringLit>() <= 40);
        assert!(size_of::<Ident>() <= 32);
        assert!(size_of::<Entry>() <= 96);
        assert!(size_of::<Comment>() <= 32);
        assert!(size_of::<TreeStr>() <= 16);
    }
}
