//! The canonical layout of a Stackfile, printed from its syntax tree and
//! comments.
//!
//! - two spaces of indentation, one item per line in multi-line blocks;
//! - a block, list or map written on one line stays on one line if it fits
//!   in 100 columns (blocks: attributes two spaces apart); one written over
//!   several lines stays that way, one item per line;
//! - `=` (and `<`) aligned over a run of attributes not broken by a blank line;
//! - at most one blank line in a row, none at the start or end of a block;
//! - every comment kept, in order: on its own line, or at the end of the
//!   line it ended (two spaces before `#`);
//! - values as written (`1m` stays `1m`); map keys bare when they are names.
//!
//! Formatting formatted text changes nothing: every choice depends only on
//! the syntax tree, on whether a construct was on one line, and on where the
//! blank lines were — all of which the output keeps.

use super::comment_queue::CommentQueue;
use super::inline::Inline;
use crate::syntax::ast::{Attribute, Block, Document, Entry, Item, Value, ValueKind};

const MAX_WIDTH: usize = 100;
const INDENT: &str = "  ";

/// Where an alignable element starts, how wide its key is, and which
/// elements it lines up with.
struct Key<'a> {
    start: usize,
    width: usize,
    group: &'a str,
}

fn close_run(run: &[usize], keys: &[Option<Key>], widths: &mut [usize]) {
    let width = run
        .iter()
        .filter_map(|i| keys.get(*i).and_then(Option::as_ref))
        .map(|key| key.width)
        .max()
        .unwrap_or(0);
    for index in run {
        if let Some(slot) = widths.get_mut(*index) {
            *slot = width;
        }
    }
}

pub struct Formatter<'a> {
    source: &'a str,
    inline: Inline<'a>,
    comments: CommentQueue<'a>,
    out: String,
    depth: usize,
    /// Where the last printed element ended in the source, to find blank
    /// lines; `None` at the start of a file or body.
    last_end: Option<usize>,
}

impl<'a> Formatter<'a> {
    pub fn new(source: &'a str, document: &'a Document) -> Formatter<'a> {
        Formatter {
            source,
            inline: Inline { source },
            comments: CommentQueue::new(&document.comments),
            out: String::with_capacity(source.len()),
            depth: 0,
            last_end: None,
        }
    }

    /// The formatted text: LF line endings, one final newline (none for a
    /// file with nothing in it).
    pub fn format(mut self, document: &Document) -> String {
        self.items(&document.items, self.source.len());
        self.out
    }

    fn items(&mut self, items: &[Item], end: usize) {
        let keys: Vec<Option<Key>> = items
            .iter()
            .map(|item| match item {
                Item::Attribute(a) => Some(Key {
                    start: a.span.start as usize,
                    width: a.key.name.chars().count(),
                    group: "",
                }),
                // Consecutive one-line blocks of a kind line up their `{`.
                Item::Block(b) => self.one_line_block(b).map(|_| Key {
                    start: b.span.start as usize,
                    width: self.inline.block_name(b).chars().count(),
                    group: b.kind.name.as_str(),
                }),
                Item::Include(_) => None,
            })
            .collect();
        let widths = self.align(&keys);
        for (item, width) in items.iter().zip(widths) {
            match item {
                Item::Attribute(attribute) => self.attribute(attribute, width),
                Item::Block(block) => self.block(block, width),
                Item::Include(include) => {
                    self.element_start(item.span().start as usize, item.span().end as usize);
                    let pattern = self
                        .inline
                        .text(include.pattern.span.start, include.pattern.span.end);
                    let text = format!("include {pattern}");
                    self.start_line();
                    self.out.push_str(&text);
                }
            }
            self.finish_line(item.span().end as usize);
        }
        self.comments_before(end);
    }

    fn attribute(&mut self, attribute: &Attribute, width: usize) {
        let key = format!(
            "{:<width$} {} ",
            attribute.key.name,
            attribute.operator.as_str()
        );
        let unpadded = attribute.key.name.chars().count() + attribute.operator.as_str().len() + 2;
        self.keyed_value(
            attribute.span.start as usize,
            &key,
            unpadded,
            &attribute.value,
        );
    }

    fn entry(&mut self, entry: &Entry, width: usize) {
        let name = self.inline.entry_key(entry);
        let unpadded = name.chars().count() + 3;
        let key = format!("{name:<width$} = ");
        self.keyed_value(entry.key.span.start as usize, &key, unpadded, &entry.value);
    }

    /// `key = value`, the value on the key's line when it fits there.
    fn keyed_value(&mut self, start: usize, key: &str, unpadded: usize, value: &Value) {
        let end = value.span.end as usize;
        match self.inline_value(value) {
            Some(text) if self.fits(unpadded + text.chars().count()) => {
                self.element_start(start, end);
                self.start_line();
                self.out.push_str(key);
                self.out.push_str(&text);
            }
            _ => {
                self.element_start(start, value.span.start as usize);
                self.start_line();
                self.out.push_str(key);
                self.multi_line_value(value);
            }
        }
    }

    /// A value on one line: when written so, or an empty list or map
    /// without comments.
    fn inline_value(&self, value: &Value) -> Option<String> {
        let (start, end) = (value.span.start as usize, value.span.end as usize);
        match &value.kind {
            ValueKind::List(values)
                if values.is_empty() && !self.comments.any_within(start, end) =>
            {
                Some("[]".to_string())
            }
            ValueKind::Map(entries)
                if entries.is_empty() && !self.comments.any_within(start, end) =>
            {
                Some("{ }".to_string())
            }
            _ => self.inline.value(value),
        }
    }

    /// A list or map over several lines, one element per line; the caller
    /// has written what comes before it and finishes its last line.
    fn multi_line_value(&mut self, value: &Value) {
        let (open, close) = match &value.kind {
            ValueKind::List(_) => ("[", "]"),
            ValueKind::Map(_) => ("{", "}"),
            // Scalars always fit on a line; never reached.
            _ => {
                let text = self
                    .inline
                    .text(value.span.start, value.span.end)
                    .to_string();
                self.out.push_str(&text);
                return;
            }
        };
        self.out.push_str(open);
        self.finish_line(value.span.start as usize + 1);
        self.depth += 1;
        self.last_end = None;
        match &value.kind {
            ValueKind::List(values) => {
                for element in values {
                    let (start, end) = (element.span.start as usize, element.span.end as usize);
                    match self.inline_value(element) {
                        Some(text) if self.fits(text.chars().count() + 1) => {
                            self.element_start(start, end);
                            self.start_line();
                            self.out.push_str(&text);
                        }
                        _ => {
                            self.element_start(start, start);
                            self.start_line();
                            self.multi_line_value(element);
                        }
                    }
                    self.out.push(',');
                    self.finish_line(end);
                }
            }
            ValueKind::Map(entries) => {
                let keys: Vec<Option<Key>> = entries
                    .iter()
                    .map(|e| {
                        Some(Key {
                            start: e.key.span.start as usize,
                            width: self.inline.entry_key(e).chars().count(),
                            group: "",
                        })
                    })
                    .collect();
                let widths = self.align(&keys);
                for (entry, width) in entries.iter().zip(widths) {
                    self.entry(entry, width);
                    self.finish_line(entry.value.span.end as usize);
                }
            }
            _ => {}
        }
        self.comments_before((value.span.end as usize).saturating_sub(1));
        self.depth -= 1;
        self.start_line();
        self.out.push_str(close);
    }

    /// The block on one line (name unpadded), when it was written on one
    /// line and fits, or is empty.
    fn one_line_block(&self, block: &Block) -> Option<String> {
        let (body_start, body_end) = (block.body_span.start as usize, block.body_span.end as usize);
        let empty = block.items.is_empty() && !self.comments.any_within(body_start, body_end);
        let text = if empty {
            format!("{} {{ }}", self.inline.block_name(block))
        } else {
            self.inline.block(block, 0)?
        };
        self.fits(text.chars().count()).then_some(text)
    }

    fn block(&mut self, block: &Block, width: usize) {
        let (body_start, body_end) = (block.body_span.start as usize, block.body_span.end as usize);
        if let Some(text) = self.one_line_block(block) {
            // Pad the name: `test unit        { ... }`.
            let name = self.inline.block_name(block);
            let padded = format!(
                "{name:<width$}{}",
                text.get(name.len()..).unwrap_or_default()
            );
            self.element_start(block.span.start as usize, block.span.end as usize);
            self.start_line();
            self.out.push_str(&padded);
            return;
        }
        self.element_start(block.span.start as usize, body_start);
        self.start_line();
        let header = format!("{} {{", self.inline.block_name(block));
        self.out.push_str(&header);
        self.finish_line(body_start + 1);
        self.depth += 1;
        self.last_end = None;
        self.items(&block.items, body_end.saturating_sub(1));
        self.depth -= 1;
        self.start_line();
        self.out.push('}');
    }

    /// Key widths for alignment: runs of keyed elements of one group, not
    /// broken by a blank line or by an element without a key (`None`).
    fn align(&self, keys: &[Option<Key>]) -> Vec<usize> {
        let mut widths = vec![0; keys.len()];
        let mut run: Vec<usize> = Vec::new();
        let mut previous: Option<&Key> = None;
        for (index, key) in keys.iter().enumerate() {
            let continues = match (key, previous) {
                (Some(key), Some(before)) => {
                    key.group == before.group && !self.blank_line_between(before.start, key.start)
                }
                _ => false,
            };
            if !continues {
                close_run(&run, keys, &mut widths);
                run.clear();
            }
            if key.is_some() {
                run.push(index);
            }
            previous = key.as_ref();
        }
        close_run(&run, keys, &mut widths);
        widths
    }

    /// A blank line anywhere between two offsets (comments included).
    fn blank_line_between(&self, from: usize, to: usize) -> bool {
        let Some(text) = self.source.get(from..to) else {
            return false;
        };
        let mut newline_seen = false;
        for c in text.chars() {
            match c {
                '\n' if newline_seen => return true,
                '\n' => newline_seen = true,
                ' ' | '\t' | '\r' => {}
                _ => newline_seen = false,
            }
        }
        false
    }

    /// Before an element starting at `start`: the comments before `flush`
    /// on their own lines, and a blank line where the source had one.
    fn element_start(&mut self, start: usize, flush: usize) {
        self.comments_before(flush.max(start));
        self.blank_line_before(start);
    }

    /// Every comment starting before `offset`, each on its own line.
    fn comments_before(&mut self, offset: usize) {
        while let Some(comment) = self.comments.pop_before(offset) {
            self.blank_line_before(comment.span.start as usize);
            self.start_line();
            self.out.push_str(&comment.text);
            self.out.push('\n');
            self.last_end = Some(comment.span.end as usize);
        }
    }

    fn blank_line_before(&mut self, start: usize) {
        if let Some(last) = self.last_end {
            if self.blank_line_between(last, start) {
                self.out.push('\n');
            }
        }
    }

    fn start_line(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str(INDENT);
        }
    }

    /// Ends the current line, with the comment that followed `end` on its
    /// source line, if any.
    fn finish_line(&mut self, end: usize) {
        self.last_end = Some(end);
        if let Some(comment) = self.comments.pop_trailing(self.source, end) {
            self.out.push_str("  ");
            self.out.push_str(&comment.text);
            self.last_end = Some(comment.span.end as usize);
        }
        self.out.push('\n');
    }

    fn fits(&self, width: usize) -> bool {
        self.depth * INDENT.len() + width <= MAX_WIDTH
    }
}
