//! Pest's errors in words a user understands: rule names become
//! "a duration such as `30s`", never `duration` or `EOI`.

use pest::error::{Error, ErrorVariant, InputLocation};

use super::character;
use super::leftover::leftover_after_value;
use super::missing_value::{missing_value, unquoted_include};
use super::parser::Rule;
use super::tokens::{code_tokens, tokens, TokenKind};
use super::unbalanced::unbalanced;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span};

pub(super) fn syntax_diagnostic(file: FileId, text: &str, error: &Error<Rule>) -> Diagnostic {
    let at = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    if let Some(diagnostic) = string_problem(file, text, at) {
        return diagnostic;
    }
    if let Some(diagnostic) = leftover_after_value(file, text, at) {
        return diagnostic;
    }
    if let Some(diagnostic) =
        missing_value(file, text, at).or_else(|| unquoted_include(file, text, at))
    {
        return diagnostic;
    }
    if let Some(diagnostic) = unbalanced(file, text, at) {
        return diagnostic;
    }
    let found = text.get(at..).and_then(|rest| rest.chars().next());
    // A word or a number-like token (`30sec`, `1.5s`) is shown whole, not
    // its first character.
    let width = match tokens(text.get(at..).unwrap_or("")).next() {
        Some(token)
            if token.start == 0 && matches!(token.kind, TokenKind::Word | TokenKind::Number) =>
        {
            token.end
        }
        _ => found.map_or(0, char::len_utf8),
    };
    let span = Span::new(file, at, at + width);
    let found_words = match found {
        None => "end of file".to_string(),
        Some('\n') => "end of line".to_string(),
        Some(c) if c.is_ascii_alphanumeric() || width > c.len_utf8() => {
            format!("`{}`", text.get(at..at + width).unwrap_or(""))
        }
        Some(c) => character::shown(c),
    };

    let mut expected: Vec<&'static str> = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            positives.iter().filter_map(|r| describe(*r)).collect()
        }
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    expected.sort_unstable();
    expected.dedup();
    // Every kind of value is possible here: say so in two words.
    let value_kinds = [
        Rule::string,
        Rule::duration,
        Rule::percent,
        Rule::number,
        Rule::boolean,
        Rule::list,
        Rule::map,
    ]
    .map(|r| describe(r).unwrap_or_default());
    if value_kinds.iter().all(|k| expected.contains(k)) {
        expected.retain(|e| !value_kinds.contains(e) && *e != "a name");
        expected.push("a value (a string, number, duration, percentage, name, list or map)");
        expected.sort_unstable();
    }

    // In a map, pest does not name the `=` an entry lacks.
    if expected.is_empty() && missing_equals(text, at).is_some() {
        expected.push("`=`");
    }
    let message = if expected.is_empty() {
        format!("unexpected {found_words}")
    } else {
        format!("expected {}, found {found_words}", join_or(&expected))
    };
    let label = found
        .and_then(character::label)
        .unwrap_or_else(|| format!("unexpected {found_words}"));
    let mut diagnostic = Diagnostic::error(Code::Syntax, message)
        .at(span)
        .with_label(label);
    if let Some(help) = found
        .and_then(character::help)
        .or_else(|| help_for(text, at, &expected))
    {
        diagnostic = diagnostic.with_help(help);
    }
    diagnostic
}

/// A string that does not parse: the first bad escape in it, or the fact
/// that it is not closed on its line. `None` when the parser did not stop
/// at the start of a string, or the string is fine.
fn string_problem(file: FileId, text: &str, at: usize) -> Option<Diagnostic> {
    let body = text.get(at..)?.strip_prefix('"')?;
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return None,
            '\n' => break,
            '\\' => {
                let start = at + 1 + i;
                let Some(&(j, escaped)) = chars.peek() else {
                    break;
                };
                if escaped == '\n' {
                    break;
                }
                chars.next();
                let valid = match escaped {
                    '"' | '\\' | 'n' | 't' | 'r' | '$' => true,
                    'u' => unicode_escape(body.get(j + 1..).unwrap_or("")),
                    _ => false,
                };
                if !valid {
                    let end = at + 1 + j + escaped.len_utf8();
                    return Some(
                        Diagnostic::error(
                            Code::Syntax,
                            format!("`\\{escaped}` is not an escape stackc knows"),
                        )
                        .at(Span::new(file, start, end))
                        .with_label("invalid escape")
                        .with_help(
                            "valid escapes are \\\" \\\\ \\n \\t \\r \\$ and \\u{e9}; write `\\\\` for a backslash",
                        ),
                    );
                }
            }
            _ => {}
        }
    }
    Some(
        Diagnostic::error(Code::Syntax, "this string is not closed")
            .at(Span::new(file, at, at + 1))
            .with_label("the string starts here")
            .with_help(
                "a string ends with `\"` on the line where it starts; write `\\n` for a line break",
            ),
    )
}

/// `{` 1 to 6 hex digits `}` naming a character, after `\u`.
fn unicode_escape(rest: &str) -> bool {
    let Some(inner) = rest.strip_prefix('{') else {
        return false;
    };
    let Some(close) = inner.find('}') else {
        return false;
    };
    let hex = inner.get(..close).unwrap_or("");
    (1..=6).contains(&hex.len())
        && u32::from_str_radix(hex, 16)
            .ok()
            .and_then(char::from_u32)
            .is_some()
}

fn describe(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::ident | Rule::label => "a name",
        Rule::string => "a string such as `\"text\"`",
        Rule::duration => "a duration such as `30s`",
        Rule::percent => "a percentage such as `1%`",
        Rule::number => "a number",
        Rule::boolean => "`true` or `false`",
        Rule::list => "a list such as `[a, b]`",
        Rule::map => "a map such as `{ key = value }`",
        Rule::body => "`{`",
        Rule::operator => "`=`",
        Rule::include | Rule::block | Rule::attribute | Rule::item => {
            "an attribute such as `key = value` or a block"
        }
        Rule::entry => "an entry such as `key = value`",
        Rule::EOI => "end of file",
        Rule::value => "a value",
        _ => return None,
    })
}

fn join_or(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// A hint for the mistakes people actually make.
fn help_for(text: &str, at: usize, expected: &[&str]) -> Option<String> {
    let rest = text.get(at..).unwrap_or("");
    let before = text.get(..at).unwrap_or("").trim_end();
    if rest.starts_with(',') {
        return Some("attributes are separated by spaces or new lines, not commas".into());
    }
    if rest.starts_with(':') {
        return Some("attributes are written `key = value`".into());
    }
    if rest.starts_with('\'') {
        return Some("strings are written in double quotes".into());
    }
    if before.ends_with('"') && rest.is_empty() || rest.starts_with('\n') && expected.is_empty() {
        return Some("a string must be closed on the line it opens".into());
    }
    if rest.is_empty() {
        return Some("a `{` is not closed".into());
    }
    if before.ends_with('+') || before.ends_with(" -") {
        return Some("a relative tolerance is `stable + MARGIN`, one margin in the KPI's unit: `error_rate < stable + 0.5%`, `response_time < stable + 50ms`".into());
    }
    if rest.starts_with('+') {
        return Some("`+` is written only in a relative tolerance, after `stable` and before one margin: `error_rate < stable + 0.5%`".into());
    }
    if rest.starts_with('$') {
        return Some("a value with `${...}` is a string: put it in double quotes".into());
    }
    let word: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '.')
        .collect();
    if word.starts_with(|c: char| c.is_ascii_digit()) && word.contains('.') {
        return Some(format!(
            "`{word}`: numbers and durations are whole (write `1500ms`, not `1.5s`); a decimal, such as a `cpu` amount or Compose's `cpus`, goes in quotes: `\"0.5\"`"
        ));
    }
    let unit = word.trim_start_matches(|c: char| c.is_ascii_digit());
    let number = word.get(..word.len() - unit.len()).unwrap_or_default();
    let binary = match unit {
        "Ki" | "K" | "KB" | "KiB" => Some("Ki"),
        "Mi" | "M" | "MB" | "MiB" => Some("Mi"),
        "Gi" | "G" | "GB" | "GiB" => Some("Gi"),
        "Ti" | "T" | "TB" | "TiB" => Some("Ti"),
        _ => None,
    };
    if let (false, Some(binary)) = (number.is_empty(), binary) {
        return Some(format!(
            "an amount of memory is a string, with `Ki`, `Mi`, `Gi` or `Ti` (powers of 1,024): write `\"{number}{binary}\"`"
        ));
    }
    if word.starts_with(|c: char| c.is_ascii_digit())
        && expected.iter().any(|e| e.contains("duration"))
    {
        return Some(format!(
            "`{word}` is not a value; durations take a unit (`ms`, `s`, `m`, `h`), percentages end in `%`"
        ));
    }
    if expected == ["`=`"] {
        return missing_equals(text, at);
    }
    if let Some(help) = quoted_key(text, at, expected)
        .or_else(|| dotted_name(text, at))
        .or_else(|| port_and_protocol(text, at))
        .or_else(|| name_with_digit_first(&word, expected))
    {
        return Some(help);
    }
    None
}

/// `env { "discovery.type" = "x" }`: a quoted name where an attribute
/// starts. Only a map's keys are strings; an attribute's is a name, dotted
/// or not.
fn quoted_key(text: &str, at: usize, expected: &[&str]) -> Option<String> {
    if !expected.iter().any(|e| e.starts_with("an attribute")) {
        return None;
    }
    let tokens = code_tokens(text);
    let index = tokens.iter().position(|t| t.start == at)?;
    let key = *tokens.get(index)?;
    let operator = *tokens.get(index + 1)?;
    if key.kind != TokenKind::String || operator.kind != TokenKind::Operator {
        return None;
    }
    let name = key.text(text).trim_matches('"');
    let value = tokens
        .get(index + 2)
        .filter(|v| !operator.line_ends_before(text, **v))
        .map_or("...", |v| v.text(text));
    let bare = name.split('.').all(|part| {
        part.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    });
    Some(if bare {
        format!(
            "an attribute's name is written without quotes, even with `.` or `-` in it: write `{name} {} {value}`",
            operator.text(text)
        )
    } else {
        "an attribute's name is written without quotes: letters, digits, `_`, `-` and `.`, starting with a letter or `_`".to_string()
    })
}

/// `secrets = [xpack.password]`: a name with a `.` in a value, which only
/// a string holds.
fn dotted_name(text: &str, at: usize) -> Option<String> {
    let rest = text.get(at..)?;
    if !rest.starts_with('.') {
        return None;
    }
    let is_name_char = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let before = text.get(..at)?;
    let start = before.trim_end_matches(is_name_char).len();
    let first = before.get(start..)?;
    if !first.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        return None;
    }
    let tail = rest.trim_start_matches(|c: char| is_name_char(c) || c == '.');
    let whole = text.get(start..text.len() - tail.len())?;
    let in_list = before.get(..start)?.trim_end().ends_with(['[', ',']);
    let written = if in_list {
        format!("`[\"{whole}\"]`")
    } else {
        format!("`\"{whole}\"`")
    };
    Some(format!("a name with `.` is written in quotes: {written}"))
}

/// `stats = 8125/udp`: Compose's short syntax for a port's protocol.
fn port_and_protocol(text: &str, at: usize) -> Option<String> {
    let rest = text.get(at..)?.strip_prefix('/')?;
    let protocol: String = rest
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    let protocol = protocol.to_ascii_lowercase();
    if !matches!(protocol.as_str(), "tcp" | "udp" | "sctp") {
        return None;
    }
    let tokens = code_tokens(text);
    let index = tokens.iter().position(|t| t.end == at)?;
    let number = *tokens.get(index)?;
    if number.kind != TokenKind::Number {
        return None;
    }
    let key = index
        .checked_sub(2)
        .and_then(|i| tokens.get(i))
        .filter(|k| k.kind == TokenKind::Word)
        .map_or("NAME", |k| k.text(text));
    let number = number.text(text);
    Some(if protocol == "tcp" {
        format!("a port is TCP unless its `protocol` says otherwise: write `{key} = {number}`")
    } else {
        format!("a port's protocol is its own setting: write `{key} = {{ container = {number}  protocol = \"udp\" }}`")
    })
}

/// `component 9web { }`: a bare name starts with a letter or `_`.
fn name_with_digit_first(word: &str, expected: &[&str]) -> Option<String> {
    if !word.starts_with(|c: char| c.is_ascii_digit())
        || !word.contains(|c: char| c.is_ascii_alphabetic())
        || !expected
            .iter()
            .any(|e| *e == "a name" || e.starts_with("an "))
    {
        return None;
    }
    let digits = word.trim_start_matches(|c: char| c.is_ascii_digit());
    let lead = word.get(..word.len() - digits.len()).unwrap_or_default();
    let quoted = if expected.iter().any(|e| e.starts_with("an entry")) {
        format!("; a map's key may be quoted instead: `\"{word}\"`")
    } else {
        String::new()
    };
    Some(format!(
        "a name starts with a letter or `_`, then letters, digits, `_` and `-`: `{word}` starts with a digit; write one such as `{digits}{lead}`{quoted}"
    ))
}

/// `http 8080` in a map: a key and a value on one line, without the `=`.
fn missing_equals(text: &str, at: usize) -> Option<String> {
    let tokens = code_tokens(text);
    let stop = tokens.iter().position(|t| t.start == at)?;
    let value = *tokens.get(stop)?;
    let key = *tokens.get(stop.checked_sub(1)?)?;
    let fits = key.kind == TokenKind::Word
        && matches!(
            value.kind,
            TokenKind::Number | TokenKind::String | TokenKind::Word
        )
        && !key.line_ends_before(text, value);
    fits.then(|| {
        format!(
            "entries are written `key = value`: write `{} = {}`",
            key.text(text),
            value.text(text)
        )
    })
}

#[cfg(test)]
mod tests {
    use crate::source::FileId;
    use crate::syntax::parse;

    fn error(text: &str) -> (String, String, Option<String>) {
        let diagnostic = parse(FileId(0), text).expect_err("a syntax error");
        let span = diagnostic.span.expect("a span");
        (
            diagnostic.message,
            text[span.range()].to_string(),
            diagnostic.label,
        )
    }

    #[test]
    fn an_unclosed_block_is_pointed_at_where_it_opens() {
        let (message, at, label) =
            error("component a {\n  x = 1\n}\ncomponent w {\n  y = [1, 2]\n# }\n");
        assert_eq!(message, "this `{` is never closed");
        assert_eq!(at, "{");
        assert_eq!(label.as_deref(), Some("opened here"));
        let diagnostic = parse(FileId(0), "a = [1,\n").expect_err("unclosed list");
        assert_eq!(diagnostic.message, "this `[` is never closed");
    }

    #[test]
    fn decimals_and_bare_references_get_help() {
        let diagnostic = parse(FileId(0), "a { t = 1.5s }").expect_err("decimal");
        assert!(diagnostic.help.unwrap_or_default().contains("1500ms"));
        let (_, at, _) = error("a { t = 30sec }");
        assert_eq!(at, "30sec");
        let diagnostic = parse(FileId(0), "a { P = ${HOME} }").expect_err("bare");
        assert!(diagnostic
            .help
            .unwrap_or_default()
            .contains("double quotes"));
    }

    #[test]
    fn a_broken_relative_tolerance_gets_its_form() {
        for text in [
            "k { error_rate < stable + }",
            "k { error_rate < stable + [1%] }",
            "k { error_rate < stable - }",
            "k { error_rate < stable + 1% + 1% }",
            "k { error_rate < 1% + 1% }",
        ] {
            let diagnostic = parse(FileId(0), text).expect_err("a syntax error");
            let help = diagnostic.help.unwrap_or_default();
            assert!(help.contains("stable + 0.5%"), "{text}: {help}");
        }
    }

    #[test]
    fn found_quote_is_not_escaped() {
        let (message, _, _) = error("a { image \"x\" }");
        assert!(message.ends_with("found `\"`"), "{message}");
    }

    #[test]
    fn bad_escape_is_pointed_at() {
        let (message, at, _) = error(r#"a = "C:\data""#);
        assert_eq!(at, r"\d");
        assert!(message.contains(r"`\d`"), "{message}");
        let (_, at, _) = error(r#"a = "\u{zz}""#);
        assert_eq!(at, r"\u");
    }

    #[test]
    fn unclosed_string_points_at_its_quote() {
        let (message, at, _) = error("a = \"open\nb = 1");
        assert_eq!(message, "this string is not closed");
        assert_eq!(at, "\"");
        let (message, _, _) = error("a = \"ends in a backslash\\\nb = 1");
        assert_eq!(message, "this string is not closed");
    }

    #[test]
    fn unit_after_a_space() {
        for (text, spaced, label) in [
            ("h { interval = 30 s }", "30 s", "write `30s`"),
            (
                "h { interval = 30 s\n timeout = 2s }",
                "30 s",
                "write `30s`",
            ),
            ("d { steps = [10 %, 100%] }", "10 %", "write `10%`"),
            ("k { t < 300 ms }", "300 ms", "write `300ms`"),
        ] {
            let (message, at, got) = error(text);
            assert_eq!(message, "a number and its unit are written without a space");
            assert_eq!(at, spaced, "{text}");
            assert_eq!(got.as_deref(), Some(label));
        }
    }

    #[test]
    fn compose_habits_get_the_stackfile_form() {
        let help = |text: &str| {
            parse(FileId(0), text)
                .expect_err("a syntax error")
                .help
                .unwrap_or_default()
        };
        for (text, wanted) in [
            (
                "c { env { \"discovery.type\" = \"x\" } }",
                "write `discovery.type = \"x\"`",
            ),
            (
                "c { secrets = [a, xpack.password] }",
                "`[\"xpack.password\"]`",
            ),
            ("c { image = nginx.latest }", "`\"nginx.latest\"`"),
            (
                "c { ports = { stats = 8125/udp } }",
                "`stats = { container = 8125  protocol = \"udp\" }`",
            ),
            ("c { ports = { web = 80/tcp } }", "write `web = 80`"),
            ("component 9web { }", "such as `web9`"),
            ("c { ports = { 9http = 80 } }", "`\"9http\"`"),
        ] {
            let got = help(text);
            assert!(got.contains(wanted), "{text}: {got}");
        }
        // `1.5s` keeps its own help; a `/` between numbers gets none.
        assert!(help("c { t = 1.5s }").contains("1500ms"));
        assert_eq!(help("c { cpus = 1/2 }"), "");
    }
}
