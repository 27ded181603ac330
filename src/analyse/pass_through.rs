//! The `compose { }` pass-through: Compose service keys stackc does not
//! model, checked only for what would break the files stackc writes.

use super::fields::{set_twice, wrong_type};
use super::labels;
use super::paths::check_host_path;
use super::runtime::runtime_text;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{PassValue, MODELLED_COMPOSE_KEYS};
use crate::source::Span;
use crate::syntax::ast::{Block, Ident, Item, StringLit, Value, ValueKind};

/// The block's keys and values in the order written; keys the Model
/// models ([`MODELLED_COMPOSE_KEYS`]) and keys set twice are reported and
/// left out.
pub fn lower(block: &Block, diagnostics: &mut Diagnostics) -> Vec<(String, PassValue)> {
    let mut out: Vec<(String, PassValue, Span)> = Vec::new();
    for item in &block.items {
        let (key, value) = match item {
            Item::Attribute(attribute) => {
                check_paths(&attribute.key, &attribute.value, diagnostics);
                (&attribute.key, pass_value(&attribute.value, diagnostics))
            }
            Item::Block(nested) if nested.label.is_none() => {
                (&nested.kind, Some(pass_block(nested, diagnostics)))
            }
            other => {
                diagnostics.push(
                    Diagnostic::error(
                        Code::UnknownAttribute,
                        "`compose` holds Compose service keys",
                    )
                    .at(other.span())
                    .with_help("write `key = value`, or `key { ... }` for a nested map"),
                );
                continue;
            }
        };
        if MODELLED_COMPOSE_KEYS.contains(&key.name.as_str()) {
            diagnostics.push(
                Diagnostic::error(
                    Code::PassThroughCollision,
                    format!(
                        "`{}` is written by stackc; the pass-through cannot set it",
                        key.name
                    ),
                )
                .at(key.span)
                .with_label("collides with what stackc writes")
                .with_help(format!(
                    "use {} in the component instead",
                    native_form(&key.name)
                )),
            );
            continue;
        }
        if let Some((_, _, first)) = out.iter().find(|(k, _, _)| *k == key.name) {
            diagnostics.push(set_twice(&key.name, key.span, *first));
            continue;
        }
        if let Some(value) = value {
            out.push((key.name.clone(), value, key.span));
        }
    }
    out.into_iter().map(|(k, v, _)| (k, v)).collect()
}

/// How the spec gives what a modelled Compose key holds.
fn native_form(key: &str) -> &'static str {
    match key {
        "environment" => "an `env { }` block",
        "healthcheck" => "a `health { }` block",
        "depends_on" => "`depends_on = [...]`",
        "image" => "`image = \"...\"`",
        "build" => "`build = \"...\"`",
        "command" => {
            "`command = \"...\"` (run by `/bin/sh -c`) or `command = [\"program\", \"arg\"]`"
        }
        _ => "`ports = { ... }`",
    }
}

fn pass_block(block: &Block, diagnostics: &mut Diagnostics) -> PassValue {
    PassValue::Map(pass_through_nested(block, diagnostics))
}

fn pass_through_nested(block: &Block, diagnostics: &mut Diagnostics) -> Vec<(String, PassValue)> {
    let mut out = Vec::new();
    for item in &block.items {
        match item {
            Item::Attribute(attribute) => {
                if let Some(value) = pass_value(&attribute.value, diagnostics) {
                    out.push((attribute.key.name.clone(), value));
                }
            }
            Item::Block(nested) => {
                labels::forbidden(nested, diagnostics);
                out.push((nested.kind.name.clone(), pass_block(nested, diagnostics)))
            }
            Item::Include(include) => diagnostics.push(
                Diagnostic::error(Code::UnknownAttribute, "`include` is not allowed here")
                    .at(include.span),
            ),
        }
    }
    out
}

fn pass_value(value: &Value, diagnostics: &mut Diagnostics) -> Option<PassValue> {
    Some(match &value.kind {
        ValueKind::String(literal) => PassValue::String(runtime_text(literal, diagnostics)),
        ValueKind::Integer(n) => PassValue::Integer(*n),
        ValueKind::Boolean(b) => PassValue::Boolean(*b),
        ValueKind::Duration(ms) => PassValue::String(crate::model::Text::literal(
            crate::model::format_duration(*ms),
        )),
        ValueKind::Ident(name) => PassValue::String(crate::model::Text::literal(name.clone())),
        ValueKind::Percent(_) => {
            diagnostics.push(wrong_type(
                value,
                "a string, number, boolean, duration, list or map",
            ));
            return None;
        }
        ValueKind::List(items) => PassValue::List(
            items
                .iter()
                .filter_map(|i| pass_value(i, diagnostics))
                .collect(),
        ),
        ValueKind::Map(entries) => PassValue::Map(
            entries
                .iter()
                .filter_map(|e| pass_value(&e.value, diagnostics).map(|v| (e.key.name.clone(), v)))
                .collect(),
        ),
    })
}

/// Host paths in `volumes` and `env_file` are relative to the workspace root
/// (the Compose emitter rewrites them for the generated files' folders), so
/// one that leaves the root would point somewhere nobody meant. A volume
/// source that is not a path must be a name Compose accepts.
fn check_paths(key: &Ident, value: &Value, diagnostics: &mut Diagnostics) {
    let items: Vec<&Value> = match &value.kind {
        ValueKind::List(items) => items.iter().collect(),
        _ => vec![value],
    };
    for item in items {
        match (key.name.as_str(), &item.kind) {
            ("volumes", ValueKind::String(literal)) => {
                // `SOURCE:TARGET[:MODE]`; a lone container path has no source.
                if let Some((source, _)) = literal.value.split_once(':') {
                    check_volume_source(literal, source, diagnostics);
                }
            }
            ("volumes", ValueKind::Map(entries)) => {
                let source = entries.iter().find(|e| e.key.name == "source");
                if let Some(ValueKind::String(literal)) = source.map(|e| &e.value.kind) {
                    check_volume_source(literal, &literal.value, diagnostics);
                }
            }
            ("env_file", ValueKind::String(literal)) => {
                check_host_path(literal, &literal.value, diagnostics);
            }
            ("env_file", ValueKind::Map(entries)) => {
                let path = entries.iter().find(|e| e.key.name == "path");
                if let Some(ValueKind::String(literal)) = path.map(|e| &e.value.kind) {
                    check_host_path(literal, &literal.value, diagnostics);
                }
            }
            _ => {}
        }
    }
}

fn check_volume_source(literal: &StringLit, source: &str, diagnostics: &mut Diagnostics) {
    if source.starts_with('.') {
        check_host_path(literal, source, diagnostics);
        return;
    }
    if source.starts_with(['/', '~', '$']) {
        return;
    }
    let valid = source.starts_with(|c: char| c.is_ascii_alphanumeric())
        && source
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    if !valid {
        diagnostics.push(
            Diagnostic::error(
                Code::InvalidName,
                format!("`{source}` is neither a volume name nor a path"),
            )
            .at(literal.span)
            .with_help(format!(
                "a folder of the workspace starts with `./` (`./{source}`); a named volume takes letters, digits, `_`, `.` and `-`"
            )),
        );
    }
}
