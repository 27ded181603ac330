//! Docker's own Go templates (`{{.Name}}` in `logging.options.tag`,
//! `--format '{{json .}}'`) outside `environment`: the language reads
//! `{{` as its own template and expands templates only in `env` values
//! (E0112 anywhere else), and has no way to write a literal `{{` there, so
//! such a value is left out (W0005) rather than written into a workspace
//! that fails `stackc check`. `environment` values keep theirs
//! (environment.rs writes the braces literally).

use crate::source::FileId;

use super::report::{Place, Reporter};
use super::yaml::{Node, Value};

/// The service `service` without the settings whose value holds `{{`
/// outside `environment` (and `extends`), each reported; `None` when it
/// has none. A map entry holding one is left out (`options.tag`); a list
/// holding one is left out whole (a `command` without one of its words
/// would run something else).
pub fn leave_out(service: &Node, file: FileId, report: &mut Reporter) -> Option<Node> {
    if !holds(service) {
        return None;
    }
    let mut out = service.clone();
    if let Value::Map(entries) = &mut out.value {
        *entries = std::mem::take(entries)
            .into_iter()
            .filter_map(|(key, value)| {
                if matches!(key.name.as_str(), "environment" | "extends") || !holds(&value) {
                    return Some((key, value));
                }
                strip(&value, &key.name, file, report).map(|kept| (key, kept))
            })
            .collect();
    }
    Some(out)
}

/// `value` (of the setting `path`) without what holds `{{`; `None` when it
/// is left out whole (reported), or holds none (kept as it is, above).
fn strip(value: &Node, path: &str, file: FileId, report: &mut Reporter) -> Option<Node> {
    if !holds(value) {
        return None;
    }
    match &value.value {
        Value::Map(entries) => {
            let mut kept = Vec::new();
            for (key, item) in entries {
                let inner = format!("{path}.{}", key.name);
                if !holds(item) {
                    kept.push((key.clone(), item.clone()));
                } else if let Some(item) = strip(item, &inner, file, report) {
                    kept.push((key.clone(), item));
                }
            }
            (!kept.is_empty()).then(|| Node {
                value: Value::Map(kept),
                ..value.clone()
            })
        }
        _ => {
            report.dropped(
                Place::of(file, value),
                format!("`{path}` holds `{{{{`, a Docker template, which the language reads as its own (expanded only in `env` values), so it is not imported"),
                format!("the language has no way to write `{{{{` outside `env`: set `{path}` without a template, or pass the text to the container in an `environment` variable"),
            );
            None
        }
    }
}

/// Whether `node` holds `{{` in a string, anywhere.
fn holds(node: &Node) -> bool {
    match &node.value {
        Value::String(s) => s.contains("{{"),
        Value::List(items) => items.iter().any(holds),
        Value::Map(entries) => entries.iter().any(|(_, v)| holds(v)),
        _ => false,
    }
}
