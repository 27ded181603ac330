//! Pest's errors in words a user understands: rule names become
//! "a duration such as `30s`", never `duration` or `EOI`.

use pest::error::{Error, ErrorVariant, InputLocation};

use super::parser::Rule;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span};

pub(super) fn syntax_diagnostic(file: FileId, text: &str, error: &Error<Rule>) -> Diagnostic {
    let at = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let found = text.get(at..).and_then(|rest| rest.chars().next());
    let width = found.map_or(0, char::len_utf8);
    let span = Span::new(file, at, at + width);
    let found_words = match found {
        None => "end of file".to_string(),
        Some('\n') => "end of line".to_string(),
        Some(c) => format!("`{}`", c.escape_debug()),
    };

    let mut expected: Vec<&'static str> = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            positives.iter().filter_map(|r| describe(*r)).collect()
        }
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    expected.sort_unstable();
    expected.dedup();

    let message = if expected.is_empty() {
        format!("unexpected {found_words}")
    } else {
        format!("expected {}, found {found_words}", join_or(&expected))
    };
    let mut diagnostic = Diagnostic::error(Code::Syntax, message)
        .at(span)
        .with_label(format!("unexpected {found_words}"));
    if let Some(help) = help_for(text, at, &expected) {
        diagnostic = diagnostic.with_help(help);
    }
    diagnostic
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
    let word: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '.')
        .collect();
    if word.starts_with(|c: char| c.is_ascii_digit())
        && expected.iter().any(|e| e.contains("duration"))
    {
        return Some(format!(
            "`{word}` is not a value; durations take a unit (`ms`, `s`, `m`, `h`), percentages end in `%`"
        ));
    }
    None
}
