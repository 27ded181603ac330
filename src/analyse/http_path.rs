//! HTTP paths the spec writes: a route's `path`, compared with the request's
//! path, and an `http` health check's, sent as the request target by HAProxy
//! and by the Compose probe. Both go on the wire as written, so they hold
//! only what RFC 3986 allows there: `/` and `pchar`s (letters, digits,
//! `-._~`, the sub-delimiters `!$&'()*+,;=`, `:`, `@` and well-formed
//! percent-escapes). A health check may add a query after `?`
//! (`/_cluster/health?wait_for_status=yellow`); a route may not, since
//! HAProxy's `path` leaves the query out. No one sends a fragment (`#`).

use std::ops::Range;

use super::template::reject_template;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::syntax::ast::StringLit;

/// Which path a string is, for the rules and the messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathKind {
    /// A route's `path`: a prefix of the request's path, without a query.
    Route,
    /// An `http` health check's path, with an optional query.
    Health,
}

impl PathKind {
    fn what(self) -> &'static str {
        match self {
            PathKind::Route => "a route path",
            PathKind::Health => "an HTTP health path",
        }
    }

    fn attribute(self) -> &'static str {
        match self {
            PathKind::Route => "path",
            PathKind::Health => "http",
        }
    }
}

/// What is wrong with a path, and where: `at` is a byte range of the path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathProblem {
    pub at: Range<usize>,
    pub label: String,
}

/// Reports `literal` when it is not an HTTP path of `kind`. A template in
/// it is reported as such, once.
pub fn check_http_path(literal: &StringLit, kind: PathKind, diagnostics: &mut Diagnostics) {
    if !reject_template(literal, diagnostics) {
        return;
    }
    let path = &literal.value;
    if !path.starts_with('/') {
        diagnostics.push(
            Diagnostic::error(
                Code::OutOfRange,
                format!("{} must start with `/`", kind.what()),
            )
            .at(literal.span)
            .with_help(format!(
                "write `{} = \"/{}\"`",
                kind.attribute(),
                literal.raw()
            )),
        );
        return;
    }
    if let Some(problem) = path_problem(path, kind) {
        diagnostics.push(
            Diagnostic::error(
                Code::OutOfRange,
                format!("{} holds a character a URL cannot carry as is", kind.what()),
            )
            .at(literal.span_of(problem.at))
            .with_label(problem.label)
            .with_help(match kind {
                PathKind::Route => "write the path as it goes on the wire: letters, digits, `-._~!$&'()*+,;=:@/`, and percent-escapes such as `%20` for a space",
                PathKind::Health => "write the path as it goes on the wire: letters, digits, `-._~!$&'()*+,;=:@/`, percent-escapes such as `%20` for a space, and a query after `?`",
            }),
        );
    }
}

/// The first thing in `path` (which starts with `/`) that an HTTP path of
/// `kind` cannot hold as written, if any.
pub fn path_problem(path: &str, kind: PathKind) -> Option<PathProblem> {
    let mut in_query = false;
    for (at, c) in path.char_indices() {
        let one = at..at + c.len_utf8();
        let label = match c {
            c if is_pchar(c) || c == '/' => continue,
            '%' => {
                let digits = path.get(at + 1..at + 3).unwrap_or("");
                if digits.len() == 2 && digits.chars().all(|d| d.is_ascii_hexdigit()) {
                    continue;
                }
                "`%` starts a percent-escape of two hexadecimal digits: `%25` for `%` itself"
                    .to_string()
            }
            '?' if in_query => continue,
            '?' if kind == PathKind::Health => {
                in_query = true;
                continue;
            }
            '?' => {
                "`?` starts a query, which HAProxy leaves out of the path it routes by".to_string()
            }
            '#' => "`#` starts a fragment, which clients never send".to_string(),
            ' ' => "a space: write `%20`".to_string(),
            c if c.is_ascii_control() => format!(
                "U+{:04X} is a control character: write `{}`",
                u32::from(c),
                percent_encoded(c)
            ),
            c if c.is_ascii() => {
                format!("`{c}` is not allowed here: write `{}`", percent_encoded(c))
            }
            c => format!(
                "U+{:04X} is not ASCII: write its UTF-8 bytes percent-encoded, `{}`",
                u32::from(c),
                percent_encoded(c)
            ),
        };
        return Some(PathProblem { at: one, label });
    }
    None
}

/// RFC 3986 `pchar` without `%` (checked with its digits): unreserved,
/// sub-delims, `:` and `@`.
fn is_pchar(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            '-' | '.'
                | '_'
                | '~'
                | '!'
                | '$'
                | '&'
                | '\''
                | '('
                | ')'
                | '*'
                | '+'
                | ','
                | ';'
                | '='
                | ':'
                | '@'
        )
}

/// `c`'s UTF-8 bytes as percent-escapes: `%C3%A9` for `é`.
fn percent_encoded(c: char) -> String {
    let mut bytes = [0u8; 4];
    c.encode_utf8(&mut bytes)
        .bytes()
        .map(|b| format!("%{b:02X}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{path_problem, PathKind};

    fn problem(path: &str, kind: PathKind) -> Option<(usize, String)> {
        path_problem(path, kind).map(|p| (p.at.start, p.label))
    }

    #[test]
    fn paths_hold_what_rfc_3986_allows() {
        for kind in [PathKind::Route, PathKind::Health] {
            for good in [
                "/",
                "/api",
                "/api/v2/",
                "/caf%C3%A9",
                "/a%2fb",
                "/it's/(x);a=b,c@d!*~$+:",
                "/-._~",
            ] {
                assert_eq!(problem(good, kind), None, "{good}");
            }
            for (bad, at) in [
                ("/a b", 2),
                ("/a#top", 2),
                ("/100%", 4),
                ("/%4", 1),
                ("/%zz", 1),
                ("/a\"b", 2),
                ("/a\\b", 2),
                ("/{x}", 1),
                ("/a|b", 2),
                ("/[::1]", 1),
                ("/a<b>", 2),
                ("/a^b", 2),
                ("/a`b", 2),
                ("/café", 4),
                ("/a\tb", 2),
                ("/a\u{7f}", 2),
            ] {
                assert_eq!(problem(bad, kind).map(|p| p.0), Some(at), "{bad}");
            }
        }
    }

    #[test]
    fn only_a_health_check_takes_a_query() {
        let health = "/_cluster/health?wait_for_status=yellow&a=/b?c";
        assert_eq!(problem(health, PathKind::Health), None);
        assert_eq!(problem(health, PathKind::Route).map(|p| p.0), Some(16));
        assert!(problem("/h?a b", PathKind::Health).is_some());
        assert!(problem("/h?a#b", PathKind::Health).is_some());
        assert!(problem("/h?%g0", PathKind::Health).is_some());
    }

    #[test]
    fn labels_give_the_escape() {
        let label = |path: &str| {
            problem(path, PathKind::Route)
                .map(|p| p.1)
                .unwrap_or_default()
        };
        assert!(label("/café").contains("`%C3%A9`"), "{}", label("/café"));
        assert!(label("/a\"b").contains("`%22`"));
        assert!(label("/a\nb").contains("`%0A`"));
        assert!(label("/a b").contains("`%20`"));
    }
}
