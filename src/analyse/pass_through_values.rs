//! The values of the `compose { }` pass-through, checked against the
//! Compose service schema, so a value `docker compose config` would refuse
//! is reported by `check`, at the value.
//!
//! The schema is `compose-spec.json` beside this file: the JSON schema
//! built into Docker Compose v5.6.1 (the binary the tests use as the
//! oracle), read out of that binary unchanged. It is the Compose
//! Specification's schema (github.com/compose-spec/compose-spec,
//! `schema/compose-spec.json`), © The Compose Specification Authors,
//! Apache License 2.0; embedded unmodified. Compose interpolates before
//! it validates, so a value holding a `${...}` reference is never refused
//! here. The forms Compose parses itself, beyond the schema (durations,
//! byte sizes, ...), are checked by [`pass_through_forms`](super::pass_through_forms).

use super::pass_through_forms::forms;
use super::pass_through_node::{NodeKind, PassNode};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::format_duration;
use crate::source::Span;
use crate::syntax::ast::{Ident, ValueKind};
use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{ValidationError, Validator};
use serde_json::{Map, Value as Json};
use std::sync::OnceLock;

/// The Compose schema document (JSON, draft 2020-12).
const SCHEMA: &str = include_str!("compose-spec.json");

/// Checks the values of the keys that passed the key checks: `keyed` are
/// the keys of a service (or, when `hook`, of one `pre_start` hook) with
/// their values as written. A hook list is checked hook by hook, by the
/// hook's own call, so a service's `pre_start` is left out here.
pub fn check_values(keyed: &[(&Ident, &PassNode)], hook: bool, diagnostics: &mut Diagnostics) {
    let mut instance = Map::new();
    for (key, node) in keyed {
        if key.name == "pre_start" && !hook {
            continue;
        }
        if let Some(json) = to_json(node) {
            instance.insert(key.name.to_string(), json);
        }
        forms(key, node, diagnostics);
    }
    let Some(validator) = validator(hook) else {
        return;
    };
    let instance = Json::Object(instance);
    let mut reported: Vec<String> = Vec::new();
    for error in validator.iter_errors(&instance) {
        let path = segments(error.instance_path().as_str());
        let Some(node) = at(keyed, &path) else {
            continue;
        };
        let dotted = dotted(&path);
        if holds_reference(node) || reported.contains(&dotted) {
            continue;
        }
        diagnostics.push(diagnostic(&error, &dotted, node));
        reported.push(dotted);
    }
}

/// The validator of a service (`hook` false) or of a `pre_start` hook;
/// `None` if the embedded schema does not load (a unit test sees it does).
fn validator(hook: bool) -> Option<&'static Validator> {
    static SERVICE: OnceLock<Option<Validator>> = OnceLock::new();
    static HOOK: OnceLock<Option<Validator>> = OnceLock::new();
    let (cell, definition) = if hook {
        (&HOOK, "pre_start_hook")
    } else {
        (&SERVICE, "service")
    };
    cell.get_or_init(|| build(definition)).as_ref()
}

/// A validator for the schema's definition `name`: the document with its
/// root replaced by a reference to `#/$defs/<name>`.
fn build(name: &str) -> Option<Validator> {
    let document = rooted_at(SCHEMA, &format!("#/$defs/{name}"))?;
    jsonschema::options().build(&document).ok()
}

/// The JSON schema `schema` with its root replaced by a reference to
/// `reference` (`#/$defs/service`): a validator of that definition, which
/// keeps the document's other definitions for its own references. `None`
/// when `schema` is not a JSON object.
pub(super) fn rooted_at(schema: &str, reference: &str) -> Option<Json> {
    let Json::Object(mut document) = serde_json::from_str::<Json>(schema).ok()? else {
        return None;
    };
    for root_only in [
        "type",
        "properties",
        "patternProperties",
        "additionalProperties",
        "required",
    ] {
        document.remove(root_only);
    }
    document.insert("$ref".into(), Json::String(reference.to_string()));
    Some(Json::Object(document))
}

/// The value as Compose receives it; `None` for a value already reported
/// when it was lowered (a percentage, a number with leading zeros).
pub(super) fn to_json(node: &PassNode) -> Option<Json> {
    Some(match &node.kind {
        NodeKind::String(literal) => Json::String(literal.value.to_string()),
        NodeKind::Name(name) => Json::String((*name).to_string()),
        NodeKind::Scalar(value) => match &value.kind {
            ValueKind::Integer(n) if written_as(node, *n) => Json::from(*n),
            ValueKind::Boolean(b) => Json::Bool(*b),
            ValueKind::Duration(ms) => Json::String(format_duration(*ms)),
            _ => return None,
        },
        NodeKind::List(items) => Json::Array(items.iter().map(to_json).collect::<Option<_>>()?),
        NodeKind::Map(entries) => Json::Object(
            entries
                .iter()
                .map(|(k, v)| to_json(v).map(|v| (k.name.to_string(), v)))
                .collect::<Option<_>>()?,
        ),
    })
}

/// Whether the number `n` is written as Compose writes it back.
fn written_as(node: &PassNode, n: i64) -> bool {
    node.span.end.saturating_sub(node.span.start) as usize == n.to_string().len()
}

/// The segments of a JSON pointer (`/ulimits/nofile`), unescaped.
pub(super) fn segments(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// The key path as the user writes it: `ulimits.nofile`, `extra_hosts[0]`.
pub(super) fn dotted(path: &[String]) -> String {
    let mut out = String::new();
    for segment in path {
        if segment.parse::<usize>().is_ok() {
            out.push_str(&format!("[{segment}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(segment);
        }
    }
    out
}

/// The node at `path` (map keys and list indices) below the keys.
pub(super) fn at<'n, 'a>(
    keyed: &'n [(&Ident, &'n PassNode<'a>)],
    path: &[String],
) -> Option<&'n PassNode<'a>> {
    let (first, rest) = path.split_first()?;
    let (_, mut node) = keyed.iter().find(|(k, _)| &k.name == first)?;
    for segment in rest {
        node = match &node.kind {
            NodeKind::Map(entries) => entries
                .iter()
                .find(|(k, _)| &k.name == segment)
                .map(|(_, v)| v)?,
            NodeKind::List(items) => items.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

/// Whether a string in the value holds a `${...}` reference, which Compose
/// replaces before it validates.
pub fn holds_reference(node: &PassNode) -> bool {
    match &node.kind {
        NodeKind::String(literal) => literal.value.contains("${"),
        NodeKind::List(items) => items.iter().any(holds_reference),
        NodeKind::Map(entries) => entries.iter().any(|(_, v)| holds_reference(v)),
        NodeKind::Name(_) | NodeKind::Scalar(_) => false,
    }
}

/// E0110 for a value of a type Compose does not take there, E0108 for a
/// value outside the form the schema allows.
fn diagnostic(error: &ValidationError, path: &str, node: &PassNode) -> Diagnostic {
    match error.kind() {
        ValidationErrorKind::Type { kind } => {
            let expected = expected(kind);
            let found = found(node);
            let help = match (node.text(), &node.kind, expected.as_str()) {
                (None, NodeKind::Scalar(_), e) if e.contains("string") => {
                    format!("quote it: `\"{}\"`", written(node))
                }
                _ => format!("write {expected} here"),
            };
            Diagnostic::error(
                Code::WrongType,
                format!("`{path}`: Compose expects {expected}, found {found}"),
            )
            .at(node.span)
            .with_label(format!("this is {found}"))
            .with_help(help)
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => Diagnostic::error(
            Code::UnknownAttribute,
            format!(
                "`{path}`: Compose does not take `{}` here",
                unexpected.join("`, `")
            ),
        )
        .at(key_span(node, unexpected).unwrap_or(node.span))
        .with_label("unknown key")
        .with_help("the keys Compose takes are in the Compose specification"),
        _ => Diagnostic::error(
            Code::OutOfRange,
            format!("`{path}`: Compose refuses this value: {}", error.masked()),
        )
        .at(node.span)
        .with_label("refused by the Compose schema")
        .with_help("the forms Compose takes are in the Compose specification"),
    }
}

/// Where the first of the `unexpected` keys of a map is written.
pub(super) fn key_span(node: &PassNode, unexpected: &[String]) -> Option<Span> {
    let first = unexpected.first()?;
    node.entry(first).map(|(key, _)| key.span)
}

/// The type(s) the schema expects, in words.
pub(super) fn expected(kind: &TypeKind) -> String {
    let names: Vec<String> = match kind {
        TypeKind::Single(one) => vec![article(&one.to_string())],
        TypeKind::Multiple(set) => set.iter().map(|t| article(&t.to_string())).collect(),
    };
    names.join(" or ")
}

/// `a string`, `an integer`, `an array` (a list), `an object` (a map).
fn article(json_type: &str) -> String {
    match json_type {
        "array" => "a list".into(),
        "object" => "a map".into(),
        "integer" => "an integer".into(),
        other => format!("a {other}"),
    }
}

/// What the value is, in words.
pub(super) fn found(node: &PassNode) -> String {
    match &node.kind {
        NodeKind::String(_) | NodeKind::Name(_) => "a string".into(),
        NodeKind::Scalar(value) => value.kind.describe().to_string(),
        NodeKind::List(_) => "a list".into(),
        NodeKind::Map(_) => "a map".into(),
    }
}

/// A scalar as Compose receives it (`1000`, `true`, `30s`).
fn written(node: &PassNode) -> String {
    match to_json(node) {
        Some(Json::String(s)) => s,
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::validator;

    /// The codes of the diagnostics of a component with the pass-through
    /// `compose`.
    fn codes(compose: &str) -> Vec<&'static str> {
        crate::analyse::tests::codes(&format!(
            "stack s {{ }}\ncomponent api {{\n  image = \"a:1\"\n  compose {{\n{compose}\n  }}\n}}\n"
        ))
    }

    #[test]
    fn values_compose_takes_pass() {
        for compose in [
            r#"user = "${UID}"  cpus = "${CPUS}"  mem_limit = "${MEM}""#,
            r#"stop_grace_period = 10s  mem_limit = 512  shm_size = "1 GiB"  cpus = 1"#,
            r#"ulimits { nofile { soft = 1024  hard = "2048" }  nproc = 64 }"#,
            r#"extra_hosts = { db = "10.0.0.2" }  restart = "on-failure:3""#,
            r#"deploy { resources { limits { cpus = "0.5"  memory = "1g" } } }"#,
        ] {
            assert_eq!(codes(compose), Vec::<&str>::new(), "{compose}");
        }
    }

    #[test]
    fn values_compose_refuses_are_reported() {
        for (compose, code) in [
            ("deploy { foo = 1 }", "E0109"),
            ("logging { driver = 5 }", "E0110"),
            ("read_only = [true]", "E0110"),
            (r#"deploy { restart_policy { delay = "5 sec" } }"#, "E0108"),
            (r#"ulimits { nofile { soft = "x"  hard = 2 } }"#, "E0108"),
        ] {
            assert_eq!(codes(compose), vec![code], "{compose}");
        }
    }

    #[test]
    fn the_embedded_schema_loads() {
        assert!(validator(false).is_some());
        assert!(validator(true).is_some());
    }
}
