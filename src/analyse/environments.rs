//! `environment NAME { }` blocks, and the `test` environment stackc adds
//! when none is declared.

use super::default_host::default_host;
use super::fields::{defined_twice, string_map, Fields, Schema};
use super::labels;
use super::names::check_name;
use super::proxy::{self, ProxyDecl, ProxyPort};
use super::runtime::{self, reference_value, runtime_text};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use std::net::IpAddr;

use super::closed_set;
use crate::model::{
    Environment, Orchestrator, Proxy, Text, TextPart, VarOperator, TEST_ENVIRONMENT,
};
use crate::source::Span;
use crate::syntax::ast::{Block, Item, StringLit};

const ENVIRONMENT: Schema = Schema {
    what: "an environment",
    attributes: &["host", "host_ip", "orchestrator"],
    blocks: &["vars", "proxy"],
};
const VARS: Schema = Schema {
    what: "`vars`",
    attributes: &[],
    blocks: &[],
};

/// A checked environment, with spans kept for later diagnostics.
pub struct EnvironmentDecl {
    pub model: Environment,
    /// `vars` keys written but left out of the model for a mistake already
    /// reported (a bad name, a value that is not a string): templates that
    /// use them are not reported again.
    pub invalid_vars: Vec<String>,
    /// `None` for the `test` environment stackc adds.
    pub name_span: Option<Span>,
    /// The host ports its proxy publishes (when some component has a route).
    pub proxy_ports: Vec<ProxyPort>,
}

/// Every environment in declared order (duplicates keep the first), then
/// `test` unless declared.
pub fn environments(blocks: &[&Block], diagnostics: &mut Diagnostics) -> Vec<EnvironmentDecl> {
    let mut out: Vec<EnvironmentDecl> = Vec::new();
    for block in blocks {
        let Some(name) = labels::required(block, "environment NAME { }", diagnostics) else {
            continue;
        };
        check_name(name, "environment", diagnostics);
        if let Some(first) = out.iter().find(|e| e.model.name == name.name) {
            diagnostics.push(
                defined_twice(
                    format!("environment `{}` is defined twice", name.name),
                    name.span,
                    first.name_span,
                )
                .with_help("rename or remove one of them"),
            );
            continue;
        }
        let (model, proxy_ports) = environment(&name.name, block, diagnostics);
        let invalid_vars = invalid_vars(block, &model);
        out.push(EnvironmentDecl {
            model,
            invalid_vars,
            name_span: Some(name.span),
            proxy_ports,
        });
    }
    if !out.iter().any(|e| e.model.name == TEST_ENVIRONMENT) {
        out.push(EnvironmentDecl {
            model: Environment {
                name: TEST_ENVIRONMENT.to_string(),
                host: Text::literal("127.0.0.1"),
                host_ip: None,
                proxy: Proxy::default(),
                orchestrator: Orchestrator::Compose,
                vars: Vec::new(),
                declared: false,
            },
            invalid_vars: Vec::new(),
            name_span: None,
            proxy_ports: ProxyDecl::default().ports,
        });
    }
    out
}

fn environment(
    name: &str,
    block: &Block,
    diagnostics: &mut Diagnostics,
) -> (Environment, Vec<ProxyPort>) {
    let fields = Fields::read(&block.items, block.span(), &ENVIRONMENT, diagnostics);
    let host_ip_literal = fields.string("host_ip", diagnostics);
    let host_ip = host_ip_literal
        .and_then(|s| host_ip(s, "leave it out to publish on every address", diagnostics));
    let host = match fields.attribute("host") {
        Some(_) => fields
            .string("host", diagnostics)
            .and_then(|s| host(s, diagnostics)),
        None => default_host(host_ip.as_ref())
            .map_err(|suggested| {
                if let Some(literal) = host_ip_literal {
                    diagnostics.push(host_needed(literal, &suggested));
                }
            })
            .ok(),
    }
    .unwrap_or_else(|| Text::literal("127.0.0.1"));
    let mut vars = Vec::new();
    if let Some(vars_block) = labels::at_most_once(&fields.blocks, "vars", diagnostics) {
        labels::forbidden(vars_block, diagnostics);
        vars = string_map(vars_block, &VARS, diagnostics)
            .into_iter()
            .map(|(key, literal)| (key.name.to_string(), runtime_text(literal, diagnostics)))
            .collect();
    }
    let proxy = proxy::proxy(&fields.blocks, diagnostics);
    let environment = Environment {
        name: name.to_string(),
        host,
        host_ip,
        proxy: proxy.model,
        orchestrator: orchestrator(name, &fields, diagnostics),
        vars,
        declared: true,
    };
    (environment, proxy.ports)
}

/// `orchestrator = swarm`: Compose when absent or wrong (reported). The
/// `test` environment runs each component's test stack on one Docker host,
/// so it stays on Compose (reported otherwise).
fn orchestrator(environment: &str, fields: &Fields, diagnostics: &mut Diagnostics) -> Orchestrator {
    let Some(ident) = fields.name("orchestrator", diagnostics) else {
        return Orchestrator::Compose;
    };
    if environment == TEST_ENVIRONMENT && ident.name != Orchestrator::Compose.as_str() {
        diagnostics.push(
            Diagnostic::error(
                Code::OrchestratorCannot,
                "the `test` environment runs on one Docker host",
            )
            .at(ident.span)
            .with_label("test stacks are Compose projects")
            .with_help("declare another environment for the cluster (`environment staging { orchestrator = swarm }`)"),
        );
        return Orchestrator::Compose;
    }
    Orchestrator::from_name(&ident.name).unwrap_or_else(|| {
        let mut diagnostic = Diagnostic::error(
            Code::OutOfRange,
            format!("`{}` is not an orchestrator", ident.name),
        )
        .at(ident.span);
        let names = Orchestrator::ALL.map(Orchestrator::as_str);
        if let Some(help) = closed_set::help(&ident.name, &names, "orchestrators") {
            diagnostic = diagnostic.with_help(help);
        }
        diagnostics.push(diagnostic);
        Orchestrator::Compose
    })
}

/// The keys of the block's `vars` that did not make it into `model`.
fn invalid_vars(block: &Block, model: &Environment) -> Vec<String> {
    let vars = block.items.iter().filter_map(|item| match item {
        Item::Block(b) if b.kind.name == "vars" => Some(b),
        _ => None,
    });
    vars.flat_map(|b| &b.items)
        .filter_map(|item| match item {
            Item::Attribute(a) => Some(a.key.name.to_string()),
            _ => None,
        })
        .filter(|key| !model.vars.iter().any(|(k, _)| k == key))
        .collect()
}

/// `host = "10.0.0.5"`: a host name or IP address, or run-time references
/// (the task runner probes it and builds URLs with it).
fn host(literal: &StringLit, diagnostics: &mut Diagnostics) -> Option<Text> {
    reference_value(
        literal,
        |c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':' | '[' | ']'),
        "host",
        "`host` is where the published ports are reached: a host name or an IP address such as `10.0.0.5`, or a run-time reference such as `${DOCKER_HOST_IP:-127.0.0.1}`",
        diagnostics,
    )
    .map(|value| runtime::split(&value))
}

/// `host_ip = "127.0.0.1"`: an IP address (`::1` for IPv6, without
/// brackets), or a run-time reference whose default, if any, is one; an
/// environment's or a port's. `omitted` ends the help: what leaving it out
/// does (`leave it out to publish on every address`).
pub(super) fn host_ip(
    literal: &StringLit,
    omitted: &str,
    diagnostics: &mut Diagnostics,
) -> Option<Text> {
    let errors_before = diagnostics.error_count();
    let text = runtime_text(literal, diagnostics);
    if diagnostics.error_count() > errors_before {
        return None;
    }
    let as_written = |part: &TextPart| match part {
        TextPart::Literal(s) => Some(s.clone()),
        TextPart::Variable {
            operator: Some(VarOperator::DefaultIfEmpty | VarOperator::DefaultIfUnset),
            word,
            ..
        } if !word.contains('$') => Some(word.clone()),
        TextPart::Variable { .. } => None,
    };
    let address = match text.parts.as_slice() {
        [part] => as_written(part),
        _ => Some(text.display()),
    };
    match address {
        Some(address) if address.parse::<IpAddr>().is_err() => {
            diagnostics.push(
                Diagnostic::error(
                    Code::InvalidName,
                    format!("`{address}` is not an IP address"),
                )
                .at(literal.span)
                .with_help(format!("`host_ip` binds the published ports to one address of the host, such as `127.0.0.1` or `::1` (no brackets); {omitted}")),
            );
            None
        }
        _ => Some(text),
    }
}

/// `host_ip` binds the ports to an IPv6 address and `host` is not written:
/// the default `127.0.0.1` may not reach them, and a URL needs brackets.
fn host_needed(host_ip: &StringLit, suggested: &str) -> Diagnostic {
    Diagnostic::error(
        Code::MissingAttribute,
        "an environment whose `host_ip` is an IPv6 address needs a `host`",
    )
    .at(host_ip.span)
    .with_label("the ports are published on this address only")
    .with_help(format!(
        "write where the ports are reached, as URLs write it: `host = \"{suggested}\"`, or a host name that resolves to the address"
    ))
}
