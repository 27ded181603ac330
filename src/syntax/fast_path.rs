//! A direct parser for files that parse: one pass over the bytes, no
//! backtracking, no parse tree. The pest grammar (`grammar/stackfile.pest`)
//! stays the language's definition and the only source of syntax errors:
//! whenever this parser meets anything it is not sure of (an error, a rare
//! form, a value the lowering would refuse), it gives up and the file is
//! parsed again by pest. What it returns is exactly what pest's parse,
//! lowered, gives — `tests::agrees_with_pest` checks that on generated files.
//!
//! Why: pest reads about 5 MB/s here (its call-depth guard, backtracking at
//! every `item` and `value`), which made `check` of a 100,000-component
//! workspace take more than ten seconds before any analysis.

use super::ast::{
    Attribute, Block, Comment, Document, Entry, Ident, Include, Item, Operator, Relative,
    RelativeOperator, StringLit, Value, ValueKind,
};
use super::leftover::block_after_value;
use super::nesting::MAX_NESTING;
use super::parser::{parse_duration, parse_percent, unescape};
use crate::source::{FileId, Span};

/// Files at least this long are read in two parts at once
/// ([`parse_in_parts`]); below it, starting a thread costs more than it saves.
const PARTS_FROM_BYTES: usize = 256 * 1024;

/// Parses `text` as pest would, or returns `None` to have pest do it.
/// The caller has already refused odd line breaks. Nesting deeper than
/// [`MAX_NESTING`] is left to pest (and so to the nesting check before it):
/// a file this returns is never one that check refuses.
pub(super) fn parse_fast(file: FileId, text: &str) -> Option<Document> {
    let second_part = if text.len() >= PARTS_FROM_BYTES {
        second_part_start(text)
    } else {
        None
    };
    parse_in_parts(file, text, second_part)
}

/// Where the second part of a large file probably starts: the first line
/// past the middle that begins with a name, as a top-level item's line
/// does. Only a guess: such a line may also be inside a block or a string.
fn second_part_start(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = bytes.len() / 2;
    while let Some(found) = memchr::memchr(b'\n', bytes.get(at..)?) {
        let line = at + found + 1;
        if bytes.get(line).copied().is_some_and(is_ident_start) {
            return Some(line);
        }
        at = line;
    }
    None
}

/// Parses `text`, reading the part from `second_part` on (when given) on a
/// second thread at the same time. That part's items count only if the
/// first thread, reading from the start, stops exactly there between two
/// top-level items: the parser's state at that point (no open body or
/// list, nothing pending but the comments, which stay in order) is the
/// state the second thread started from, so the two parts joined are what
/// one pass gives. If the guess fell inside an item, the first thread
/// reads on to the end and the second part is dropped.
fn parse_in_parts(file: FileId, text: &str, second_part: Option<usize>) -> Option<Document> {
    let Some(second_part) = second_part else {
        return FastPath::new(file, text).document();
    };
    std::thread::scope(|scope| {
        let second = std::thread::Builder::new().spawn_scoped(scope, move || {
            let mut fast = FastPath::new(file, text);
            fast.at = second_part;
            let items = fast.top_level_items()?;
            Some((items, fast.comments))
        });
        let Ok(second) = second else {
            // No thread to be had: one pass.
            return FastPath::new(file, text).document();
        };
        let mut first = FastPath::new(file, text);
        first.stop_at = second_part;
        first.start();
        let mut items = first.top_level_items()?;
        let mut comments = first.comments;
        if first.at == second_part {
            // A panic there would have been a panic in one pass too.
            let (rest, rest_comments) = second.join().ok()??;
            items.extend(rest);
            comments.extend(rest_comments);
        } else if first.at != text.len() {
            return None;
        }
        finish(file, text, items, comments)
    })
}

/// The document of `items` and `comments` read from the whole of `text`,
/// unless a value is followed by a block named like a unit (a leftover
/// pest reports).
fn finish(file: FileId, text: &str, items: Vec<Item>, comments: Vec<Comment>) -> Option<Document> {
    if block_after_value(file, text, &items).is_some() {
        return None;
    }
    // Comments are found in source order already.
    Some(Document { items, comments })
}

/// The parser's state: where it is in `text`, and the comments passed.
struct FastPath<'t> {
    file: FileId,
    text: &'t str,
    bytes: &'t [u8],
    at: usize,
    /// How many `{ }` and `[ ]` are open around `at`.
    depth: usize,
    comments: Vec<Comment>,
    /// Where reading top-level items stops, if it arrives there between
    /// two of them (another thread reads on from there); `usize::MAX` for
    /// the end.
    stop_at: usize,
    /// The items, values and entries read so far of every open body, list
    /// and map, innermost last: each list is moved out whole when it ends,
    /// allocated once at its size (pushing into a list of its own grew it
    /// several times, and left room over that trimming copied again).
    items: Vec<Item>,
    values: Vec<Value>,
    entries: Vec<Entry>,
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// A value written as a bare word: `boolean` where pest's grammar takes one
/// (`true`, `false`), else `ident`.
fn name_value(name: Ident) -> Value {
    let kind = match &*name.name {
        "true" => ValueKind::Boolean(true),
        "false" => ValueKind::Boolean(false),
        _ => ValueKind::Ident(name.name),
    };
    Value {
        kind,
        span: name.span,
    }
}

impl<'t> FastPath<'t> {
    fn new(file: FileId, text: &'t str) -> FastPath<'t> {
        FastPath {
            file,
            text,
            bytes: text.as_bytes(),
            at: 0,
            depth: 0,
            comments: Vec::new(),
            stop_at: usize::MAX,
            items: Vec::new(),
            values: Vec::new(),
            entries: Vec::new(),
        }
    }

    /// The whole text in one pass.
    fn document(mut self) -> Option<Document> {
        self.start();
        let items = self.top_level_items()?;
        if self.at != self.bytes.len() {
            return None;
        }
        finish(self.file, self.text, items, self.comments)
    }

    /// Steps over a byte-order mark right at the start (pest also takes
    /// one after blank space; such files go to pest) and the blank space
    /// and comments before the first item.
    fn start(&mut self) {
        if self.text.starts_with('\u{FEFF}') {
            self.at = '\u{FEFF}'.len_utf8();
        }
        self.skip();
    }

    /// Top-level items from `at` to the end, or up to [`FastPath::stop_at`]
    /// if reading arrives there between two items. The caller checks the
    /// joined list for a value followed by a unit-named block.
    fn top_level_items(&mut self) -> Option<Vec<Item>> {
        let base = self.items.len();
        while self.peek().is_some() && self.at != self.stop_at {
            let item = self.item()?;
            self.items.push(item);
            self.skip();
        }
        // The tree lives as long as the compilation: no room left over.
        Some(self.items.drain(base..).collect())
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// Steps over an opening `{` or `[`; `None` past [`MAX_NESTING`].
    fn open(&mut self) -> Option<()> {
        self.depth += 1;
        self.at += 1;
        (self.depth <= MAX_NESTING).then_some(())
    }

    /// Steps over a closing `}` or `]`.
    fn close(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        self.at += 1;
    }

    /// The bytes from `at` on.
    fn rest(&self) -> &[u8] {
        self.bytes.get(self.at..).unwrap_or_default()
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, start, end)
    }

    /// pest's implicit `(WHITESPACE | COMMENT)*`, keeping the comments.
    fn skip(&mut self) {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\r' | b'\n' => self.at += 1,
                b'#' => {
                    let start = self.at;
                    let end = self
                        .rest()
                        .iter()
                        .position(|&b| b == b'\n')
                        .map_or(self.bytes.len(), |n| start + n);
                    self.comments.push(Comment {
                        text: self
                            .text
                            .get(start..end)
                            .unwrap_or_default()
                            .trim_end()
                            .into(),
                        span: self.span(start, end),
                    });
                    self.at = end;
                }
                _ => return,
            }
        }
    }

    /// A body's items, up to its `}`. Leaves `at` on the `}`.
    fn items(&mut self) -> Option<Vec<Item>> {
        let base = self.items.len();
        loop {
            if self.peek()? == b'}' {
                break;
            }
            let item = self.item()?;
            self.items.push(item);
            self.skip();
        }
        // The tree lives as long as the compilation: no room left over.
        let items: Vec<Item> = self.items.drain(base..).collect();
        if block_after_value(self.file, self.text, &items).is_some() {
            return None;
        }
        Some(items)
    }

    fn item(&mut self) -> Option<Item> {
        let start = self.at;
        if self.rest().starts_with(b"include") {
            // pest tries `include` first: the keyword, blank space, a string.
            self.at += "include".len();
            let comments = self.comments.len();
            self.skip();
            if self.peek() == Some(b'"') {
                let pattern = self.string()?;
                return Some(Item::Include(Include {
                    span: self.span(start, pattern.span.end as usize),
                    pattern,
                }));
            }
            self.at = start;
            self.comments.truncate(comments);
        }
        let key = self.ident()?;
        if self.peek() == Some(b'.') {
            return self.dotted_attribute(start).map(Item::Attribute);
        }
        self.skip();
        match self.peek()? {
            b'{' => self.block(key, None).map(Item::Block),
            b'=' | b'<' => self.attribute(key).map(Item::Attribute),
            b if is_ident_start(b) => {
                let label = self.ident()?;
                self.skip();
                if self.peek() != Some(b'{') {
                    return None;
                }
                self.block(key, Some(label)).map(Item::Block)
            }
            _ => None,
        }
    }

    /// An identifier at `at`, or `None`.
    fn ident(&mut self) -> Option<Ident> {
        let start = self.at;
        if !is_ident_start(self.peek()?) {
            return None;
        }
        let rest = self.bytes.get(start + 1..).unwrap_or_default();
        self.at = start
            + 1
            + rest
                .iter()
                .position(|&b| !is_ident_char(b))
                .unwrap_or(rest.len());
        Some(Ident {
            name: self.text.get(start..self.at)?.into(),
            span: self.span(start, self.at),
        })
    }

    /// `a.b.c < value`: the identifier before the first `.` is read.
    fn dotted_attribute(&mut self, start: usize) -> Option<Attribute> {
        while self.peek() == Some(b'.') {
            self.at += 1;
            self.ident()?;
        }
        let key = Ident {
            name: self.text.get(start..self.at)?.into(),
            span: self.span(start, self.at),
        };
        self.skip();
        self.attribute(key)
    }

    /// From `{` after the kind and label to the matching `}`.
    fn block(&mut self, kind: Ident, label: Option<Ident>) -> Option<Block> {
        let body_start = self.at;
        self.open()?;
        self.skip();
        let items = self.items()?;
        self.close();
        Some(Block {
            kind,
            label,
            items,
            body_start: u32::try_from(body_start).unwrap_or(u32::MAX),
            body_end: u32::try_from(self.at).unwrap_or(u32::MAX),
        })
    }

    /// From the operator (at `at`) to the end of the value.
    fn attribute(&mut self, key: Ident) -> Option<Attribute> {
        let operator_start = self.at;
        let operator = match self.peek()? {
            b'=' => Operator::Equals,
            b'<' if self.bytes.get(self.at + 1) == Some(&b'=') => Operator::LessOrEqual,
            b'<' => Operator::Less,
            _ => return None,
        };
        self.at += operator.as_str().len();
        self.skip();
        let value = self.value()?;
        Some(Attribute {
            key,
            value,
            operator_start: u32::try_from(operator_start).unwrap_or(u32::MAX),
            operator,
        })
    }

    /// `value = _{ relative | duration | percent | number | string |
    /// boolean | list | map | ident }`.
    fn value(&mut self) -> Option<Value> {
        let start = self.at;
        let kind = match self.peek()? {
            b'"' => ValueKind::String(self.string()?),
            b'[' => ValueKind::List(self.list()?),
            b'{' => ValueKind::Map(self.map()?),
            b'-' | b'0'..=b'9' => self.numeric()?,
            b if is_ident_start(b) => return self.word(),
            _ => return None,
        };
        Some(Value {
            kind,
            span: self.span(start, self.at),
        })
    }

    /// A value that starts with a name: `stable + 1%`, `true`, `canary`.
    fn word(&mut self) -> Option<Value> {
        let base = self.ident()?;
        let after = self.at;
        let comments = self.comments.len();
        self.skip();
        let operator = match self.peek() {
            Some(b'+') => Some(RelativeOperator::Plus),
            Some(b'-') => Some(RelativeOperator::Minus),
            _ => None,
        };
        let Some(operator) = operator else {
            self.at = after;
            self.comments.truncate(comments);
            return Some(name_value(base));
        };
        let operator_span = self.span(self.at, self.at + 1);
        self.at += 1;
        self.skip();
        // `relative_amount`: a scalar, not a list, map or relative.
        let amount = match self.peek()? {
            b'"' | b'-' | b'0'..=b'9' => self.value()?,
            b if is_ident_start(b) => name_value(self.ident()?),
            _ => return None,
        };
        Some(Value {
            span: self.span(base.span.start as usize, amount.span.end as usize),
            kind: ValueKind::Relative(Box::new(Relative {
                base,
                operator,
                operator_span,
                amount: Box::new(amount),
            })),
        })
    }

    /// A duration, percentage or number; `None` for anything else (pest
    /// then says what is wrong) or one the lowering refuses.
    fn numeric(&mut self) -> Option<ValueKind> {
        let start = self.at;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.at += 1;
        }
        let digits_start = self.at;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
        if self.at == digits_start {
            return None;
        }
        let kind = match self.peek() {
            Some(b'%') if !negative => {
                self.at += 1;
                ValueKind::Percent(parse_percent(self.text.get(start..self.at)?)?)
            }
            Some(b'.') if !negative => {
                self.at += 1;
                let fraction = self.at;
                while self.peek().is_some_and(|b| b.is_ascii_digit()) {
                    self.at += 1;
                }
                if self.at == fraction || self.peek() != Some(b'%') {
                    return None;
                }
                self.at += 1;
                ValueKind::Percent(parse_percent(self.text.get(start..self.at)?)?)
            }
            Some(b'm' | b's' | b'h') if !negative => {
                let unit = if self.rest().starts_with(b"ms") { 2 } else { 1 };
                self.at += unit;
                if self.peek().is_some_and(is_ident_char) {
                    return None;
                }
                ValueKind::Duration(parse_duration(self.text.get(start..self.at)?)?)
            }
            Some(b) if is_ident_char(b) || b == b'.' => return None,
            _ => ValueKind::Integer(self.text.get(start..self.at)?.parse().ok()?),
        };
        Some(kind)
    }

    /// A string literal at `at` (on its opening quote).
    fn string(&mut self) -> Option<StringLit> {
        let start = self.at;
        self.at += 1;
        loop {
            match self.peek()? {
                b'"' => break,
                b'\n' => return None,
                b'\\' => {
                    self.at += 1;
                    match self.peek()? {
                        b'"' | b'\\' | b'n' | b't' | b'r' | b'$' => self.at += 1,
                        b'u' => {
                            self.at += 1;
                            if self.peek() != Some(b'{') {
                                return None;
                            }
                            self.at += 1;
                            let hex = self.at;
                            while self.peek().is_some_and(|b| b.is_ascii_hexdigit()) {
                                self.at += 1;
                            }
                            if !(1..=6).contains(&(self.at - hex)) || self.peek() != Some(b'}') {
                                return None;
                            }
                            self.at += 1;
                        }
                        _ => return None,
                    }
                }
                _ => self.at += 1,
            }
        }
        let raw = self.text.get(start + 1..self.at)?;
        self.at += 1;
        let value = unescape(raw).ok()?;
        if value.contains('\0') {
            return None;
        }
        Some(StringLit::new(value, raw, self.span(start, self.at)))
    }

    /// `[ value, value, ]`
    fn list(&mut self) -> Option<Vec<Value>> {
        self.open()?;
        self.skip();
        if self.peek() == Some(b']') {
            self.close();
            return Some(Vec::new());
        }
        let base = self.values.len();
        loop {
            let value = self.value()?;
            self.values.push(value);
            self.skip();
            match self.peek()? {
                b']' => break,
                b',' => {
                    self.at += 1;
                    self.skip();
                    if self.peek() == Some(b']') {
                        break;
                    }
                }
                _ => return None,
            }
        }
        self.close();
        Some(self.values.drain(base..).collect())
    }

    /// `{ key = value "key" = value }`
    fn map(&mut self) -> Option<Vec<Entry>> {
        self.open()?;
        self.skip();
        let base = self.entries.len();
        while self.peek()? != b'}' {
            let key = if self.peek() == Some(b'"') {
                let literal = self.string()?;
                Ident {
                    name: literal.value,
                    span: literal.span,
                }
            } else {
                self.ident()?
            };
            self.skip();
            if self.peek() != Some(b'=') {
                return None;
            }
            self.at += 1;
            self.skip();
            let value = self.value()?;
            self.entries.push(Entry { key, value });
            self.skip();
        }
        self.close();
        Some(self.entries.drain(base..).collect())
    }
}

#[cfg(test)]
mod tests;
