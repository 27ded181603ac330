//! One-line renderings, used where the source wrote a construct on one
//! line. A comment runs to the end of its line, so a construct written on
//! one line never holds one.

use crate::syntax::ast::{Attribute, Block, Entry, Item, Value, ValueKind};

pub(super) struct Inline<'a> {
    pub source: &'a str,
}

impl Inline<'_> {
    /// The source text of a span (empty if the span is not in the text).
    pub fn text(&self, start: u32, end: u32) -> &str {
        self.source
            .get(start as usize..end as usize)
            .unwrap_or_default()
    }

    /// True when the source wrote `start..end` on a single line.
    pub fn one_line(&self, start: u32, end: u32) -> bool {
        !self.text(start, end).contains('\n')
    }

    /// A value on one line; `None` when the source spread it over lines.
    pub fn value(&self, value: &Value) -> Option<String> {
        match &value.kind {
            ValueKind::List(values) => {
                if !self.one_line(value.span.start, value.span.end) {
                    return None;
                }
                let parts: Option<Vec<String>> = values.iter().map(|v| self.value(v)).collect();
                Some(format!("[{}]", parts?.join(", ")))
            }
            ValueKind::Map(entries) => {
                if !self.one_line(value.span.start, value.span.end) {
                    return None;
                }
                if entries.is_empty() {
                    return Some("{ }".to_string());
                }
                let parts: Option<Vec<String>> = entries.iter().map(|e| self.entry(e, 0)).collect();
                Some(format!("{{ {} }}", parts?.join("  ")))
            }
            // `stable + 0.5%`, one space around the operator whatever the source had.
            ValueKind::Relative(relative) => Some(format!(
                "{} {} {}",
                relative.base.name,
                relative.operator.as_str(),
                self.value(&relative.amount)?
            )),
            // Scalars as written: `1m` stays `1m`, escapes stay escapes.
            _ => Some(self.text(value.span.start, value.span.end).to_string()),
        }
    }

    /// `key = value`, the key padded to `width` characters.
    pub fn entry(&self, entry: &Entry, width: usize) -> Option<String> {
        let value = self.value(&entry.value)?;
        Some(format!("{:<width$} = {value}", self.entry_key(entry)))
    }

    /// A map key: bare when it is a name, otherwise the quoted string as written.
    pub fn entry_key(&self, entry: &Entry) -> String {
        if is_name(&entry.key.name) {
            entry.key.name.to_string()
        } else {
            self.text(entry.key.span.start, entry.key.span.end)
                .to_string()
        }
    }

    /// `key op value`, the key padded to `width` characters.
    pub fn attribute(&self, attribute: &Attribute, width: usize) -> Option<String> {
        let value = self.value(&attribute.value)?;
        Some(format!(
            "{:<width$} {} {value}",
            attribute.key.name,
            attribute.operator.as_str()
        ))
    }

    /// `kind label`
    pub fn block_name(&self, block: &Block) -> String {
        match &block.label {
            Some(label) => format!("{} {}", block.kind.name, label.name),
            None => block.kind.name.to_string(),
        }
    }

    /// A whole block on one line, attributes two spaces apart, its name
    /// padded to `width` characters.
    pub fn block(&self, block: &Block, width: usize) -> Option<String> {
        if !self.one_line(block.span().start, block.span().end) {
            return None;
        }
        let name = self.block_name(block);
        if block.items.is_empty() {
            return Some(format!("{name:<width$} {{ }}"));
        }
        let parts: Option<Vec<String>> = block.items.iter().map(|i| self.item(i)).collect();
        Some(format!("{name:<width$} {{ {} }}", parts?.join("  ")))
    }

    pub fn item(&self, item: &Item) -> Option<String> {
        match item {
            Item::Attribute(attribute) => self.attribute(attribute, 0),
            Item::Block(block) => self.block(block, 0),
            Item::Include(include) => Some(format!(
                "include {}",
                self.text(include.pattern.span.start, include.pattern.span.end)
            )),
        }
    }
}

/// A name the grammar reads bare: a letter or `_`, then letters, digits, `_`, `-`.
pub(super) fn is_name(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}
