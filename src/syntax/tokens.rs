//! A Stackfile cut into tokens the way the grammar cuts it, without
//! parsing. The error path uses them to explain what pest cannot (which
//! word is left over after a value, which `{` was never closed), and the
//! nesting limit counts brackets with them.

/// What a [`Token`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TokenKind {
    /// A name or keyword: a letter or `_`, then letters, digits, `_`, `-`.
    Word,
    /// A digit (or `-` and a digit), then letters, digits, `_`, `.` and `%`:
    /// `30`, `-3`, `30s`, `10%`, and the mistakes `1.5s` and `30sec`.
    Number,
    /// `"…"` to its closing quote or, unclosed, to the end of its line.
    String,
    /// `#` to the end of the line (the line feed excluded).
    Comment,
    /// `=`, `<` or `<=`.
    Operator,
    /// `{` or `[`.
    Open(char),
    /// `}` or `]`.
    Close(char),
    /// `,` between list elements.
    Comma,
    /// Any other character, alone: `:`, `'`, `%` after a space, U+200B.
    Other(char),
}

/// One token: its kind and its byte range in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
}

impl Token {
    /// The token's text.
    pub fn text(self, text: &str) -> &str {
        text.get(self.start..self.end).unwrap_or("")
    }

    /// True when a line feed separates `self` from the later token `next`.
    pub fn line_ends_before(self, text: &str, next: Token) -> bool {
        text.get(self.end..next.start)
            .is_none_or(|between| between.contains('\n'))
    }
}

/// Every token of `text` in order, comments included. White space is what
/// the grammar skips: space, tab, CR and LF.
pub(super) fn tokens(text: &str) -> impl Iterator<Item = Token> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        let rest = text.get(at..)?;
        let skipped = rest.len() - rest.trim_start_matches([' ', '\t', '\r', '\n']).len();
        let start = at + skipped;
        let rest = text.get(start..)?;
        let first = rest.chars().next()?;
        let (kind, len) = token_at(first, rest);
        at = start + len.max(first.len_utf8());
        Some(Token {
            kind,
            start,
            end: at,
        })
    })
}

/// The kind and byte length of the token that `rest` starts with.
fn token_at(first: char, rest: &str) -> (TokenKind, usize) {
    let run = |skip: usize, part: fn(char) -> bool| {
        skip + rest
            .get(skip..)
            .unwrap_or("")
            .chars()
            .take_while(|c| part(*c))
            .map(char::len_utf8)
            .sum::<usize>()
    };
    let digit_follows = rest
        .get(1..)
        .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()));
    match first {
        'a'..='z' | 'A'..='Z' | '_' => (TokenKind::Word, run(1, is_name_char)),
        '0'..='9' => (TokenKind::Number, run(1, is_number_char)),
        '-' if digit_follows => (TokenKind::Number, run(1, is_number_char)),
        '"' => (TokenKind::String, string_len(rest)),
        '#' => (TokenKind::Comment, rest.find('\n').unwrap_or(rest.len())),
        '<' if rest.starts_with("<=") => (TokenKind::Operator, 2),
        '=' | '<' => (TokenKind::Operator, 1),
        '{' | '[' => (TokenKind::Open(first), 1),
        '}' | ']' => (TokenKind::Close(first), 1),
        ',' => (TokenKind::Comma, 1),
        other => (TokenKind::Other(other), other.len_utf8()),
    }
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-')
}

fn is_number_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '%')
}

/// The length of the string `rest` starts with: to its closing quote, or to
/// the end of its line when it is not closed there (as in the grammar).
fn string_len(rest: &str) -> usize {
    let mut chars = rest.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return i + 1,
            '\n' => return i,
            '\\' => {
                if let Some((j, '\n')) = chars.next() {
                    return j;
                }
            }
            _ => {}
        }
    }
    rest.len()
}

/// The bracket tokens, `{ [ } ]`, with their byte offsets; brackets inside
/// strings and comments are not tokens of their own.
pub(super) fn brackets(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    tokens(text).filter_map(|token| match token.kind {
        TokenKind::Open(c) | TokenKind::Close(c) => Some((token.start, c)),
        _ => None,
    })
}

/// The tokens the parser reads, comments left out.
pub(super) fn code_tokens(text: &str) -> Vec<Token> {
    tokens(text)
        .filter(|t| t.kind != TokenKind::Comment)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{brackets, tokens, TokenKind};

    #[test]
    fn strings_and_comments_hide_brackets() {
        let text = "a { b = \"{[\\\"\" # ] }\n c = [1] }";
        let found: Vec<char> = brackets(text).map(|(_, c)| c).collect();
        assert_eq!(found, ['{', '[', ']', '}']);
        assert_eq!(
            brackets("x = \"open [\n]")
                .map(|(at, _)| at)
                .collect::<Vec<_>>(),
            [12]
        );
    }

    #[test]
    fn tokens_are_cut_as_the_grammar_cuts_them() {
        let text = "k { t <= 30sec  p = -3 \"a\\\"b\" # c\n  [1.5s, 10 %] x:y }";
        let cut: Vec<(TokenKind, &str)> = tokens(text).map(|t| (t.kind, t.text(text))).collect();
        assert_eq!(
            cut,
            [
                (TokenKind::Word, "k"),
                (TokenKind::Open('{'), "{"),
                (TokenKind::Word, "t"),
                (TokenKind::Operator, "<="),
                (TokenKind::Number, "30sec"),
                (TokenKind::Word, "p"),
                (TokenKind::Operator, "="),
                (TokenKind::Number, "-3"),
                (TokenKind::String, "\"a\\\"b\""),
                (TokenKind::Comment, "# c"),
                (TokenKind::Open('['), "["),
                (TokenKind::Number, "1.5s"),
                (TokenKind::Comma, ","),
                (TokenKind::Number, "10"),
                (TokenKind::Other('%'), "%"),
                (TokenKind::Close(']'), "]"),
                (TokenKind::Word, "x"),
                (TokenKind::Other(':'), ":"),
                (TokenKind::Word, "y"),
                (TokenKind::Close('}'), "}"),
            ]
        );
    }

    #[test]
    fn any_character_is_a_token() {
        let text = "a\u{200b}\u{feff}-";
        let kinds: Vec<TokenKind> = tokens(text).map(|t| t.kind).collect();
        assert_eq!(
            kinds,
            [
                TokenKind::Word,
                TokenKind::Other('\u{200b}'),
                TokenKind::Other('\u{feff}'),
                TokenKind::Other('-'),
            ]
        );
    }
}
