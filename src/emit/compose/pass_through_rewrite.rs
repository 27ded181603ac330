//! The pass-through keys stackc adjusts so a Compose file under
//! `generated/compose/...` means what the spec says: relative host paths
//! in `volumes` and `env_file`, and the default network in `networks`.

use super::host_path::{split_short_volume, HostPath};
use crate::model::{PassValue, Text, TextPart};

/// The network Compose attaches a service to when it names none.
pub const DEFAULT_NETWORK: &str = "default";

/// The value to write for pass-through `key`, when it differs from `value`.
/// `root` is the workspace root seen from the compose file's folder.
pub fn rewrite(key: &str, value: &PassValue, root: &str) -> Option<PassValue> {
    match key {
        "volumes" => rewrite_volumes(value, root),
        "env_file" => rewrite_env_files(value, root),
        "networks" => with_default_network(value),
        _ => None,
    }
}

/// `["./data:/data", { type = "bind"  source = "./conf" ... }]`.
fn rewrite_volumes(value: &PassValue, root: &str) -> Option<PassValue> {
    let PassValue::List(items) = value else {
        return None;
    };
    map_items(items, |item| match item {
        PassValue::String(spec) => {
            let (source, rest) = split_short_volume(spec)?;
            // Compose reads a source starting with `.` as a path, any
            // other relative one as a volume name.
            if !matches!(source.parts.first(), Some(TextPart::Literal(s)) if s.starts_with('.')) {
                return None;
            }
            let mut rebased = HostPath(&source).rebased(root)?;
            rebased.parts.extend(rest.parts);
            Some(PassValue::String(rebased))
        }
        PassValue::Map(entries) => {
            let bind = entries
                .iter()
                .any(|(k, v)| k == "type" && is_literal(v, "bind"));
            if bind {
                rebase_entry(entries, "source", root)
            } else {
                None
            }
        }
        _ => None,
    })
}

/// `".env"`, `["./a.env", ...]` or `[{ path = "./a.env"  required = false }]`.
fn rewrite_env_files(value: &PassValue, root: &str) -> Option<PassValue> {
    let rebase = |item: &PassValue| match item {
        PassValue::String(path) => HostPath(path).rebased(root).map(PassValue::String),
        PassValue::Map(entries) => rebase_entry(entries, "path", root),
        _ => None,
    };
    match value {
        PassValue::List(items) => map_items(items, rebase),
        other => rebase(other),
    }
}

/// A service that names its networks is attached to those only; stackc's
/// dependencies reach each other by service name on the project's default
/// network, so `default` is added unless it is named already.
fn with_default_network(value: &PassValue) -> Option<PassValue> {
    match value {
        PassValue::List(items) if !items.is_empty() => {
            let named = items.iter().any(|item| is_literal(item, DEFAULT_NETWORK));
            (!named).then(|| {
                let mut items = items.clone();
                items.push(PassValue::String(Text::literal(DEFAULT_NETWORK)));
                PassValue::List(items)
            })
        }
        PassValue::Map(entries) if !entries.is_empty() => {
            let named = entries.iter().any(|(name, _)| name == DEFAULT_NETWORK);
            (!named).then(|| {
                let mut entries = entries.clone();
                entries.push((DEFAULT_NETWORK.to_string(), PassValue::Map(Vec::new())));
                PassValue::Map(entries)
            })
        }
        _ => None,
    }
}

/// The map with its string entry `key` rebased, when that changes it.
fn rebase_entry(entries: &[(String, PassValue)], key: &str, root: &str) -> Option<PassValue> {
    let index = entries.iter().position(|(k, _)| k == key)?;
    let PassValue::String(path) = &entries.get(index)?.1 else {
        return None;
    };
    let rebased = HostPath(path).rebased(root)?;
    let mut entries = entries.to_vec();
    if let Some(entry) = entries.get_mut(index) {
        entry.1 = PassValue::String(rebased);
    }
    Some(PassValue::Map(entries))
}

/// The list with `change` applied to each item, when it changes any.
fn map_items(
    items: &[PassValue],
    change: impl Fn(&PassValue) -> Option<PassValue>,
) -> Option<PassValue> {
    let mut changed = false;
    let items = items
        .iter()
        .map(|item| match change(item) {
            Some(new) => {
                changed = true;
                new
            }
            None => item.clone(),
        })
        .collect();
    changed.then_some(PassValue::List(items))
}

pub(super) fn is_literal(value: &PassValue, wanted: &str) -> bool {
    matches!(value, PassValue::String(text) if text.is_literal() && text.display() == wanted)
}
