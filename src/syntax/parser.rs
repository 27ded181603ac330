//! Lowers pest's parse tree into the [`ast`](super::ast).

use pest::iterators::Pair;
use pest::Parser as _;

use super::ast::{
    Attribute, Block, Comment, Document, Entry, Ident, Include, Item, Operator, Relative,
    RelativeOperator, StringLit, Value, ValueKind,
};
use super::fast_path::parse_fast;
use super::leftover::block_after_value;
use super::line_breaks::odd_line_break;
use super::nesting::too_deep;
use super::parse_error::syntax_diagnostic;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span};

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/stackfile.pest"]
pub(super) struct StackfileParser;

/// Parses one file. A syntax error is returned as a diagnostic pointing at
/// the place the parser stopped.
pub fn parse(file: FileId, text: &str) -> Result<Document, Diagnostic> {
    if let Some(diagnostic) = odd_line_break(file, text) {
        return Err(diagnostic);
    }
    // The fast path bounds its own nesting (a file it parses is never too
    // deep); only files left to pest need the separate scan.
    if let Some(document) = parse_fast(file, text) {
        return Ok(document);
    }
    if let Some(diagnostic) = too_deep(file, text) {
        return Err(diagnostic);
    }
    parse_with_pest(file, text)
}

/// [`parse`] by the grammar alone: every syntax error comes from here, and
/// the fast path is tested against it.
pub(super) fn parse_with_pest(file: FileId, text: &str) -> Result<Document, Diagnostic> {
    let mut pairs = StackfileParser::parse(Rule::file, text)
        .map_err(|error| syntax_diagnostic(file, text, &error))?;
    let Some(root) = pairs.next() else {
        return Ok(Document {
            items: Vec::new(),
            comments: Vec::new(),
        });
    };
    let mut lower = Lower {
        file,
        text,
        comments: Vec::new(),
    };
    let items = lower.items(root)?;
    let mut comments = lower.comments;
    comments.sort_by_key(|c| c.span.start);
    Ok(Document { items, comments })
}

struct Lower<'t> {
    file: FileId,
    text: &'t str,
    comments: Vec<Comment>,
}

impl Lower<'_> {
    fn span(&self, pair: &Pair<Rule>) -> Span {
        let s = pair.as_span();
        Span::new(self.file, s.start(), s.end())
    }

    /// Children that are not comments; comments are set aside for `fmt`.
    fn children<'i>(&mut self, pair: Pair<'i, Rule>) -> Vec<Pair<'i, Rule>> {
        let mut out = Vec::new();
        for child in pair.into_inner() {
            if child.as_rule() == Rule::COMMENT {
                self.comments.push(Comment {
                    text: child.as_str().trim_end().into(),
                    span: self.span(&child),
                });
            } else {
                out.push(child);
            }
        }
        out
    }

    fn items(&mut self, pair: Pair<Rule>) -> Result<Vec<Item>, Diagnostic> {
        let mut items = Vec::new();
        for child in self.children(pair) {
            match child.as_rule() {
                Rule::include => items.push(Item::Include(self.include(child)?)),
                Rule::block => items.push(Item::Block(self.block(child)?)),
                Rule::attribute => items.push(Item::Attribute(self.attribute(child)?)),
                _ => {}
            }
        }
        if let Some(diagnostic) = block_after_value(self.file, self.text, &items) {
            return Err(diagnostic);
        }
        Ok(items)
    }

    fn include(&mut self, pair: Pair<Rule>) -> Result<Include, Diagnostic> {
        let span = self.span(&pair);
        let children = self.children(pair);
        let pattern = match children.into_iter().next() {
            Some(p) => self.string(p)?,
            None => return Err(internal(span)),
        };
        Ok(Include { pattern, span })
    }

    fn block(&mut self, pair: Pair<Rule>) -> Result<Block, Diagnostic> {
        let span = self.span(&pair);
        let mut kind = None;
        let mut label = None;
        let mut items = Vec::new();
        let mut body_span = span;
        for child in self.children(pair) {
            match child.as_rule() {
                Rule::ident if kind.is_none() => kind = Some(self.ident(&child)),
                Rule::ident => label = Some(self.ident(&child)),
                Rule::body => {
                    body_span = self.span(&child);
                    items = self.items(child)?;
                }
                _ => {}
            }
        }
        let kind = kind.ok_or_else(|| internal(span))?;
        let block = Block {
            kind,
            label,
            items,
            body_start: body_span.start,
            body_end: body_span.end,
        };
        // The grammar's `ident ~ label? ~ body`: what the tree derives.
        debug_assert_eq!(block.span(), span);
        Ok(block)
    }

    fn attribute(&mut self, pair: Pair<Rule>) -> Result<Attribute, Diagnostic> {
        let span = self.span(&pair);
        let mut children = self.children(pair).into_iter();
        let (Some(key), Some(operator), Some(value)) =
            (children.next(), children.next(), children.next())
        else {
            return Err(internal(span));
        };
        let operator_start = self.span(&operator).start;
        let operator_kind = match operator.as_str() {
            "<" => Operator::Less,
            "<=" => Operator::LessOrEqual,
            _ => Operator::Equals,
        };
        let attribute = Attribute {
            key: self.ident(&key),
            value: self.value(value)?,
            operator_start,
            operator: operator_kind,
        };
        // The grammar's `key ~ operator ~ value`: what the tree derives.
        debug_assert_eq!(attribute.span(), span);
        debug_assert_eq!(attribute.operator_span(), self.span(&operator));
        Ok(attribute)
    }

    fn ident(&self, pair: &Pair<Rule>) -> Ident {
        Ident {
            name: pair.as_str().into(),
            span: self.span(pair),
        }
    }

    fn value(&mut self, pair: Pair<Rule>) -> Result<Value, Diagnostic> {
        let span = self.span(&pair);
        let text = pair.as_str();
        let kind = match pair.as_rule() {
            Rule::string => ValueKind::String(self.string(pair)?),
            Rule::number => ValueKind::Integer(text.parse().map_err(|_| {
                Diagnostic::error(Code::OutOfRange, "this number is too large")
                    .at(span)
                    .with_help("numbers must fit in 64 bits")
            })?),
            Rule::boolean => ValueKind::Boolean(text == "true"),
            Rule::duration => ValueKind::Duration(parse_duration(text).ok_or_else(|| {
                Diagnostic::error(Code::OutOfRange, "this duration is too large")
                    .at(span)
                    .with_help("Compose takes durations up to 2562047h (about 292 years)")
            })?),
            Rule::percent => ValueKind::Percent(parse_percent(text).ok_or_else(|| {
                Diagnostic::error(Code::OutOfRange, "this percentage has too many digits")
                    .at(span)
                    .with_help("percentages take at most three decimals, such as `0.125%`")
            })?),
            Rule::ident => ValueKind::Ident(text.into()),
            Rule::relative => ValueKind::Relative(Box::new(self.relative(pair, span)?)),
            Rule::list => {
                let mut values = Vec::new();
                for child in self.children(pair) {
                    values.push(self.value(child)?);
                }
                ValueKind::List(values)
            }
            Rule::map => {
                let mut entries = Vec::new();
                for entry in self.children(pair) {
                    entries.push(self.entry(entry)?);
                }
                ValueKind::Map(entries)
            }
            _ => return Err(internal(span)),
        };
        Ok(Value { kind, span })
    }

    /// `stable + 0.5%`: base, operator, amount.
    fn relative(&mut self, pair: Pair<Rule>, span: Span) -> Result<Relative, Diagnostic> {
        let mut children = self.children(pair).into_iter();
        let (Some(base), Some(operator), Some(amount)) =
            (children.next(), children.next(), children.next())
        else {
            return Err(internal(span));
        };
        let operator_span = self.span(&operator);
        Ok(Relative {
            base: self.ident(&base),
            operator: if operator.as_str() == "-" {
                RelativeOperator::Minus
            } else {
                RelativeOperator::Plus
            },
            operator_span,
            amount: Box::new(self.value(amount)?),
        })
    }

    fn entry(&mut self, pair: Pair<Rule>) -> Result<Entry, Diagnostic> {
        let span = self.span(&pair);
        let mut children = self.children(pair).into_iter();
        let (Some(key), Some(value)) = (children.next(), children.next()) else {
            return Err(internal(span));
        };
        let key = if key.as_rule() == Rule::string {
            let lit = self.string(key)?;
            Ident {
                name: lit.value,
                span: lit.span,
            }
        } else {
            self.ident(&key)
        };
        Ok(Entry {
            key,
            value: self.value(value)?,
        })
    }

    fn string(&self, pair: Pair<Rule>) -> Result<StringLit, Diagnostic> {
        let span = self.span(&pair);
        let text = pair.as_str();
        let raw = text
            .strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .unwrap_or(text);
        let value = unescape(raw).map_err(|offset| {
            let at = span.start as usize + 1 + offset;
            Diagnostic::error(Code::Syntax, "invalid escape in string")
                .at(Span::new(self.file, at, at + 2))
                .with_help("valid escapes are \\\" \\\\ \\n \\t \\r \\$ and \\u{...}")
        })?;
        let literal = StringLit::new(value, raw, span);
        if let Some(at) = literal.value.find('\0') {
            return Err(
                Diagnostic::error(Code::Syntax, "a string cannot hold a NUL character")
                    .at(literal.span_of(at..at + 1))
                    .with_help("NUL cannot be passed to Compose or the shell; remove it"),
            );
        }
        Ok(literal)
    }
}

fn internal(span: Span) -> Diagnostic {
    Diagnostic::error(Code::Syntax, "the parser met a shape it does not know")
        .at(span)
        .with_help("this is a bug in stackc; please report it with this file")
}

/// Decodes escapes; on failure returns the byte offset of the bad escape.
pub(super) fn unescape(raw: &str) -> Result<String, usize> {
    if memchr::memchr(b'\\', raw.as_bytes()).is_none() {
        return Ok(raw.to_string());
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.char_indices();
    while let Some((at, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next().map(|(_, c)| c) {
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('$') => out.push('$'),
            Some('u') => {
                let rest = &raw[at + 2..];
                let close = rest.find('}').ok_or(at)?;
                let hex = rest.get(1..close).ok_or(at)?;
                let c = u32::from_str_radix(hex, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .ok_or(at)?;
                out.push(c);
                for _ in 0..=close {
                    chars.next();
                }
            }
            _ => return Err(at),
        }
    }
    Ok(out)
}

/// The longest duration Compose reads: Go's, `i64::MAX` nanoseconds. A
/// longer one made Compose files that `docker compose` rejects.
const MAX_DURATION_MS: u64 = i64::MAX as u64 / 1_000_000;

/// `300ms`, `2s`, `5m`, `1h` → milliseconds; `None` past [`MAX_DURATION_MS`].
pub(crate) fn parse_duration(text: &str) -> Option<u64> {
    let digits_end = text.find(|c: char| !c.is_ascii_digit())?;
    let (digits, unit) = text.split_at(digits_end);
    let n: u64 = digits.parse().ok()?;
    let factor = match unit {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        _ => return None,
    };
    n.checked_mul(factor).filter(|ms| *ms <= MAX_DURATION_MS)
}

/// `0.5%` → 500 (thousandths of a percent).
pub(crate) fn parse_percent(text: &str) -> Option<u64> {
    let number = text.strip_suffix('%')?;
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if fraction.len() > 3 {
        return None;
    }
    let whole: u64 = whole.parse().ok()?;
    let mut fraction_value: u64 = if fraction.is_empty() {
        0
    } else {
        fraction.parse().ok()?
    };
    for _ in fraction.len()..3 {
        fraction_value *= 10;
    }
    whole.checked_mul(1000)?.checked_add(fraction_value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Document {
        match parse(FileId(0), text) {
            Ok(doc) => doc,
            Err(d) => panic!("parse failed: {d:?}"),
        }
    }

    fn only_value(text: &str) -> ValueKind {
        let doc = parse_ok(&format!("x = {text}"));
        match doc.items.into_iter().next() {
            Some(Item::Attribute(a)) => a.value.kind,
            other => panic!("expected an attribute, got {other:?}"),
        }
    }

    #[test]
    fn durations() {
        assert_eq!(only_value("300ms"), ValueKind::Duration(300));
        assert_eq!(only_value("2s"), ValueKind::Duration(2_000));
        assert_eq!(only_value("5m"), ValueKind::Duration(300_000));
        assert_eq!(only_value("1h"), ValueKind::Duration(3_600_000));
    }

    #[test]
    fn durations_stop_where_compose_stops() {
        // Go's time.Duration: 2562047h47m16.854775807s.
        assert_eq!(
            only_value("2562047h"),
            ValueKind::Duration(9_223_369_200_000)
        );
        assert_eq!(
            only_value("9223372036854ms"),
            ValueKind::Duration(MAX_DURATION_MS)
        );
        for too_long in ["2562048h", "9223372036855ms", "3000000h"] {
            let Err(diagnostic) = parse(FileId(0), &format!("x = {too_long}")) else {
                panic!("{too_long} accepted")
            };
            assert_eq!(diagnostic.code, Code::OutOfRange);
        }
    }

    #[test]
    fn percentages() {
        assert_eq!(only_value("1%"), ValueKind::Percent(1_000));
        assert_eq!(only_value("0.5%"), ValueKind::Percent(500));
        assert_eq!(only_value("12.125%"), ValueKind::Percent(12_125));
        assert!(parse(FileId(0), "x = 0.1234%").is_err());
    }

    #[test]
    fn numbers_booleans_names() {
        assert_eq!(only_value("8080"), ValueKind::Integer(8080));
        assert_eq!(only_value("-3"), ValueKind::Integer(-3));
        assert_eq!(only_value("true"), ValueKind::Boolean(true));
        assert_eq!(only_value("false"), ValueKind::Boolean(false));
        assert_eq!(only_value("canary"), ValueKind::Ident("canary".into()));
        assert_eq!(only_value("truth"), ValueKind::Ident("truth".into()));
        assert_eq!(only_value("web-ui_2"), ValueKind::Ident("web-ui_2".into()));
    }

    #[test]
    fn strings_and_escapes() {
        let ValueKind::String(s) = only_value(r#""a\"b\\c\n\t\$\u{e9}""#) else {
            panic!("not a string")
        };
        assert_eq!(s.value, "a\"b\\c\n\t$\u{e9}");
        assert!(parse(FileId(0), r#"x = "\q""#).is_err());
        assert!(parse(FileId(0), "x = \"line\nbreak\"").is_err());
    }

    #[test]
    fn span_inside_string_survives_escapes() {
        let text = r#"x = "\"{{ nope }}""#;
        let ValueKind::String(s) = only_value(r#""\"{{ nope }}""#) else {
            panic!("not a string")
        };
        let at = s.value.find("nope").unwrap_or(0);
        let span = s.span_of(at..at + 4);
        assert_eq!(&text[span.range()], "nope");
    }

    #[test]
    fn lists_and_maps() {
        assert_eq!(
            only_value("[10%, 25%,]"),
            ValueKind::List(vec![
                Value {
                    kind: ValueKind::Percent(10_000),
                    span: Span::new(FileId(0), 5, 8)
                },
                Value {
                    kind: ValueKind::Percent(25_000),
                    span: Span::new(FileId(0), 10, 13)
                },
            ])
        );
        let ValueKind::Map(entries) = only_value(r#"{ http = 8080 "a.b" = "c" }"#) else {
            panic!("not a map")
        };
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[1].key.name, "a.b");
    }

    #[test]
    fn blocks_attributes_includes_comments() {
        let doc = parse_ok(
            "# top\ninclude \"services/*.stack\"\ncomponent api { # here\n  image = \"x\"\n  kpi { error_rate < 1%  p <= 2s }\n}\n",
        );
        assert_eq!(doc.items.len(), 2);
        assert_eq!(doc.comments.len(), 2);
        let Some(Item::Block(block)) = doc.items.get(1) else {
            panic!("no block")
        };
        assert_eq!(block.kind.name, "component");
        assert_eq!(block.label.as_ref().map(|l| l.name.as_str()), Some("api"));
        let Some(Item::Block(kpi)) = block.items.get(1) else {
            panic!("no kpi")
        };
        let Some(Item::Attribute(rate)) = kpi.items.first() else {
            panic!("no rate")
        };
        assert_eq!(rate.operator, Operator::Less);
    }

    #[test]
    fn ten_thousand_nested_levels_are_a_diagnostic_not_a_stack_overflow() {
        for (open, close) in [("[", "]"), ("{ a = ", " }"), ("a { ", "}")] {
            let text = format!("x = {}1{}", open.repeat(10_000), close.repeat(10_000));
            let Err(diagnostic) = parse(FileId(0), &text) else {
                panic!("{open}: accepted")
            };
            assert!(
                diagnostic.message.contains("nest more than"),
                "{diagnostic:?}"
            );
        }
    }

    #[test]
    fn a_byte_order_mark_may_start_a_file_only() {
        let doc = parse_ok("\u{feff}x = 1");
        assert_eq!(doc.items.first().map(|i| i.span().range()), Some(3..8));
        assert!(parse(FileId(0), "x = 1\n\u{feff}y = 2").is_err());
    }

    #[test]
    fn no_commas_between_attributes() {
        assert!(parse(FileId(0), "a { x = 1, y = 2 }").is_err());
    }
}
