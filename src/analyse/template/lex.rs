//! Tokens of one `{{ }}` body, enough to find the names it refers to.

use std::ops::Range;

/// Words minijinja's expressions give a meaning of their own, and `loop`
/// (defined inside loops): never a reference to the context.
pub const KEYWORDS: &[&str] = &[
    "and", "or", "not", "in", "is", "if", "else", "true", "false", "none", "True", "False", "None",
    "loop",
];

/// One token; everything the reference check does not look at is `Other`.
/// A name borrows the template's text (templates are checked one per env
/// value: a copy of every name was most of the check's cost).
#[derive(Debug, Clone, PartialEq)]
pub enum Token<'v> {
    Ident(&'v str),
    /// A quoted string, its escapes resolved.
    Str(String),
    /// One of `.`, `[`, `]`, `(`, `)`, `|`.
    Punct(char),
    Other,
}

/// Tokens of the `{{ }}` body `value[start..end]` with their byte ranges in
/// `value`.
pub fn lex(value: &str, start: usize, end: usize) -> Vec<(Token<'_>, Range<usize>)> {
    let mut tokens = Vec::with_capacity(8);
    let text = value.get(start..end).unwrap_or("");
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let from = start + at;
        if c.is_whitespace() {
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let mut to = at + c.len_utf8();
            while let Some(&(i, n)) = chars.peek() {
                if n.is_ascii_alphanumeric() || n == '_' {
                    to = i + n.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            let name = text.get(at..to).unwrap_or_default();
            tokens.push((Token::Ident(name), from..start + to));
        } else if c == '"' || c == '\'' {
            let mut to = text.len();
            let mut content = String::new();
            let mut escaped = false;
            for (i, n) in chars.by_ref() {
                if escaped {
                    content.push(n);
                    escaped = false;
                } else if n == '\\' {
                    escaped = true;
                } else if n == c {
                    to = i + 1;
                    break;
                } else {
                    content.push(n);
                }
            }
            tokens.push((Token::Str(content), from..start + to));
        } else if matches!(c, '.' | '[' | ']' | '(' | ')' | '|') {
            tokens.push((Token::Punct(c), from..from + 1));
        } else {
            tokens.push((Token::Other, from..from + c.len_utf8()));
        }
    }
    tokens
}
