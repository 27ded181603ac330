//! A component's `route NAME { }` blocks: a host name and path prefix the
//! component serves on one of its ports.

use super::fields::{Fields, Schema};
use super::http_path::{check_http_path, PathKind};
use super::names::check_name;
use super::ports::DeclaredPorts;
use super::template::reject_template;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::Route;
use crate::syntax::ast::{Block, Ident, StringLit};

const ROUTE: Schema = Schema {
    what: "a route",
    attributes: &["host", "path", "port"],
    blocks: &[],
};

/// The route `name`; `None` without a host or a port to serve on.
pub fn route(
    name: &Ident,
    block: &Block,
    ports: &DeclaredPorts,
    diagnostics: &mut Diagnostics,
) -> Option<Route> {
    check_name(name, "route", diagnostics);
    let fields = Fields::read(&block.items, block.span(), &ROUTE, diagnostics);
    let host = fields.string("host", diagnostics);
    let host = fields.require(
        "host",
        host,
        "a route",
        "host = \"app.example.com\"",
        diagnostics,
    )?;
    check_host(host, diagnostics);
    let path = match fields.string("path", diagnostics) {
        Some(path) => {
            check_http_path(path, PathKind::Route, diagnostics);
            path.value.to_string()
        }
        None => "/".to_string(),
    };
    let port_name = fields.name("port", diagnostics);
    let port = ports.resolve_tcp(port_name, block.kind.span, "the route", diagnostics)?;
    Some(Route {
        name: name.name.to_string(),
        host: host.value.to_string(),
        path,
        port,
    })
}

/// The longest DNS name, in characters (RFC 1035, without the final dot).
const MAX_HOST: usize = 253;
/// The longest label of a DNS name.
const MAX_LABEL: usize = 63;

/// A DNS name, possibly with a `*` wildcard as its whole first label.
/// Upper case is allowed: HAProxy compares hosts case-insensitively.
fn check_host(host: &StringLit, diagnostics: &mut Diagnostics) {
    if !reject_template(host, diagnostics) {
        return;
    }
    if let Some(problem) = host_problem(&host.value) {
        diagnostics.push(
            Diagnostic::error(
                Code::InvalidName,
                format!("`{}` is not a host name", host.value),
            )
            .at(host.span)
            .with_label(problem)
            .with_help("a route host is a DNS name such as `api.example.com`, or `*.example.com` for every name one label below `example.com`"),
        );
    }
}

/// What is wrong with `host` as a route's host name, if anything.
fn host_problem(host: &str) -> Option<String> {
    if host.is_empty() {
        return Some("empty".to_string());
    }
    if let Some(c) = host
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '*')))
    {
        return Some(match c {
            ':' => "no port: HAProxy matches the host without it".to_string(),
            '/' => "no path: give it as the route's `path`".to_string(),
            ' ' => "a space is not allowed".to_string(),
            c if c.is_ascii_graphic() => {
                format!("`{c}` is not allowed: only letters, digits, `.`, `-` and a leading `*.`")
            }
            c => format!(
                "U+{:04X} is not allowed: only ASCII letters, digits, `.`, `-` and a leading `*.`",
                u32::from(c)
            ),
        });
    }
    if host.chars().count() > MAX_HOST {
        return Some(format!("longer than {MAX_HOST} characters"));
    }
    for (index, label) in host.split('.').enumerate() {
        if label.is_empty() {
            return Some("an empty label: no `.` at either end, nor two in a row".to_string());
        }
        if label.contains('*') && (index > 0 || label != "*") {
            return Some(
                "`*` stands only for a whole first label, as in `*.example.com`".to_string(),
            );
        }
        if label.len() > MAX_LABEL {
            return Some(format!(
                "the label `{label}` is longer than {MAX_LABEL} characters"
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Some(format!("the label `{label}` starts or ends with `-`"));
        }
    }
    if host == "*" {
        return Some("`*` alone matches every host: write `*.example.com`".to_string());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::host_problem;

    #[test]
    fn host_names_follow_dns() {
        for good in [
            "api.example.com",
            "API.Example.COM",
            "*.example.com",
            "localhost",
            "10.0.0.5",
            &format!("{}.example", "a".repeat(63)),
            &format!("{}a", "a.".repeat(126)),
        ] {
            assert_eq!(host_problem(good), None, "{good}");
        }
        for bad in [
            "",
            "*",
            "api.*.example.com",
            "a*.example.com",
            "*a.example.com",
            "**.example.com",
            "example.*",
            "api..example",
            ".example.com",
            "example.com.",
            "-api.example",
            "api-.example",
            "api.example.com:8080",
            "api example",
            "api_internal.example",
            &format!("{}.example", "a".repeat(64)),
            &format!("{}ab", "a.".repeat(126)),
        ] {
            assert!(host_problem(bad).is_some(), "{bad}");
        }
    }
}
