//! A port's `protocol = "udp"` or `protocol = ["tcp", "udp"]`. A protocol
//! may also be written as a bare name (`protocol = udp`, `[tcp, udp]`), as
//! `strategy = canary` and `orchestrator = swarm` are: both read the same.

use super::closed_set;
use super::fields::wrong_type;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::Protocol;
use crate::source::Span;
use crate::syntax::ast::{Value, ValueKind};

/// What `protocol` may be, for the diagnostics that say so.
const WHAT: &str = "`\"tcp\"`, `\"udp\"`, or both as a list: `[\"tcp\", \"udp\"]`";

/// The protocols `value` names, in [`Protocol::ALL`]'s order; `None` when
/// it is wrong (reported): not a string or a list of strings, a word that
/// is not a protocol, an empty list, or a protocol listed twice.
pub fn protocols(value: &Value, diagnostics: &mut Diagnostics) -> Option<Vec<Protocol>> {
    let errors_before = diagnostics.error_count();
    let mut listed: Vec<(Protocol, Span)> = Vec::new();
    match &value.kind {
        ValueKind::String(_) | ValueKind::Ident(_) => {
            if let Some(protocol) = protocol(value, diagnostics) {
                listed.push((protocol, value.span));
            }
        }
        ValueKind::List(items) if items.is_empty() => {
            diagnostics.push(
                Diagnostic::error(Code::OutOfRange, "`protocol` lists no protocol")
                    .at(value.span)
                    .with_help(format!("write {WHAT}; leave `protocol` out for TCP")),
            );
        }
        ValueKind::List(items) => {
            for item in items {
                if !matches!(item.kind, ValueKind::String(_) | ValueKind::Ident(_)) {
                    diagnostics.push(wrong_type(item, "a protocol such as `\"udp\"`"));
                    continue;
                }
                let Some(protocol) = protocol(item, diagnostics) else {
                    continue;
                };
                if let Some((_, first)) = listed.iter().find(|(p, _)| *p == protocol) {
                    diagnostics.push(
                        Diagnostic::error(
                            Code::Duplicate,
                            format!("`{}` is listed twice", protocol.as_str()),
                        )
                        .at(item.span)
                        .with_label("listed again here")
                        .also(*first, "first listed here")
                        .with_help("remove one of them"),
                    );
                    continue;
                }
                listed.push((protocol, item.span));
            }
        }
        _ => diagnostics.push(wrong_type(
            value,
            "a protocol such as `\"udp\"`, or a list such as `[\"tcp\", \"udp\"]`",
        )),
    }
    if diagnostics.error_count() > errors_before {
        return None;
    }
    Some(
        Protocol::ALL
            .into_iter()
            .filter(|p| listed.iter().any(|(q, _)| q == p))
            .collect(),
    )
}

/// The protocol a string or a bare name spells, or `None` (reported).
fn protocol(value: &Value, diagnostics: &mut Diagnostics) -> Option<Protocol> {
    let name = match &value.kind {
        ValueKind::String(literal) => literal.value.as_str(),
        ValueKind::Ident(name) => name.as_str(),
        _ => return None,
    };
    if let Some(protocol) = Protocol::from_name(name) {
        return Some(protocol);
    }
    let lower = name.to_ascii_lowercase();
    let help = match Protocol::from_name(&lower) {
        Some(protocol) => format!("write it in lower case: `\"{}\"`", protocol.as_str()),
        None if lower == "sctp" => format!(
            "SCTP needs the `sctp` kernel module on every host (and a network plugin that carries it on Kubernetes), so stackc does not publish it: write {WHAT}"
        ),
        None => {
            let names = Protocol::ALL.map(Protocol::as_str);
            closed_set::help(&lower, &names, "protocols")
                .map_or_else(|| WHAT.to_string(), |h| format!("{h}; both: `[\"tcp\", \"udp\"]`"))
        }
    };
    diagnostics.push(
        Diagnostic::error(
            Code::OutOfRange,
            format!("`{name}` is not a protocol a port can be published on"),
        )
        .at(value.span)
        .with_help(help),
    );
    None
}
