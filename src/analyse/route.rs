//! A component's `route NAME { }` blocks: a host name and path prefix the
//! component serves on one of its ports.

use super::fields::{Fields, Schema};
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
    let fields = Fields::read(&block.items, block.span, &ROUTE, diagnostics);
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
            check_path(path, diagnostics);
            path.value.clone()
        }
        None => "/".to_string(),
    };
    let port_name = fields.name("port", diagnostics);
    let port = ports.resolve(port_name, block.kind.span, "the route", diagnostics)?;
    Some(Route {
        name: name.name.clone(),
        host: host.value.clone(),
        path,
        port,
    })
}

/// A DNS name, possibly with a `*` wildcard.
fn check_host(host: &StringLit, diagnostics: &mut Diagnostics) {
    reject_template(host, diagnostics);
    let valid = !host.value.is_empty()
        && host
            .value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '*'));
    if !valid {
        diagnostics.push(
            Diagnostic::error(
                Code::InvalidName,
                format!("`{}` is not a host name", host.value),
            )
            .at(host.span)
            .with_help("a route host is a DNS name such as `api.example.com`"),
        );
    }
}

/// A path prefix: starts with `/`, holds no spaces.
fn check_path(path: &StringLit, diagnostics: &mut Diagnostics) {
    reject_template(path, diagnostics);
    if !path.value.starts_with('/') || path.value.chars().any(char::is_whitespace) {
        diagnostics.push(
            Diagnostic::error(
                Code::OutOfRange,
                "a route path must start with `/` and hold no spaces",
            )
            .at(path.span),
        );
    }
}
