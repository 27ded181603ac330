//! The canonical layout of a Stackfile, printed from its syntax tree and
//! comments.
//!
//! - two spaces of indentation, one item per line in multi-line blocks;
//! - a block, list or map written on one line stays on one line if it fits
//!   in 100 columns (blocks: attributes two spaces apart); one written over
//!   several lines stays that way, one item per line;
//! - `=` (and `<`) aligned over attributes (or map entries) on consecutive
//!   lines with no blank line between; consecutive one-line blocks of one
//!   kind (`test unit`, `test smoke`) line up their `{`;
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
use super::padding::Padding;
use crate::syntax::ast::{Attribute, Block, Document, Entry, Item, Value, ValueKind};

const MAX_WIDTH: usize = 100;
const INDENT: &str = "  ";

/// A key printed in a body, to be padded once the body is printed: keys
/// line up over runs of consecutive lines of one group (attributes and map
/// entries; one-line blocks of one kind) with no blank line between. Decided
/// on the output, so formatting the output again finds the same runs.
struct Pad {
    /// Where the key ends in the output: the padding goes there.
    at: usize,
    width: usize,
    group: String,
    /// Position of the element in its body; a gap breaks the run.
    index: usize,
    /// Where the element's first line starts and its last line ends.
    line_start: usize,
    end: usize,
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
    /// The key of the element just printed, if it has one.
    pad: Option<Pad>,
    /// Spaces to insert, by output offset, once everything is printed.
    padding: Padding,
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
            pad: None,
            padding: Padding::default(),
        }
    }

    /// The formatted text: LF line endings, one final newline (none for a
    /// file with nothing in it).
    pub fn format(mut self, document: &Document) -> String {
        self.items(&document.items, self.source.len());
        self.padding.apply(self.out)
    }

    /// [`Formatter::format`], and the bytes of the printed text the padding
    /// copied.
    #[cfg(test)]
    pub(super) fn format_counting_copies(mut self, document: &Document) -> (String, usize) {
        self.items(&document.items, self.source.len());
        let out = self.padding.apply(std::mem::take(&mut self.out));
        (out, self.padding.copied())
    }

    fn items(&mut self, items: &[Item], end: usize) {
        let mut pads = Vec::new();
        for (index, item) in items.iter().enumerate() {
            match item {
                Item::Attribute(attribute) => self.attribute(attribute),
                Item::Block(block) => self.block(block),
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
            self.collect_pad(index, &mut pads);
            self.finish_line(item.span().end as usize);
        }
        self.comments_before(end);
        self.align(&pads);
    }

    /// Takes the key of the element just printed, noting where it ends.
    fn collect_pad(&mut self, index: usize, pads: &mut Vec<Pad>) {
        if let Some(mut pad) = self.pad.take() {
            pad.index = index;
            pad.end = self.out.len();
            pads.push(pad);
        }
    }

    /// The key just printed on the line starting at `line_start`.
    fn key_printed(&self, line_start: usize, width: usize, group: &str) -> Pad {
        Pad {
            at: self.out.len(),
            width,
            group: group.to_string(),
            index: 0,
            line_start,
            end: 0,
        }
    }

    /// Pads the keys of one body: runs of consecutive elements of one group
    /// whose lines follow each other with no blank line between.
    fn align(&mut self, pads: &[Pad]) {
        let mut run: Vec<&Pad> = Vec::new();
        for pad in pads {
            let continues = run.last().is_some_and(|last| {
                last.index + 1 == pad.index
                    && last.group == pad.group
                    && !self
                        .out
                        .get(last.end..pad.line_start)
                        .is_some_and(|between| between.contains("\n\n"))
            });
            if !continues {
                self.pad_run(&run);
                run.clear();
            }
            run.push(pad);
        }
        self.pad_run(&run);
    }

    fn pad_run(&mut self, run: &[&Pad]) {
        let width = run.iter().map(|pad| pad.width).max().unwrap_or(0);
        for pad in run {
            if pad.width < width {
                self.padding.insert(pad.at, width - pad.width);
            }
        }
    }

    fn attribute(&mut self, attribute: &Attribute) {
        self.keyed_value(
            attribute.span().start as usize,
            &attribute.key.name,
            attribute.operator.as_str(),
            &attribute.value,
        );
    }

    fn entry(&mut self, entry: &Entry) {
        let name = self.inline.entry_key(entry);
        self.keyed_value(entry.key.span.start as usize, &name, "=", &entry.value);
    }

    /// `key op value`, the value on the key's line when it fits there.
    fn keyed_value(&mut self, start: usize, key: &str, operator: &str, value: &Value) {
        let end = value.span.end as usize;
        let width = key.chars().count();
        let inline = self
            .inline_value(value)
            .filter(|text| self.fits(width + operator.len() + 2 + text.chars().count()));
        let flush = if inline.is_some() {
            end
        } else {
            value.span.start as usize
        };
        self.element_start(start, flush);
        self.start_line();
        let line_start = self.out.len() - self.depth * INDENT.len();
        self.out.push_str(key);
        let pad = self.key_printed(line_start, width, "");
        self.out.push(' ');
        self.out.push_str(operator);
        self.out.push(' ');
        match inline {
            Some(text) => self.out.push_str(&text),
            None => self.multi_line_value(value),
        }
        // Set last: the entries of a multi-line value have keys of their own.
        self.pad = Some(pad);
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
            // A scalar too long for the line: printed on it all the same.
            _ => {
                let text = self.inline.value(value).unwrap_or_else(|| {
                    self.inline
                        .text(value.span.start, value.span.end)
                        .to_string()
                });
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
                let mut pads = Vec::new();
                for (index, entry) in entries.iter().enumerate() {
                    self.entry(entry);
                    self.collect_pad(index, &mut pads);
                    self.finish_line(entry.value.span.end as usize);
                }
                self.align(&pads);
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
        let (body_start, body_end) = (
            block.body_span().start as usize,
            block.body_span().end as usize,
        );
        let empty = block.items.is_empty() && !self.comments.any_within(body_start, body_end);
        let text = if empty {
            format!("{} {{ }}", self.inline.block_name(block))
        } else {
            self.inline.block(block, 0)?
        };
        self.fits(text.chars().count()).then_some(text)
    }

    fn block(&mut self, block: &Block) {
        let (body_start, body_end) = (
            block.body_span().start as usize,
            block.body_span().end as usize,
        );
        let name = self.inline.block_name(block);
        if let Some(text) = self.one_line_block(block) {
            self.element_start(block.span().start as usize, block.span().end as usize);
            self.start_line();
            let line_start = self.out.len() - self.depth * INDENT.len();
            self.out.push_str(&name);
            // `test unit        { ... }`: one-line blocks of a kind line up.
            self.pad = Some(self.key_printed(line_start, name.chars().count(), &block.kind.name));
            self.out
                .push_str(text.get(name.len()..).unwrap_or_default());
            return;
        }
        self.element_start(block.span().start as usize, body_start);
        self.start_line();
        self.out.push_str(&name);
        self.out.push_str(" {");
        self.finish_line(body_start + 1);
        self.depth += 1;
        self.last_end = None;
        self.items(&block.items, body_end.saturating_sub(1));
        self.depth -= 1;
        self.start_line();
        self.out.push('}');
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
