//! A component's `health { }` block: one probe (`http`, `tcp` or
//! `command`) and its timing.

use super::fields::{Fields, Schema};
use super::http_path::{check_http_path, PathKind};
use super::ports::DeclaredPorts;
use super::template::reject_template;
use super::values::positive_duration;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{Health, HealthCheck, HealthKind};
use crate::syntax::ast::Block;

const HEALTH: Schema = Schema {
    what: "a health check",
    attributes: &["http", "tcp", "command", "port", "interval", "timeout"],
    blocks: &[],
};

/// The block's health check; `None` when its kind or probe is wrong.
pub fn health(
    block: &Block,
    ports: &DeclaredPorts,
    diagnostics: &mut Diagnostics,
) -> Option<Health> {
    let fields = Fields::read(&block.items, block.span(), &HEALTH, diagnostics);
    let kind = kind(&fields, block, diagnostics)?;
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
    let check = match kind {
        HealthKind::Http => http(&fields, block, ports, diagnostics)?,
        HealthKind::Tcp => tcp(&fields, block, ports, diagnostics)?,
        HealthKind::Command => command(&fields, diagnostics)?,
    };
    Some(Health {
        check,
        interval_ms,
        timeout_ms,
    })
}

/// The one kind of probe the block gives; reports none or several.
fn kind(fields: &Fields, block: &Block, diagnostics: &mut Diagnostics) -> Option<HealthKind> {
    let kinds: Vec<HealthKind> = HealthKind::ALL
        .into_iter()
        .filter(|k| fields.attribute(k.as_str()).is_some())
        .collect();
    if let [kind] = kinds.as_slice() {
        return Some(*kind);
    }
    // An unknown key (`htp`, `grpc`) is the mistake, reported already
    // with the attributes a health check takes.
    if kinds.is_empty() && fields.has_unknown() {
        return None;
    }
    let message = if kinds.is_empty() {
        "a health check needs one of `http`, `tcp` or `command`".to_string()
    } else {
        let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
        format!(
            "a health check takes one of `http`, `tcp` or `command`, not `{}`",
            names.join("` and `")
        )
    };
    diagnostics.push(
        Diagnostic::error(Code::MissingAttribute, message)
            .at(block.kind.span)
            .with_help("for example `health { http = \"/health\" }` or `health { tcp = db }`"),
    );
    None
}

fn http(
    fields: &Fields,
    block: &Block,
    ports: &DeclaredPorts,
    diagnostics: &mut Diagnostics,
) -> Option<HealthCheck> {
    let path = fields.string("http", diagnostics)?;
    check_http_path(path, PathKind::Health, diagnostics);
    let port_name = fields.name("port", diagnostics);
    let port = ports.resolve_tcp(port_name, block.kind.span, "the health check", diagnostics)?;
    Some(HealthCheck::Http {
        path: path.value.to_string(),
        port,
    })
}

fn tcp(
    fields: &Fields,
    block: &Block,
    ports: &DeclaredPorts,
    diagnostics: &mut Diagnostics,
) -> Option<HealthCheck> {
    if let Some(port) = fields.attribute("port") {
        diagnostics.push(
            Diagnostic::error(
                Code::UnknownAttribute,
                "a TCP health check names its port in `tcp`",
            )
            .at(port.key.span)
            .with_help("write `tcp = PORT_NAME` and remove `port`"),
        );
    }
    let port_name = fields.name("tcp", diagnostics)?;
    let port = ports.resolve_tcp(
        Some(port_name),
        block.kind.span,
        "the health check",
        diagnostics,
    )?;
    Some(HealthCheck::Tcp { port })
}

fn command(fields: &Fields, diagnostics: &mut Diagnostics) -> Option<HealthCheck> {
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
            Diagnostic::error(Code::OutOfRange, "the health command is empty").at(command.span),
        );
    }
    Some(HealthCheck::Command {
        command: command.value.to_string(),
    })
}
