//! A component's `ports = { NAME = NUMBER }`: names, numbers, the host
//! ports they are published on, their protocols and host addresses; and
//! finding a port by name for the blocks that refer to one (`health`,
//! `route`).

use super::closed_set;
use super::environments::host_ip;
use super::fields::{wrong_type, Fields, Schema};
use super::names::check_name;
use super::port_protocol::protocols;
use super::values::port_number;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{Port, Protocol};
use crate::source::Span;
use crate::syntax::ast::{Attribute, Entry, Ident, Item, Operator, Value, ValueKind};

const PORT: Schema = Schema {
    what: "a port",
    attributes: &["container", "publish", "protocol", "host_ip"],
    blocks: &[],
};

/// The ports a component declares, in the order written.
#[derive(Default)]
pub struct DeclaredPorts {
    pub ports: Vec<DeclaredPort>,
    /// The `ports` attribute had errors: a port that cannot be found then
    /// is a consequence, not news, and is not reported again.
    pub invalid: bool,
}

/// One declared port, with the spans later diagnostics point at.
pub struct DeclaredPort {
    pub port: Port,
    /// The port's name.
    pub name_span: Span,
    /// The published host port, when written.
    pub published_span: Option<Span>,
    /// `protocol`'s value, when written.
    pub protocol_span: Option<Span>,
    /// `host_ip`'s value, when written.
    pub host_ip_span: Option<Span>,
}

/// Reads the component's `ports` attribute (none when absent).
pub fn declared(fields: &Fields, diagnostics: &mut Diagnostics) -> DeclaredPorts {
    let errors_before = diagnostics.error_count();
    let ports = fields
        .value("ports", diagnostics)
        .map(|v| read(v, diagnostics))
        .unwrap_or_default();
    DeclaredPorts {
        ports,
        invalid: diagnostics.error_count() > errors_before,
    }
}

fn read(value: &Value, diagnostics: &mut Diagnostics) -> Vec<DeclaredPort> {
    let ValueKind::Map(entries) = &value.kind else {
        diagnostics.push(wrong_type(
            value,
            "a map of ports such as `{ http = 8080 }`",
        ));
        return Vec::new();
    };
    // Sized to the entries: pushed onto an empty vector, one port took the
    // room of four for as long as the draft and Model live.
    let mut out: Vec<DeclaredPort> = Vec::with_capacity(entries.len());
    for entry in entries {
        if !check_name(&entry.key, "port", diagnostics) || clashes(&out, &entry.key, diagnostics) {
            continue;
        }
        if let Some(declared) = port(entry, diagnostics) {
            out.push(declared);
        }
    }
    out
}

/// Reports a port declared twice, or one whose test-suite variable another
/// port already takes. Returns true when it reported one.
fn clashes(declared: &[DeclaredPort], key: &Ident, diagnostics: &mut Diagnostics) -> bool {
    if let Some(first) = declared.iter().find(|d| d.port.name == key.name) {
        diagnostics.push(
            Diagnostic::error(
                Code::Duplicate,
                format!("port `{}` is declared twice", key.name),
            )
            .at(key.span)
            .with_label("declared again here")
            .also(first.name_span, "first declared here"),
        );
        return true;
    }
    // Test suites read each port from STACK_PORT_<NAME>, `-` as `_`.
    let variable_name = |name: &str| name.replace('-', "_");
    let Some(other) = declared
        .iter()
        .find(|d| variable_name(&d.port.name) == variable_name(&key.name))
    else {
        return false;
    };
    diagnostics.push(
        Diagnostic::error(
            Code::Duplicate,
            format!(
                "ports `{}` and `{}` differ only in `-` and `_`",
                other.port.name, key.name
            ),
        )
        .at(key.span)
        .also(other.name_span, "declared here")
        .with_help(format!(
            "test suites read both as `STACK_PORT_{}`; rename one",
            variable_name(&key.name).to_ascii_uppercase()
        )),
    );
    true
}

/// Compose's short syntax, `syslog = "514/udp"`: E0110 with the map form
/// that says the same. `None` for any other value.
fn compose_short_syntax(name: &str, value: &Value) -> Option<Diagnostic> {
    let ValueKind::String(literal) = &value.kind else {
        return None;
    };
    let (number, protocol) = literal.value.split_once('/')?;
    let number = number.parse::<u16>().ok()?;
    let write = match protocol.to_ascii_lowercase().as_str() {
        "tcp" => format!("`{name} = {number}` (a port is TCP unless its `protocol` says otherwise)"),
        "udp" => format!("`{name} = {{ container = {number}  protocol = \"udp\" }}`"),
        _ => format!("`{name} = {{ container = {number}  protocol = \"udp\" }}`, with the protocol `\"tcp\"` or `\"udp\"`"),
    };
    Some(wrong_type(value, "a port number").with_help(format!(
        "`{}` is Compose's short syntax; a port's protocol is its own setting: write {write}",
        literal.value
    )))
}

/// One entry: `http = 8080`, or the map form
/// `http = { container = 80  publish = 8080  protocol = "udp"  host_ip = "127.0.0.1" }`.
/// `None` when the container port is missing or wrong (reported).
fn port(entry: &Entry, diagnostics: &mut Diagnostics) -> Option<DeclaredPort> {
    let name = entry.key.name.as_str();
    let ValueKind::Map(inner) = &entry.value.kind else {
        if let Some(diagnostic) = compose_short_syntax(name, &entry.value) {
            diagnostics.push(diagnostic);
            return None;
        }
        let number = port_number(&entry.value, diagnostics)?;
        return Some(DeclaredPort {
            port: Port::tcp(name, number, Some(number)),
            name_span: entry.key.span,
            published_span: Some(entry.value.span),
            protocol_span: None,
            host_ip_span: None,
        });
    };
    let items: Vec<Item> = inner
        .iter()
        .map(|e| {
            Item::Attribute(Attribute {
                key: e.key.clone(),
                value: e.value.clone(),
                // Where the `=` is is not kept in an entry; no diagnostic
                // of a port's fields points at it (`=` is the only
                // operator, and a port's schema has no blocks).
                operator_start: e.key.span.start,
                operator: Operator::Equals,
            })
        })
        .collect();
    let fields = Fields::read(&items, entry.value.span, &PORT, diagnostics);
    let container = fields
        .attribute("container")
        .and_then(|a| port_number(&a.value, diagnostics));
    let container = fields.require(
        "container",
        container,
        "a port",
        "container = 8080",
        diagnostics,
    );
    let (published, published_span) = match fields.attribute("publish") {
        None => (container, None),
        Some(a) => match a.value.kind {
            ValueKind::Boolean(false) => (None, None),
            ValueKind::Boolean(true) => (container, Some(a.value.span)),
            _ => (port_number(&a.value, diagnostics), Some(a.value.span)),
        },
    };
    let protocol = fields.attribute("protocol");
    let protocols = protocol
        .and_then(|a| protocols(&a.value, diagnostics))
        .unwrap_or_else(|| vec![Protocol::Tcp]);
    let host_ip_literal = fields.string("host_ip", diagnostics);
    let host_ip = host_ip_literal
        .and_then(|literal| host_ip(literal, "leave it out for the environment's", diagnostics));
    let unpublished = fields
        .attribute("publish")
        .filter(|a| matches!(a.value.kind, ValueKind::Boolean(false)));
    if let (Some(literal), Some(a)) = (host_ip_literal, unpublished) {
        diagnostics.push(
            Diagnostic::warning(
                Code::NoEffect,
                format!("`host_ip` has no effect on port `{name}`, which is not published"),
            )
            .at(literal.span)
            .also(a.value.span, "not published")
            .with_help("remove `host_ip`, or publish the port (`publish = true` or a host port)"),
        );
    }
    let mut port = Port::tcp(name, container?, published);
    port.protocols = protocols;
    port.host_ip = host_ip.filter(|_| published.is_some());
    Some(DeclaredPort {
        port,
        name_span: entry.key.span,
        published_span,
        protocol_span: protocol.map(|a| a.value.span),
        host_ip_span: host_ip_literal.map(|l| l.span),
    })
}

impl DeclaredPorts {
    /// The port `ident` names, or the first port when `ident` is `None`;
    /// reports a name that is not declared (with the names that are), or a
    /// component without ports, unless the ports had errors already.
    /// `what` is the block asking (`the health check`), `fallback_span`
    /// where to point when no name is given.
    pub fn resolve(
        &self,
        ident: Option<Ident>,
        fallback_span: Span,
        what: &str,
        diagnostics: &mut Diagnostics,
    ) -> Option<Port> {
        let Some(ident) = ident else {
            let first = self.ports.first().map(|d| d.port.clone());
            if first.is_none() && !self.invalid {
                diagnostics.push(
                    Diagnostic::error(
                        Code::UnknownPort,
                        format!("{what} needs a port, but the component declares none"),
                    )
                    .at(fallback_span)
                    .with_help("declare one in `ports = { http = 8080 }`"),
                );
            }
            return first;
        };
        let found = self.ports.iter().find(|d| d.port.name == ident.name);
        if found.is_none() && !self.invalid {
            let names: Vec<&str> = self.ports.iter().map(|d| d.port.name.as_str()).collect();
            let mut diagnostic = Diagnostic::error(
                Code::UnknownPort,
                format!(
                    "{what} names port `{}`, which the component does not declare",
                    ident.name
                ),
            )
            .at(ident.span)
            .with_label("no such port");
            diagnostic = match closed_set::help(&ident.name, &names, "declared ports") {
                Some(help) => diagnostic.with_help(help),
                None => diagnostic.with_help("declare it in `ports = { NAME = NUMBER }`"),
            };
            diagnostics.push(diagnostic);
        }
        found.map(|d| d.port.clone())
    }

    /// [`DeclaredPorts::resolve`] for a block that connects over TCP (an
    /// `http` or `tcp` health check, a route, which HAProxy serves over
    /// HTTP): a port served on UDP only is reported too.
    pub fn resolve_tcp(
        &self,
        ident: Option<Ident>,
        fallback_span: Span,
        what: &str,
        diagnostics: &mut Diagnostics,
    ) -> Option<Port> {
        let (at, label, help) = match &ident {
            Some(ident) => (ident.span, "a UDP port", "name a port served on TCP"),
            None => (
                fallback_span,
                "probes the first declared port",
                "name a port served on TCP (`port = NAME`)",
            ),
        };
        let port = self.resolve(ident, fallback_span, what, diagnostics)?;
        if port.serves_tcp() {
            return Some(port);
        }
        let mut diagnostic = Diagnostic::error(
            Code::OutOfRange,
            format!(
                "{what} connects over TCP, but port `{}` is served on UDP only",
                port.name
            ),
        )
        .at(at)
        .with_label(label);
        let protocol_span = self
            .ports
            .iter()
            .find(|d| d.port.name == port.name)
            .and_then(|d| d.protocol_span);
        if let Some(span) = protocol_span {
            diagnostic = diagnostic.also(span, "served on UDP only");
        }
        diagnostics.push(diagnostic.with_help(format!(
            "{help}, or serve this one on both: `protocol = [\"tcp\", \"udp\"]`"
        )));
        None
    }
}
