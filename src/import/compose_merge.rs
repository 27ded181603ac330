//! Compose's merge of a service into the service it `extends`, on the
//! YAML values, before either is converted (so what is reported is what
//! the merged service says, at the place each value is written).
//!
//! The rules are the Compose specification's ("Merge and override",
//! compose-go's `override/merge.go`), checked against `docker compose
//! config`:
//! - mappings are merged key by key, recursively;
//! - `environment`, `labels`, `annotations`, `sysctls`, `build.args`,
//!   `build.labels`, `deploy.labels` are merged by key, whether written as
//!   a list (`KEY=VALUE`) or a map;
//! - `extra_hosts` entries are added, not replaced (a host may have
//!   several addresses: `h1:10.0.0.1` and `h1:10.0.0.9` both stay);
//! - `command`, `entrypoint` and `healthcheck.test` are replaced;
//! - `volumes` are merged by their target (the service's own entry
//!   replaces the base's for the same target), other sequences (`ports`,
//!   `expose`, `cap_add`, `dns`, `devices`, ...) are appended, without
//!   entries the base already has;
//! - `logging` is replaced when the two name different drivers, otherwise
//!   merged (`options` by key);
//! - `build` written as a string is `{ context: ... }`;
//! - a key tagged `!override` replaces the base's value, `!reset` takes
//!   it away;
//! - a `healthcheck` that turns the check off replaces the base's.

use super::service::turns_health_off;
use super::yaml::{Key, Node, Tag, Value};

/// Keys (paths below a service, `*` for any name) whose value is a set of
/// `KEY=VALUE` entries, merged by key.
const BY_KEY: &[&str] = &[
    "environment",
    "labels",
    "annotations",
    "sysctls",
    "build.args",
    "build.labels",
    "deploy.labels",
];

/// Keys whose value replaces the base's.
const REPLACED: &[&str] = &["command", "entrypoint", "healthcheck.test"];

/// The service `base` with the service `own` merged on top. `own`'s
/// `extends` key is kept (conversion skips it); the base's is not.
pub fn merge_service(base: &Node, own: &Node) -> Node {
    let mut base = base.clone();
    if let Value::Map(entries) = &mut base.value {
        entries.retain(|(k, _)| k.name != "extends");
    }
    if own.get("healthcheck").is_some_and(turns_health_off) {
        if let Value::Map(entries) = &mut base.value {
            entries.retain(|(k, _)| k.name != "healthcheck");
        }
    }
    merge(&base, own, "")
}

/// Merges `own` on top of `base`, `path` being where they are below the
/// service (`build.args`).
fn merge(base: &Node, own: &Node, path: &str) -> Node {
    let child = |key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    if REPLACED.contains(&path) {
        return own.clone();
    }
    if BY_KEY.contains(&path) {
        return by_key(base, own);
    }
    match path {
        "build" => return merge(&build_map(base), &build_map(own), "build.map"),
        "logging" => {
            let driver = |n: &Node| n.get("driver").and_then(Node::scalar_text);
            if let (Some(a), Some(b)) = (driver(base), driver(own)) {
                if a != b {
                    return own.clone();
                }
            }
        }
        "volumes" => return by_target(base, own),
        _ => {}
    }
    // `build.map` is `build` once both are maps: its keys are `build.*`.
    let path = if path == "build.map" { "build" } else { path };
    let child = |key: &str| {
        if path == "build" {
            format!("build.{key}")
        } else {
            child(key)
        }
    };
    match (&base.value, &own.value) {
        (Value::Map(a), Value::Map(b)) => {
            let mut out: Vec<(Key, Node)> = Vec::new();
            for (key, value) in a {
                match b.iter().find(|(k, _)| k.name == key.name) {
                    None => out.push((key.clone(), value.clone())),
                    Some((k, v)) => match k.tag {
                        Some(Tag::Reset) => {}
                        Some(Tag::Override) => out.push((k.clone(), v.clone())),
                        None => out.push((k.clone(), merge(value, v, &child(&k.name)))),
                    },
                }
            }
            for (key, value) in b {
                if key.tag != Some(Tag::Reset) && !a.iter().any(|(k, _)| k.name == key.name) {
                    out.push((key.clone(), value.clone()));
                }
            }
            Node {
                value: Value::Map(out),
                ..own.clone()
            }
        }
        (Value::List(a), Value::List(b)) => {
            let mut out = a.clone();
            for item in b {
                if !out.iter().any(|o| same(o, item)) {
                    out.push(item.clone());
                }
            }
            Node {
                value: Value::List(out),
                ..own.clone()
            }
        }
        // A scalar (`dns: 8.8.8.8`, `tmpfs: /run`) and a list: one list.
        (Value::List(_), _) if own.scalar_text().is_some() => merge(base, &listed(own), path),
        (_, Value::List(_)) if base.scalar_text().is_some() => merge(&listed(base), own, path),
        _ => own.clone(),
    }
}

/// A scalar as a list of itself.
fn listed(node: &Node) -> Node {
    Node {
        value: Value::List(vec![node.clone()]),
        ..node.clone()
    }
}

/// `build: PATH` as `build: { context: PATH }`.
fn build_map(node: &Node) -> Node {
    match &node.value {
        Value::String(_) => Node {
            value: Value::Map(vec![(
                Key {
                    name: "context".to_string(),
                    start: node.start,
                    end: node.end,
                    tag: None,
                    file: node.file,
                },
                node.clone(),
            )]),
            ..node.clone()
        },
        _ => node.clone(),
    }
}

/// A set of `KEY=VALUE` entries (a map, or a list of `KEY=VALUE`) merged
/// by key. When both are lists the
/// result is a list (the base's entries first, each replaced in place by
/// the service's of the same key); otherwise a map.
fn by_key(base: &Node, own: &Node) -> Node {
    match (&base.value, &own.value) {
        (Value::List(a), Value::List(b)) => {
            let mut out: Vec<Node> = a.clone();
            for item in b {
                let name = list_key(item);
                match out.iter_mut().find(|o| list_key(o) == name) {
                    Some(slot) => *slot = item.clone(),
                    None => out.push(item.clone()),
                }
            }
            Node {
                value: Value::List(out),
                ..own.clone()
            }
        }
        (Value::Map(a), Value::Map(b)) => {
            let mut out: Vec<(Key, Node)> = Vec::new();
            for (key, value) in a {
                match b.iter().find(|(k, _)| k.name == key.name) {
                    Some((k, _)) if k.tag == Some(Tag::Reset) => {}
                    Some((k, v)) => out.push((k.clone(), v.clone())),
                    None => out.push((key.clone(), value.clone())),
                }
            }
            for (key, value) in b {
                if key.tag != Some(Tag::Reset) && !a.iter().any(|(k, _)| k.name == key.name) {
                    out.push((key.clone(), value.clone()));
                }
            }
            Node {
                value: Value::Map(out),
                ..own.clone()
            }
        }
        (Value::List(_), Value::Map(_)) => by_key(&as_map(base), own),
        (Value::Map(_), Value::List(_)) => by_key(base, &as_map(own)),
        _ => own.clone(),
    }
}

/// The key of a `KEY=VALUE` list entry.
fn list_key(item: &Node) -> String {
    let text = item.scalar_text().unwrap_or_default();
    text.split_once('=')
        .map_or(text.clone(), |(k, _)| k.to_string())
}

/// A list of `KEY=VALUE` entries as a map (`KEY` alone: a null value).
fn as_map(node: &Node) -> Node {
    let entries = node
        .as_list()
        .unwrap_or_default()
        .iter()
        .map(|item| {
            let text = item.scalar_text().unwrap_or_default();
            let (name, value) = match text.split_once('=') {
                Some((k, v)) => (k.to_string(), Value::String(v.to_string())),
                None => (text.clone(), Value::Null),
            };
            (
                Key {
                    name,
                    start: item.start,
                    end: item.end,
                    tag: None,
                    file: item.file,
                },
                Node {
                    value,
                    ..item.clone()
                },
            )
        })
        .collect();
    Node {
        value: Value::Map(entries),
        ..node.clone()
    }
}

/// `volumes`: the service's entries replace the base's of the same
/// target (where the volume is mounted in the container), in place; the
/// others are added.
fn by_target(base: &Node, own: &Node) -> Node {
    let (Some(a), Some(b)) = (base.as_list(), own.as_list()) else {
        return own.clone();
    };
    let mut out: Vec<Node> = a.to_vec();
    for item in b {
        let target = target(item);
        match out
            .iter()
            .position(|o| target.is_some() && self::target(o) == target)
        {
            Some(i) => {
                if let Some(slot) = out.get_mut(i) {
                    *slot = item.clone();
                }
            }
            None => out.push(item.clone()),
        }
    }
    Node {
        value: Value::List(out),
        ..own.clone()
    }
}

/// Where a volume entry is mounted: `SOURCE:TARGET[:MODE]`, `TARGET`, or
/// the long form's `target`.
fn target(item: &Node) -> Option<String> {
    match &item.value {
        Value::String(s) => {
            let mut parts = s.split(':');
            let first = parts.next()?;
            Some(parts.next().unwrap_or(first).to_string())
        }
        Value::Map(_) => item.get("target").and_then(Node::scalar_text),
        _ => None,
    }
}

/// Whether two entries of a sequence are the same value.
fn same(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, p)| y.iter().any(|(l, q)| k.name == l.name && same(p, q)))
        }
        _ => a.scalar_text() == b.scalar_text() && a.scalar_text().is_some(),
    }
}
