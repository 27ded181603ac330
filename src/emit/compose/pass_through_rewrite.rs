//! The pass-through keys stackc adjusts so a Compose file under
//! `generated/compose/...` means what the spec says: relative host paths
//! (in `volumes`, `env_file`, `label_file`, `develop.watch[].path`, a
//! `security_opt` seccomp profile, and the same keys of each `pre_start`
//! hook), and the default network in `networks`.

use super::host_path::{split_short_volume, HostPath};
use crate::model::{PassValue, Text, TextPart};

/// The network Compose attaches a service to when it names none.
pub const DEFAULT_NETWORK: &str = "default";

/// Values of a `security_opt` seccomp profile that are not files.
const SECCOMP_NOT_FILES: &[&str] = &["unconfined", "builtin"];

/// The value to write for pass-through `key`, when it differs from `value`.
/// `root` is the workspace root seen from the compose file's folder.
pub fn rewrite(key: &str, value: &PassValue, root: &str) -> Option<PassValue> {
    match key {
        "networks" => with_default_network(value),
        "develop" => rewrite_watch_paths(value, root),
        "pre_start" => rewrite_hooks(value, root),
        _ => rewrite_container_key(key, value, root),
    }
}

/// The keys with host paths that a service and its `pre_start` hooks share.
fn rewrite_container_key(key: &str, value: &PassValue, root: &str) -> Option<PassValue> {
    match key {
        "volumes" => rewrite_volumes(value, root),
        "env_file" | "label_file" => rewrite_path_list(value, root),
        "security_opt" => rewrite_seccomp_profiles(value, root),
        _ => None,
    }
}

/// `[{ command = [...]  volumes = ["./x:/x"] ... }]`: each hook's host
/// paths. A hook's `networks` get no `default`: the hook runs on its
/// service's networks, and nothing reaches a hook by name.
fn rewrite_hooks(value: &PassValue, root: &str) -> Option<PassValue> {
    let PassValue::List(hooks) = value else {
        return None;
    };
    map_items(hooks, |hook| {
        let PassValue::Map(entries) = hook else {
            return None;
        };
        let mut changed = false;
        let entries = entries
            .iter()
            .map(
                |(key, value)| match rewrite_container_key(key, value, root) {
                    Some(new) => {
                        changed = true;
                        (key.clone(), new)
                    }
                    None => (key.clone(), value.clone()),
                },
            )
            .collect();
        changed.then_some(PassValue::Map(entries))
    })
}

/// `{ watch = [{ path = "./src"  action = "sync" ... }] }`.
fn rewrite_watch_paths(value: &PassValue, root: &str) -> Option<PassValue> {
    let PassValue::Map(entries) = value else {
        return None;
    };
    let index = entries.iter().position(|(k, _)| k == "watch")?;
    let PassValue::List(rules) = &entries.get(index)?.1 else {
        return None;
    };
    let rules = map_items(rules, |rule| match rule {
        PassValue::Map(rule) => rebase_entry(rule, "path", root),
        _ => None,
    })?;
    let mut entries = entries.clone();
    if let Some(entry) = entries.get_mut(index) {
        entry.1 = rules;
    }
    Some(PassValue::Map(entries))
}

/// `["seccomp=./seccomp.json", "no-new-privileges:true"]`: the profile of
/// `seccomp=PATH` or `seccomp:PATH`, which Compose reads relative to the
/// compose file's folder.
fn rewrite_seccomp_profiles(value: &PassValue, root: &str) -> Option<PassValue> {
    let PassValue::List(items) = value else {
        return None;
    };
    map_items(items, |item| {
        let PassValue::String(option) = item else {
            return None;
        };
        let (first, rest) = option.parts.split_first()?;
        let TextPart::Literal(literal) = first else {
            return None;
        };
        let split = ["seccomp=", "seccomp:"]
            .iter()
            .find_map(|prefix| literal.strip_prefix(prefix).map(|path| (*prefix, path)));
        let (prefix, path) = split?;
        if rest.is_empty() && SECCOMP_NOT_FILES.contains(&path) {
            return None;
        }
        let mut profile = vec![TextPart::Literal(path.to_string())];
        profile.extend(rest.iter().cloned());
        let rebased = HostPath(&Text { parts: profile }).rebased(root)?;
        let mut parts = vec![TextPart::Literal(prefix.to_string())];
        parts.extend(rebased.parts);
        Some(PassValue::String(Text { parts }))
    })
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

/// `".env"`, `["./a.env", ...]` or `[{ path = "./a.env"  required = false }]`
/// (`env_file`; `label_file` takes the first two forms).
fn rewrite_path_list(value: &PassValue, root: &str) -> Option<PassValue> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: &str) -> PassValue {
        PassValue::String(Text::literal(value))
    }

    fn map(entries: &[(&str, PassValue)]) -> PassValue {
        PassValue::Map(
            entries
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    fn list(items: &[PassValue]) -> PassValue {
        PassValue::List(items.to_vec())
    }

    /// The value as Compose will read it (texts merged), to compare.
    fn show(value: &PassValue) -> String {
        match value {
            PassValue::String(text) => text.to_compose(),
            PassValue::Integer(n) => n.to_string(),
            PassValue::Boolean(b) => b.to_string(),
            PassValue::List(items) => {
                let items: Vec<String> = items.iter().map(show).collect();
                format!("[{}]", items.join(", "))
            }
            PassValue::Map(entries) => {
                let entries: Vec<String> = entries
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", show(v)))
                    .collect();
                format!("{{{}}}", entries.join(", "))
            }
        }
    }

    fn shown(value: PassValue) -> Option<String> {
        Some(show(&value))
    }

    fn rewritten(key: &str, value: &PassValue) -> Option<String> {
        rewrite(key, value, "../../..").as_ref().map(show)
    }

    #[test]
    fn label_files_are_rebased_like_env_files() {
        assert_eq!(
            rewritten("label_file", &text("config/app.labels")),
            shown(text("../../../config/app.labels"))
        );
        assert_eq!(
            rewritten(
                "label_file",
                &list(&[text("./a.labels"), text("/etc/b.labels")])
            ),
            shown(list(&[text("../../../a.labels"), text("/etc/b.labels")]))
        );
        assert_eq!(rewritten("label_file", &text("/etc/app.labels")), None);
    }

    #[test]
    fn watch_paths_are_rebased() {
        let develop = |path: &str| {
            map(&[(
                "watch",
                list(&[map(&[("path", text(path)), ("action", text("sync"))])]),
            )])
        };
        assert_eq!(
            rewritten("develop", &develop("./src")),
            shown(develop("../../../src"))
        );
        assert_eq!(rewritten("develop", &develop("/srv/src")), None);
        assert_eq!(rewritten("develop", &map(&[])), None);
    }

    #[test]
    fn seccomp_profiles_are_rebased_and_other_options_kept() {
        let options = list(&[
            text("seccomp=./seccomp.json"),
            text("seccomp:profiles/a.json"),
            text("seccomp=unconfined"),
            text("seccomp:builtin"),
            text("apparmor=docker-default"),
            text("no-new-privileges:true"),
        ]);
        let want = list(&[
            text("seccomp=../../../seccomp.json"),
            text("seccomp:../../../profiles/a.json"),
            text("seccomp=unconfined"),
            text("seccomp:builtin"),
            text("apparmor=docker-default"),
            text("no-new-privileges:true"),
        ]);
        assert_eq!(rewritten("security_opt", &options), shown(want));
        let absolute = list(&[text("seccomp=/etc/seccomp.json")]);
        assert_eq!(rewritten("security_opt", &absolute), None);
    }

    #[test]
    fn hooks_get_their_paths_rebased_and_no_default_network() {
        let hook = |volume: &str, env_file: &str| {
            map(&[
                ("volumes", list(&[text(volume)])),
                ("env_file", text(env_file)),
                ("networks", list(&[text("backend")])),
            ])
        };
        let hooks = list(&[hook("./data:/data", "hook.env")]);
        let want = list(&[hook("../../../data:/data", "../../../hook.env")]);
        assert_eq!(rewritten("pre_start", &hooks), shown(want));
        let untouched = list(&[hook("/srv:/data", "/etc/hook.env")]);
        assert_eq!(rewritten("pre_start", &untouched), None);
    }
}
