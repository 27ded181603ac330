//! Lowers one `component` block: every attribute and nested block checked
//! for type and range. Cross-component checks come later, in mod.rs.

use super::environments::string_map;
use super::fields::{wrong_type, Fields, Schema};
use super::labels;
use super::names::check_name;
use super::reject_template;
use super::runtime::{reference_value, split};
use super::{delivery, pass_through};
use crate::diagnostic::{suggestion, Code, Diagnostic, Diagnostics};
use crate::lexical_path::relative_parts;
use crate::model::{
    Deploy, Fixture, Health, HealthCheck, Kpi, PassValue, Port, Route, Runner, TestSuite,
};
use crate::source::{FileId, Span};
use crate::syntax::ast::{Block, Ident, Item, Operator, StringLit, Value, ValueKind};

const COMPONENT: Schema = Schema {
    what: "a component",
    attributes: &["image", "build", "ports", "depends_on"],
    blocks: &[
        "health", "env", "fixtures", "test", "route", "deploy", "kpi", "compose",
    ],
};
const HEALTH: Schema = Schema {
    what: "a health check",
    attributes: &["http", "tcp", "command", "port", "interval", "timeout"],
    blocks: &[],
};
const ENV: Schema = Schema {
    what: "`env`",
    attributes: &[],
    blocks: &[],
};
const FIXTURES: Schema = Schema {
    what: "a fixtures loader",
    attributes: &["image", "build", "command"],
    blocks: &[],
};
const TEST: Schema = Schema {
    what: "a test suite",
    attributes: &["runner", "path", "command"],
    blocks: &[],
};
const ROUTE: Schema = Schema {
    what: "a route",
    attributes: &["host", "path", "port"],
    blocks: &[],
};
const PORT: Schema = Schema {
    what: "a port",
    attributes: &["container", "publish"],
    blocks: &[],
};

/// Names templates use for their own context.
const RESERVED: &[&str] = &["env", "stack", "self", "components"];
/// One component after local checks; names of other components are still
/// unresolved (they are checked once every component is known).
pub struct ComponentDraft<'a> {
    pub name: &'a Ident,
    pub file: FileId,
    pub image: String,
    pub build: Option<String>,
    /// Each port with the span of its name and of its published number.
    pub ports: Vec<(Port, Span, Option<Span>)>,
    /// The `ports` attribute had errors: a port that cannot be found then
    /// is a consequence, not news, and is not reported again.
    pub ports_invalid: bool,
    pub depends_on: Vec<Ident>,
    pub health: Option<Health>,
    pub env: Vec<(&'a Ident, EnvSource<'a>)>,
    pub fixtures: Vec<(Fixture, Ident)>,
    pub tests: Vec<TestSuite>,
    pub routes: Vec<Route>,
    pub deploy: Option<Deploy>,
    pub kpi: Option<Kpi>,
    pub compose: Vec<(String, PassValue)>,
}

/// An environment variable's value as written.
pub enum EnvSource<'a> {
    /// A string, possibly with `{{ }}` templates and `${}` references.
    String(&'a StringLit),
    /// A number or boolean, written as its text.
    Plain(String),
}

pub fn lower<'a>(
    name: &'a Ident,
    file: FileId,
    block: &'a Block,
    stack: &str,
    diagnostics: &mut Diagnostics,
) -> ComponentDraft<'a> {
    if check_name(name, "component", diagnostics) && RESERVED.contains(&name.name.as_str()) {
        diagnostics.push(
            Diagnostic::error(Code::InvalidName, format!("`{}` is reserved", name.name))
                .at(name.span)
                .with_help("templates use `env`, `stack`, `self` and `components` for themselves; choose another name"),
        );
    }
    let fields = Fields::read(&block.items, block.span, &COMPONENT, diagnostics);
    let image = fields
        .string("image", diagnostics)
        .and_then(|s| image(s, diagnostics))
        .unwrap_or_else(|| format!("{stack}/{}", name.name));
    let build = fields
        .string("build", diagnostics)
        .and_then(|s| relative_path(s, "build context", diagnostics));
    let errors_before = diagnostics.error_count();
    let ports = fields
        .value("ports", diagnostics)
        .map(|v| ports(v, diagnostics))
        .unwrap_or_default();
    let ports_invalid = diagnostics.error_count() > errors_before;
    let depends_on = dependencies(&fields, diagnostics);

    let mut draft = ComponentDraft {
        name,
        file,
        image,
        build,
        ports,
        ports_invalid,
        depends_on,
        health: None,
        env: Vec::new(),
        fixtures: Vec::new(),
        tests: Vec::new(),
        routes: Vec::new(),
        deploy: None,
        kpi: None,
        compose: Vec::new(),
    };
    if let Some(block) = labels::at_most_once(&fields.blocks, "health", diagnostics) {
        labels::forbidden(block, diagnostics);
        draft.health = health(block, &draft.ports, draft.ports_invalid, diagnostics);
    }
    if let Some(block) = labels::at_most_once(&fields.blocks, "env", diagnostics) {
        labels::forbidden(block, diagnostics);
        draft.env = env(block, diagnostics);
    }
    if let Some(block) = labels::at_most_once(&fields.blocks, "deploy", diagnostics) {
        labels::forbidden(block, diagnostics);
        draft.deploy = delivery::deploy(block, diagnostics);
    }
    if let Some(block) = labels::at_most_once(&fields.blocks, "kpi", diagnostics) {
        labels::forbidden(block, diagnostics);
        draft.kpi = delivery::kpi(block, diagnostics);
    }
    if let Some(block) = labels::at_most_once(&fields.blocks, "compose", diagnostics) {
        labels::forbidden(block, diagnostics);
        draft.compose = pass_through::lower(block, diagnostics);
    }
    let mut seen: Vec<(&str, &Ident)> = Vec::new();
    for block in &fields.blocks {
        let kind = block.kind.name.as_str();
        if !matches!(kind, "fixtures" | "test" | "route") {
            continue;
        }
        let example = match kind {
            "fixtures" => "fixtures DEPENDENCY { image = \"...\" }",
            "test" => "test NAME { runner = mocha }",
            _ => "route NAME { host = \"example.com\" }",
        };
        let Some(label) = labels::required(block, example, diagnostics) else {
            continue;
        };
        if let Some((_, first)) = seen
            .iter()
            .find(|(k, l)| *k == kind && l.name == label.name)
        {
            let what = match kind {
                "fixtures" => format!("fixtures for `{}` are", label.name),
                "test" => format!("test suite `{}` is", label.name),
                _ => format!("route `{}` is", label.name),
            };
            diagnostics.push(
                Diagnostic::error(
                    Code::Duplicate,
                    format!("{what} defined twice in component `{}`", name.name),
                )
                .at(label.span)
                .with_label("defined again here")
                .also(first.span, "first defined here")
                .with_help("rename or remove one of them"),
            );
            continue;
        }
        seen.push((kind, label));
        match kind {
            "fixtures" => {
                if let Some(fixture) = fixture(&name.name, label, block, stack, diagnostics) {
                    draft.fixtures.push((fixture, label.clone()));
                }
            }
            "test" => {
                if let Some(test) = test(label, block, diagnostics) {
                    draft.tests.push(test);
                }
            }
            _ => {
                if let Some(route) =
                    route(label, block, &draft.ports, draft.ports_invalid, diagnostics)
                {
                    draft.routes.push(route);
                }
            }
        }
    }
    draft
}

/// An image reference as written: `[registry/]name[:tag]`, where any part
/// may be a run-time reference such as `${VERSION:-latest}` (a tag from CI).
/// Returns it as written; the registry is prefixed later.
fn image(literal: &StringLit, diagnostics: &mut Diagnostics) -> Option<String> {
    if !reject_template(literal, diagnostics) {
        return None;
    }
    reference_value(
        literal,
        |c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/' | ':' | '@'),
        "image reference",
        "an image is written `[registry/]name[:tag]`, such as `newsroom/api:1.4` or `newsroom/api:${VERSION:-latest}`",
        diagnostics,
    )
}

/// A path relative to the workspace root that stays inside it.
pub fn relative_path(
    literal: &StringLit,
    what: &str,
    diagnostics: &mut Diagnostics,
) -> Option<String> {
    reject_template(literal, diagnostics);
    let value = &literal.value;
    if value.starts_with('/') || value.contains('\\') || value.contains('\n') {
        diagnostics.push(
            Diagnostic::error(
                Code::OutsideRoot,
                format!("the {what} must be a relative path with `/`"),
            )
            .at(literal.span)
            .with_help("paths are relative to the workspace root, such as `services/api`"),
        );
        return None;
    }
    let Some(parts) = relative_parts(value) else {
        diagnostics.push(
            Diagnostic::error(
                Code::OutsideRoot,
                format!("the {what} `{value}` leaves the workspace root"),
            )
            .at(literal.span)
            .with_help("stackc only refers to files under the folder holding the Stackfile"),
        );
        return None;
    };
    Some(if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    })
}

fn port_number(value: &Value, diagnostics: &mut Diagnostics) -> Option<u16> {
    match value.kind {
        ValueKind::Integer(n) => match u16::try_from(n) {
            Ok(port) if port > 0 => Some(port),
            _ => {
                diagnostics.push(
                    Diagnostic::error(Code::OutOfRange, format!("{n} is not a port number"))
                        .at(value.span)
                        .with_help("ports are numbers from 1 to 65535"),
                );
                None
            }
        },
        _ => {
            let mut diagnostic = wrong_type(value, "a port number");
            if matches!(value.kind, ValueKind::String(_)) {
                diagnostic = diagnostic.with_help(
                    "write `http = 8080`, or `http = { container = 80  publish = 8080 }` to publish it on another host port",
                );
            }
            diagnostics.push(diagnostic);
            None
        }
    }
}

fn ports(value: &Value, diagnostics: &mut Diagnostics) -> Vec<(Port, Span, Option<Span>)> {
    let ValueKind::Map(entries) = &value.kind else {
        diagnostics.push(wrong_type(
            value,
            "a map of ports such as `{ http = 8080 }`",
        ));
        return Vec::new();
    };
    let mut out: Vec<(Port, Span, Option<Span>)> = Vec::new();
    for entry in entries {
        if !check_name(&entry.key, "port", diagnostics) {
            continue;
        }
        if let Some((_, first, _)) = out.iter().find(|(p, _, _)| p.name == entry.key.name) {
            diagnostics.push(
                Diagnostic::error(
                    Code::Duplicate,
                    format!("port `{}` is declared twice", entry.key.name),
                )
                .at(entry.key.span)
                .with_label("declared again here")
                .also(*first, "first declared here"),
            );
            continue;
        }
        // Test suites read each port from STACK_PORT_<NAME>, `-` as `_`.
        let variable_name = |name: &str| name.replace('-', "_");
        if let Some((other, first, _)) = out
            .iter()
            .find(|(p, _, _)| variable_name(&p.name) == variable_name(&entry.key.name))
        {
            diagnostics.push(
                Diagnostic::error(
                    Code::Duplicate,
                    format!(
                        "ports `{}` and `{}` differ only in `-` and `_`",
                        other.name, entry.key.name
                    ),
                )
                .at(entry.key.span)
                .also(*first, "declared here")
                .with_help(format!(
                    "test suites read both as `STACK_PORT_{}`; rename one",
                    variable_name(&entry.key.name).to_ascii_uppercase()
                )),
            );
            continue;
        }
        let (container, published, published_span) = match &entry.value.kind {
            ValueKind::Map(inner) => {
                let items: Vec<Item> = inner
                    .iter()
                    .map(|e| {
                        Item::Attribute(crate::syntax::ast::Attribute {
                            key: e.key.clone(),
                            operator: Operator::Equals,
                            operator_span: e.key.span,
                            value: e.value.clone(),
                            span: e.key.span.to(e.value.span),
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
                let (published, span) = match fields.attribute("publish") {
                    None => (container, None),
                    Some(a) => match a.value.kind {
                        ValueKind::Boolean(false) => (None, None),
                        ValueKind::Boolean(true) => (container, Some(a.value.span)),
                        _ => (port_number(&a.value, diagnostics), Some(a.value.span)),
                    },
                };
                (container, published, span)
            }
            _ => {
                let number = port_number(&entry.value, diagnostics);
                (number, number, Some(entry.value.span))
            }
        };
        let Some(container) = container else { continue };
        out.push((
            Port {
                name: entry.key.name.clone(),
                container,
                published,
            },
            entry.key.span,
            published_span,
        ));
    }
    out
}

fn dependencies(fields: &Fields, diagnostics: &mut Diagnostics) -> Vec<Ident> {
    let mut out: Vec<Ident> = Vec::new();
    for dep in fields.names("depends_on", diagnostics) {
        if let Some(first) = out.iter().find(|d| d.name == dep.name) {
            diagnostics.push(
                Diagnostic::error(
                    Code::Duplicate,
                    format!("`{}` is listed twice in `depends_on`", dep.name),
                )
                .at(dep.span)
                .also(first.span, "first listed here"),
            );
        } else {
            out.push(dep);
        }
    }
    out
}

/// Finds a port by name, or reports it with the names that exist.
fn resolve_port(
    ident: Option<Ident>,
    ports: &[(Port, Span, Option<Span>)],
    ports_invalid: bool,
    fallback_span: Span,
    what: &str,
    diagnostics: &mut Diagnostics,
) -> Option<Port> {
    let names: Vec<&str> = ports.iter().map(|(p, _, _)| p.name.as_str()).collect();
    match ident {
        Some(ident) => {
            let found = ports.iter().find(|(p, _, _)| p.name == ident.name);
            if found.is_none() && !ports_invalid {
                let mut diagnostic = Diagnostic::error(
                    Code::UnknownPort,
                    format!(
                        "{what} names port `{}`, which the component does not declare",
                        ident.name
                    ),
                )
                .at(ident.span)
                .with_label("no such port");
                diagnostic = match suggestion(&ident.name, &names, "declared ports") {
                    Some(help) => diagnostic.with_help(help),
                    None => diagnostic.with_help("declare it in `ports = { NAME = NUMBER }`"),
                };
                diagnostics.push(diagnostic);
            }
            found.map(|(p, _, _)| p.clone())
        }
        None => {
            let first = ports.first().map(|(p, _, _)| p.clone());
            if first.is_none() && !ports_invalid {
                diagnostics.push(
                    Diagnostic::error(
                        Code::UnknownPort,
                        format!("{what} needs a port, but the component declares none"),
                    )
                    .at(fallback_span)
                    .with_help("declare one in `ports = { http = 8080 }`"),
                );
            }
            first
        }
    }
}

pub(super) fn positive_duration(
    fields: &Fields,
    key: &str,
    default: u64,
    diagnostics: &mut Diagnostics,
) -> u64 {
    let Some(value) = fields.duration(key, diagnostics) else {
        return default;
    };
    if value == 0 {
        if let Some(attribute) = fields.attribute(key) {
            diagnostics.push(
                Diagnostic::error(
                    Code::OutOfRange,
                    format!("`{key}` must be longer than zero"),
                )
                .at(attribute.value.span)
                .with_label("zero"),
            );
        }
        return default;
    }
    value
}

fn health(
    block: &Block,
    ports: &[(Port, Span, Option<Span>)],
    ports_invalid: bool,
    diagnostics: &mut Diagnostics,
) -> Option<Health> {
    let fields = Fields::read(&block.items, block.span, &HEALTH, diagnostics);
    let kinds: Vec<&str> = ["http", "tcp", "command"]
        .into_iter()
        .filter(|k| fields.attribute(k).is_some())
        .collect();
    if kinds.len() != 1 {
        let message = if kinds.is_empty() {
            "a health check needs one of `http`, `tcp` or `command`".to_string()
        } else {
            format!(
                "a health check takes one of `http`, `tcp` or `command`, not `{}`",
                kinds.join("` and `")
            )
        };
        diagnostics.push(
            Diagnostic::error(Code::MissingAttribute, message)
                .at(block.kind.span)
                .with_help("for example `health { http = \"/health\" }` or `health { tcp = db }`"),
        );
        return None;
    }
    let interval_ms = positive_duration(&fields, "interval", 2_000, diagnostics);
    let timeout_ms = positive_duration(&fields, "timeout", 60_000, diagnostics);
    if timeout_ms < interval_ms {
        if let Some(attribute) = fields.attribute("timeout") {
            diagnostics.push(
                Diagnostic::error(Code::OutOfRange, "the health timeout is shorter than its interval")
                    .at(attribute.value.span)
                    .with_help("`timeout` is how long the service may take to become healthy; make it at least one `interval`"),
            );
        }
    }
    let check = match kinds.first().copied() {
        Some("http") => {
            let path = fields.string("http", diagnostics)?;
            reject_template(path, diagnostics);
            if !path.value.starts_with('/') {
                diagnostics.push(
                    Diagnostic::error(Code::OutOfRange, "an HTTP health path must start with `/`")
                        .at(path.span)
                        .with_help(format!("write `http = \"/{}\"`", path.value)),
                );
            }
            let port_name = fields.name("port", diagnostics);
            let port = resolve_port(
                port_name,
                ports,
                ports_invalid,
                block.kind.span,
                "the health check",
                diagnostics,
            )?;
            HealthCheck::Http {
                path: path.value.clone(),
                port,
            }
        }
        Some("tcp") => {
            if fields.attribute("port").is_some() {
                diagnostics.push(
                    Diagnostic::error(
                        Code::UnknownAttribute,
                        "a TCP health check names its port in `tcp`",
                    )
                    .at(fields.attribute("port").map_or(block.span, |a| a.key.span))
                    .with_help("write `tcp = PORT_NAME` and remove `port`"),
                );
            }
            let port_name = fields.name("tcp", diagnostics)?;
            let port = resolve_port(
                Some(port_name),
                ports,
                ports_invalid,
                block.kind.span,
                "the health check",
                diagnostics,
            )?;
            HealthCheck::Tcp { port }
        }
        _ => {
            let command = fields.string("command", diagnostics)?;
            reject_template(command, diagnostics);
            if let Some(port) = fields.attribute("port") {
                diagnostics.push(
                    Diagnostic::error(
                        Code::UnknownAttribute,
                        "a command health check takes no `port`",
                    )
                    .at(port.key.span)
                    .with_help("the command runs inside the container; remove `port`"),
                );
            }
            if command.value.trim().is_empty() {
                diagnostics.push(
                    Diagnostic::error(Code::OutOfRange, "the health command is empty")
                        .at(command.span),
                );
            }
            HealthCheck::Command {
                command: command.value.clone(),
            }
        }
    };
    Some(Health {
        check,
        interval_ms,
        timeout_ms,
    })
}

fn env<'a>(block: &'a Block, diagnostics: &mut Diagnostics) -> Vec<(&'a Ident, EnvSource<'a>)> {
    let mut out: Vec<(&Ident, EnvSource)> = Vec::new();
    // Numbers and booleans are accepted and written as text.
    let mut plain = Vec::new();
    for item in &block.items {
        if let Item::Attribute(attribute) = item {
            match &attribute.value.kind {
                ValueKind::Integer(n) => plain.push((&attribute.key, n.to_string())),
                ValueKind::Boolean(b) => plain.push((&attribute.key, b.to_string())),
                _ => {}
            }
        }
    }
    let strings = string_map_lenient(block, diagnostics);
    for item in &block.items {
        let Item::Attribute(attribute) = item else {
            continue;
        };
        if let Some((key, literal)) = strings
            .iter()
            .find(|(k, _)| std::ptr::eq(*k, &attribute.key))
        {
            out.push((key, EnvSource::String(literal)));
        } else if let Some((key, text)) =
            plain.iter().find(|(k, _)| std::ptr::eq(*k, &attribute.key))
        {
            out.push((key, EnvSource::Plain(text.clone())));
        }
    }
    out
}

/// `string_map`, but numbers and booleans are not type errors.
fn string_map_lenient<'a>(
    block: &'a Block,
    diagnostics: &mut Diagnostics,
) -> Vec<(&'a Ident, &'a StringLit)> {
    let mut local = Diagnostics::new();
    let pairs = string_map(block, &ENV, &mut local);
    for diagnostic in local.iter() {
        let about_plain = diagnostic.code == Code::WrongType
            && block.items.iter().any(|item| match item {
                Item::Attribute(a) => {
                    Some(a.value.span) == diagnostic.span
                        && matches!(a.value.kind, ValueKind::Integer(_) | ValueKind::Boolean(_))
                }
                _ => false,
            });
        if !about_plain {
            diagnostics.push(diagnostic.clone());
        }
    }
    pairs
}

fn fixture(
    component: &str,
    target: &Ident,
    block: &Block,
    stack: &str,
    diagnostics: &mut Diagnostics,
) -> Option<Fixture> {
    let fields = Fields::read(&block.items, block.span, &FIXTURES, diagnostics);
    let image = fields
        .string("image", diagnostics)
        .and_then(|s| image(s, diagnostics));
    let build = fields
        .string("build", diagnostics)
        .and_then(|s| relative_path(s, "build context", diagnostics));
    let command = fields.string("command", diagnostics).map(|s| {
        reject_template(s, diagnostics);
        s.value.clone()
    });
    let service = format!("{component}-fixtures-{}", target.name);
    let image = match (image, &build) {
        (Some(image), _) => image,
        (None, Some(_)) => format!("{stack}/{service}"),
        (None, None) => {
            diagnostics.push(
                Diagnostic::error(
                    Code::MissingAttribute,
                    "a fixtures loader needs an `image` or a `build`",
                )
                .at(block.kind.span)
                .with_help("add `image = \"team/fixtures\"`"),
            );
            return None;
        }
    };
    Some(Fixture {
        service,
        target: target.name.clone(),
        image: split(&image),
        build,
        command,
    })
}

fn test(name: &Ident, block: &Block, diagnostics: &mut Diagnostics) -> Option<TestSuite> {
    check_name(name, "test suite", diagnostics);
    let fields = Fields::read(&block.items, block.span, &TEST, diagnostics);
    let runner = fields.name("runner", diagnostics).and_then(|runner| {
        let known = Runner::from_name(&runner.name);
        if known.is_none() {
            let mut diagnostic = Diagnostic::error(
                Code::OutOfRange,
                format!("`{}` is not a test runner stackc knows", runner.name),
            )
            .at(runner.span)
            .with_label("unknown runner");
            let names = Runner::ALL.map(Runner::as_str);
            diagnostic = match suggestion(&runner.name, &names, "runners") {
                Some(help) => diagnostic.with_help(format!("{help} (or give a `command`)")),
                None => diagnostic,
            };
            diagnostics.push(diagnostic);
        }
        known
    });
    let path = fields
        .string("path", diagnostics)
        .and_then(|s| relative_path(s, "test path", diagnostics).map(|_| s.value.clone()));
    let command = fields.string("command", diagnostics).map(|s| {
        reject_template(s, diagnostics);
        s.value.clone()
    });
    Some(TestSuite {
        name: name.name.clone(),
        runner,
        path,
        command,
    })
}

fn route(
    name: &Ident,
    block: &Block,
    ports: &[(Port, Span, Option<Span>)],
    ports_invalid: bool,
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
    reject_template(host, diagnostics);
    let host_valid = !host.value.is_empty()
        && host
            .value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '*'));
    if !host_valid {
        diagnostics.push(
            Diagnostic::error(
                Code::InvalidName,
                format!("`{}` is not a host name", host.value),
            )
            .at(host.span)
            .with_help("a route host is a DNS name such as `api.example.com`"),
        );
    }
    let path = match fields.string("path", diagnostics) {
        Some(path) => {
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
            path.value.clone()
        }
        None => "/".to_string(),
    };
    let port_name = fields.name("port", diagnostics);
    let port = resolve_port(
        port_name,
        ports,
        ports_invalid,
        block.kind.span,
        "the route",
        diagnostics,
    )?;
    Some(Route {
        name: name.name.clone(),
        host: host.value.clone(),
        path,
        port,
    })
}
