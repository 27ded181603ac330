//! A value followed on its line by a word the parser cannot place:
//! `timeout = 30 sec`, `1h 30m`, `image = "x" latest`. Pest stops where the
//! stray word stops making sense — at the `=` of the next line for
//! `30 sec⏎interval = 1s` (it reads `sec interval` as a block header), at the
//! `}` for `30 sec }` — so the place and the words come from here: the
//! leftover itself, and for a number the units it may take.

use super::ast::{Item, ValueKind};
use super::tokens::{code_tokens, Token, TokenKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span};

/// The units a number takes, as the grammar spells them.
const UNITS: &[&str] = &["ms", "s", "m", "h", "%"];

/// What the help says after any number.
const UNITS_HELP: &str =
    "durations are written `300ms`, `30s`, `5m`, `1h`; percentages `1%`, `0.5%`";

/// A value and what is left over after it on its line.
#[derive(Debug, Clone, Copy)]
struct Leftover {
    /// The attribute's or entry's key; `None` for a list element.
    key: Option<Token>,
    value: Token,
    extra: Token,
}

/// The diagnostic for a leftover that made the parser stop at `at`, if the
/// tokens before `at` show one.
pub(super) fn leftover_after_value(file: FileId, text: &str, at: usize) -> Option<Diagnostic> {
    let tokens = code_tokens(text);
    let stop = tokens
        .iter()
        .position(|t| t.start >= at)
        .unwrap_or(tokens.len());
    let found =
        (0..=3).find_map(|back| leftover(&tokens, text, (stop + 1).checked_sub(back)?, stop))?;
    Some(describe(file, text, found))
}

/// The leftover starting at token `k`, when the parser stopped at token
/// `stop`: at the leftover itself (in a list, `[30 sec]`), at most two
/// words later (`sec interval` read as the start of a block), or at the
/// value before it when that is a decimal (`1.5 s`, `0.5 %`).
fn leftover(tokens: &[Token], text: &str, k: usize, stop: usize) -> Option<Leftover> {
    let extra = *tokens.get(k)?;
    let value = *tokens.get(k.checked_sub(1)?)?;
    let words = tokens
        .get(k.min(stop)..stop)?
        .iter()
        .all(|t| t.kind == TokenKind::Word);
    // `key value` after a value is a missing `=`, not a leftover.
    let stopped_at_value = tokens
        .get(stop)
        .is_some_and(|t| matches!(t.kind, TokenKind::Number | TokenKind::String));
    let extra_fits = match extra.kind {
        TokenKind::Word | TokenKind::Other('%') if k > stop => {
            value.text(text).contains('.') && is_plain_number(value.text(text))
        }
        _ if k > stop => false,
        TokenKind::Word => k == stop || !stopped_at_value,
        TokenKind::Number | TokenKind::String | TokenKind::Other('%') => k == stop,
        _ => false,
    };
    let before = *tokens.get(k.checked_sub(2)?)?;
    let is_value = matches!(
        value.kind,
        TokenKind::Number | TokenKind::Word | TokenKind::String
    );
    if !words || !extra_fits || !is_value || value.line_ends_before(text, extra) {
        return None;
    }
    let key = match before.kind {
        TokenKind::Operator => k
            .checked_sub(3)
            .and_then(|i| tokens.get(i))
            .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::String))
            .copied(),
        TokenKind::Open('[') | TokenKind::Comma => None,
        _ => return None,
    };
    Some(Leftover { key, value, extra })
}

/// A unit word that the parser took for the start of a block: in
/// `timeout = 30 sec⏎health { … }`, `sec` is the kind of a block labelled
/// `health`. No block is named like a unit (`s`, `sec`, `minutes`, `pct`…),
/// so a number followed by such a block is that leftover, however the lines
/// are laid out.
pub(super) fn block_after_value(file: FileId, text: &str, items: &[Item]) -> Option<Diagnostic> {
    items.windows(2).find_map(|pair| {
        let [Item::Attribute(attribute), Item::Block(block)] = pair else {
            return None;
        };
        let ValueKind::Integer(_) = attribute.value.kind else {
            return None;
        };
        unit_meant(&block.kind.name)?;
        let token = |kind, span: Span| Token {
            kind,
            start: span.range().start,
            end: span.range().end,
        };
        let found = Leftover {
            key: Some(token(TokenKind::Word, attribute.key.span)),
            value: token(TokenKind::Number, attribute.value.span),
            extra: token(TokenKind::Word, block.kind.span),
        };
        Some(describe(file, text, found))
    })
}

fn describe(file: FileId, text: &str, found: Leftover) -> Diagnostic {
    let value = found.value.text(text);
    let extra = found.extra.text(text);
    if found.value.kind == TokenKind::Number && is_plain_number(value) {
        return after_number(file, text, found);
    }
    if let (Some(first), Some(second)) = (parse_duration(value), parse_duration(extra)) {
        let total = first.saturating_add(second);
        return Diagnostic::error(Code::Syntax, "a duration is one number and one unit")
            .at(Span::new(file, found.value.start, found.extra.end))
            .with_label(format!("write `{}`", in_largest_unit(total)))
            .with_help(
                "write the total in one unit: `90m`, not `1h 30m`; `1500ms`, not `1s 500ms`",
            );
    }
    let subject = match found.key {
        Some(key) => format!("the value of `{}`", key.text(text)),
        None => format!("the list element `{value}`"),
    };
    let help = if found.key.is_none() {
        format!("list elements are separated by commas: `[{value}, {extra}]`")
    } else if found.value.kind == TokenKind::String {
        format!("the string ends at its closing `\"`: put `{extra}` inside the quotes, or start it on a line of its own as `key = value`")
    } else {
        format!("an attribute takes one value: start `{extra}` on a line of its own as `key = value`, or make the value a list `[a, b]`")
    };
    Diagnostic::error(
        Code::Syntax,
        format!("unexpected `{extra}` after {subject}"),
    )
    .at(Span::new(file, found.extra.start, found.extra.end))
    .with_label(if found.key.is_none() {
        "a `,` is missing before it"
    } else {
        "left over after the value"
    })
    .with_help(help)
}

/// A number followed by a word: a unit after a space (`30 s`), a unit
/// stackc does not know (`30 sec`, `30 S`), or any other word.
fn after_number(file: FileId, text: &str, found: Leftover) -> Diagnostic {
    let number = found.value.text(text);
    let extra = found.extra.text(text);
    let between = text.get(found.value.end..found.extra.start).unwrap_or("");
    if UNITS.contains(&extra) && between.trim().is_empty() {
        let label = suggestion(number, extra).map_or_else(
            || "a duration is a whole number".to_string(),
            |s| format!("write `{s}`"),
        );
        return Diagnostic::error(
            Code::Syntax,
            "a number and its unit are written without a space",
        )
        .at(Span::new(file, found.value.start, found.extra.end))
        .with_label(label)
        .with_help(UNITS_HELP);
    }
    let span = Span::new(file, found.extra.start, found.extra.end);
    if between.trim().is_empty() {
        if let Some(binary) = memory_unit(extra) {
            return Diagnostic::error(Code::Syntax, "an amount of memory is a string")
                .at(Span::new(file, found.value.start, found.extra.end))
                .with_label(format!("write `\"{number}{binary}\"`"))
                .with_help("memory amounts are quoted, in bytes or with `Ki`, `Mi`, `Gi` or `Ti` (powers of 1,024): `memory = \"512Mi\"`");
        }
    }
    let help =
        format!("{UNITS_HELP}: the unit (`ms`, `s`, `m`, `h` or `%`) right after the number");
    match unit_meant(extra).and_then(|unit| suggestion(number, unit)) {
        Some(written) => Diagnostic::error(
            Code::Syntax,
            format!("`{extra}` is not a unit stackc knows"),
        )
        .at(span)
        .with_label(format!("write `{written}`"))
        .with_help(help),
        None => Diagnostic::error(
            Code::Syntax,
            format!("unexpected `{extra}` after the number `{number}`"),
        )
        .at(span)
        .with_label("not a unit")
        .with_help(format!("{help}; an attribute takes one value")),
    }
}

/// The binary memory unit a word after a number means (`Mi`, `M`, `MB` →
/// `Mi`), for an unquoted `memory = 512Mi`; `None` for other words (a
/// lower-case `m` is minutes, and `ms` milliseconds).
fn memory_unit(word: &str) -> Option<&'static str> {
    Some(match word {
        "Ki" | "K" | "KB" | "KiB" | "kB" | "kb" | "k" => "Ki",
        "Mi" | "M" | "MB" | "MiB" | "mb" => "Mi",
        "Gi" | "G" | "GB" | "GiB" | "g" | "gb" => "Gi",
        "Ti" | "T" | "TB" | "TiB" | "tb" => "Ti",
        _ => return None,
    })
}

/// The unit a word most likely means: `sec` → `s`, `MS` → `ms`, `days` → `d`.
fn unit_meant(word: &str) -> Option<&'static str> {
    let lower = word.to_ascii_lowercase();
    Some(match lower.as_str() {
        "ms" | "msec" | "msecs" | "millis" | "millisecond" | "milliseconds" => "ms",
        "s" | "sec" | "secs" | "second" | "seconds" => "s",
        "m" | "min" | "mins" | "minute" | "minutes" => "m",
        "h" | "hr" | "hrs" | "hour" | "hours" => "h",
        "d" | "day" | "days" => "d",
        "percent" | "pct" => "%",
        _ => return None,
    })
}

/// `number` in `unit` written as stackc reads it: `30` `s` → `30s`,
/// `1.5` `s` → `1500ms`, `2` `d` → `48h`, `0.5` `%` → `0.5%`. `None` when
/// there is no such literal (more than three decimals, or too large).
fn suggestion(number: &str, unit: &str) -> Option<String> {
    if unit == "%" {
        let decimals = number.split_once('.').map_or(0, |(_, d)| d.len());
        return (decimals <= 3 && !number.starts_with('-')).then(|| format!("{number}%"));
    }
    if !number.contains('.') && unit != "d" {
        return Some(format!("{number}{unit}"));
    }
    let factor: u64 = match unit {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        _ => 86_400_000,
    };
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let scale = 10u64.checked_pow(u32::try_from(fraction.len()).ok()?)?;
    let digits: u64 = format!("{whole}{fraction}").parse().ok()?;
    let scaled = digits.checked_mul(factor)?;
    scaled
        .is_multiple_of(scale)
        .then(|| in_largest_unit(scaled / scale))
}

/// Milliseconds in the largest unit that holds them whole: 5400000 → `90m`.
fn in_largest_unit(ms: u64) -> String {
    for (unit, factor) in [("h", 3_600_000), ("m", 60_000), ("s", 1_000)] {
        if ms != 0 && ms.is_multiple_of(factor) {
            return format!("{}{unit}", ms / factor);
        }
    }
    format!("{ms}ms")
}

/// `30`, `-3`, `1.5`: digits with at most one `.`, no unit.
fn is_plain_number(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    digits.starts_with(|c: char| c.is_ascii_digit())
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.matches('.').count() <= 1
}

/// A duration literal in milliseconds, as the parser reads it.
fn parse_duration(text: &str) -> Option<u64> {
    super::parser::parse_duration(text)
}

#[cfg(test)]
mod tests {
    use crate::source::FileId;
    use crate::syntax::parse;

    /// (message, the text under the span, the label).
    fn error(text: &str) -> (String, String, String) {
        let diagnostic = parse(FileId(0), text).expect_err("a syntax error");
        let span = diagnostic.span.expect("a span");
        (
            diagnostic.message,
            text[span.range()].to_string(),
            diagnostic.label.unwrap_or_default(),
        )
    }

    #[test]
    fn an_unknown_unit_is_pointed_at_wherever_the_parser_stops() {
        for text in [
            "h { timeout = 30 sec\n  interval = 1s\n}",
            "h { timeout = 30 sec }",
            "h { timeout = 30 sec\n}",
            "h { timeout = 30 sec",
            "h { steps = [30 sec, 1m] }",
            "h { ports = { http = 30 sec } }",
            "k { t < 30 sec }",
            "h { timeout = 30 SEC\n  health { }\n}",
            "h { timeout = 30 sec\n  interval = 1s\n}\nx { y = 1 }",
            "h { timeout = 30 sec health { } }",
        ] {
            let (message, at, label) = error(text);
            assert_eq!(at.to_ascii_lowercase(), "sec", "{text}");
            assert_eq!(
                message,
                format!("`{at}` is not a unit stackc knows"),
                "{text}"
            );
            assert_eq!(label, "write `30s`", "{text}");
        }
    }

    #[test]
    fn every_unit_word_gets_the_literal_it_means() {
        for (text, label) in [
            ("x = 2 minutes }", "write `2m`"),
            ("x = 1.5 seconds }", "write `1500ms`"),
            ("x = 2 days }", "write `48h`"),
            ("x = 5 percent }", "write `5%`"),
            ("x = 300 MS }", "write `300ms`"),
            ("x = 1.5 s }", "write `1500ms`"),
        ] {
            let (_, _, got) = error(&format!("k {{ {text}"));
            assert_eq!(got, label, "{text}");
        }
    }

    #[test]
    fn any_word_after_a_number_is_named_with_the_units() {
        let diagnostic = parse(FileId(0), "k { port = 8080 admin\n}").expect_err("leftover");
        assert_eq!(
            diagnostic.message,
            "unexpected `admin` after the number `8080`"
        );
        assert!(diagnostic
            .help
            .unwrap_or_default()
            .contains("`ms`, `s`, `m`, `h` or `%`"));
    }

    #[test]
    fn a_duration_in_two_units() {
        let (message, at, label) = error("k { timeout = 1h 30m }");
        assert_eq!(message, "a duration is one number and one unit");
        assert_eq!((at.as_str(), label.as_str()), ("1h 30m", "write `90m`"));
    }

    #[test]
    fn words_after_other_values() {
        for (text, message, at) in [
            (
                "k { image = \"x\" latest\n}",
                "unexpected `latest` after the value of `image`",
                "latest",
            ),
            (
                "k { runner = bats extra }",
                "unexpected `extra` after the value of `runner`",
                "extra",
            ),
            (
                "k { on = true yes\n  a = 1\n}",
                "unexpected `yes` after the value of `on`",
                "yes",
            ),
            (
                "k { t = 30s extra }",
                "unexpected `extra` after the value of `t`",
                "extra",
            ),
            (
                "k { r = 1% errors\n}",
                "unexpected `errors` after the value of `r`",
                "errors",
            ),
            (
                "k { l = [a b] }",
                "unexpected `b` after the list element `a`",
                "b",
            ),
        ] {
            let (got, span, _) = error(text);
            assert_eq!((got.as_str(), span.as_str()), (message, at), "{text}");
        }
    }

    #[test]
    fn a_block_after_a_value_is_not_a_leftover_unless_named_like_a_unit() {
        assert!(parse(FileId(0), "k { image = \"x\" compose\n{ a = 1 }\n}").is_ok());
        assert!(parse(FileId(0), "k { n = 3 test\nsmoke { } }").is_ok());
        let (message, at, _) = error("k { n = 3\ns { } }");
        assert_eq!(message, "a number and its unit are written without a space");
        assert_eq!(at, "3\ns");
    }

    #[test]
    fn a_missing_equals_after_a_value_is_not_a_leftover() {
        let (message, at, _) = error("k { http = \"/x\" timeout 30s }");
        assert!(message.starts_with("expected `=`"), "{message}");
        assert_eq!(at, "30s");
    }
}
