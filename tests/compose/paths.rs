//! The `storage` fixture's pass-through names volumes and networks and uses
//! relative host paths: Compose must accept every file, find every named
//! volume and network declared, and resolve every relative path against the
//! workspace root (not the generated file's folder). Expected values are
//! written out by hand from the fixture's Stackfile.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::tools::Compose;
use crate::workspaces::{self, Built, Kind};
use crate::Failures;

const LABEL: &str = "tests/fixtures/compose/storage";

fn storage() -> &'static Built {
    workspaces::all()
        .iter()
        .find(|b| b.label == LABEL)
        .unwrap_or_else(|| panic!("{LABEL} was not built"))
}

/// `config --format json`, with env files listed instead of read when
/// `env_files` is false.
fn config(built: &Built, file: &str, env_files: bool) -> Value {
    let path = built.path(file).display().to_string();
    let mut args = vec!["-f", &path, "config", "--format", "json"];
    if !env_files {
        args.push("--no-env-resolution");
    }
    let text = Compose::get().ok(&args, &built.vars);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: no JSON ({e}): {text}"))
}

/// (type, source, target) of each mount, in order; `~` is the workspace.
fn expected_mounts(service: &str) -> Vec<(&'static str, &'static str, &'static str)> {
    match service {
        "db" => vec![
            ("volume", "pgdata", "/var/lib/postgresql/data"),
            ("bind", "~/initdb", "/docker-entrypoint-initdb.d"),
        ],
        "cache" => vec![
            ("volume", "cache-data", "/data"),
            ("bind", "~/config/redis.conf", "/etc/redis.conf"),
        ],
        "api" => vec![
            ("bind", "~", "/workspace"),
            ("bind", "/srv/storage-demo/logs", "/logs"),
        ],
        "web" => vec![
            ("bind", "~/config", "/srv/config"),
            ("volume", "", "/tmp/cache"),
        ],
        other => panic!("unexpected service {other}"),
    }
}

fn expected_networks(service: &str) -> &'static [&'static str] {
    match service {
        "db" | "cache" => &["backend", "default"],
        "api" => &["backend", "default", "frontend"],
        "web" => &["default", "frontend"],
        other => panic!("unexpected service {other}"),
    }
}

/// (path, required) of each env file; `~` is the workspace.
fn expected_env_files(service: &str) -> Vec<(&'static str, bool)> {
    match service {
        "db" => vec![("~/.env", true)],
        "api" => vec![("~/config/api.env", true), ("~/config/optional.env", false)],
        _ => Vec::new(),
    }
}

fn keys(value: &Value) -> BTreeSet<String> {
    value
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

#[test]
fn named_volumes_and_networks_are_declared_and_paths_resolve_in_the_workspace() {
    let built = storage();
    let workspace = built.workspace.display().to_string();
    let absolute = |path: &str| match path.strip_prefix('~') {
        Some(rest) => format!("{workspace}{rest}"),
        None => path.to_string(),
    };
    let mut failures = Failures::default();
    for (file, _) in &built.files {
        let at = |what: &str| format!("{file}: {what}");
        let listed = config(built, file, false);
        let services = listed["services"].as_object().cloned().unwrap_or_default();
        let mut volumes = BTreeSet::new();
        let mut networks = BTreeSet::new();
        for (name, service) in &services {
            let mounts: Vec<(String, String, String)> = service["volumes"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .map(|m| {
                    let field = |k: &str| m[k].as_str().unwrap_or_default().to_string();
                    (field("type"), field("source"), field("target"))
                })
                .collect();
            let want: Vec<(String, String, String)> = expected_mounts(name)
                .into_iter()
                .map(|(t, s, d)| (t.to_string(), absolute(s), d.to_string()))
                .collect();
            failures.equal(&at(&format!("{name}.volumes")), mounts, want.clone());
            volumes.extend(
                want.iter()
                    .filter(|(t, s, _)| t == "volume" && !s.is_empty())
                    .map(|(_, s, _)| s.clone()),
            );

            let attached = keys(&service["networks"]);
            let want: BTreeSet<String> = expected_networks(name)
                .iter()
                .map(|n| n.to_string())
                .collect();
            failures.equal(&at(&format!("{name}.networks")), attached, want.clone());
            networks.extend(want);

            let env_files: Vec<(String, bool)> = service["env_file"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .map(|f| {
                    let path = f["path"].as_str().unwrap_or_default().to_string();
                    (path, f["required"].as_bool().unwrap_or(true))
                })
                .collect();
            let want: Vec<(String, bool)> = expected_env_files(name)
                .into_iter()
                .map(|(p, r)| (absolute(p), r))
                .collect();
            failures.equal(&at(&format!("{name}.env_file")), env_files, want);
        }
        failures.equal(&at("top-level volumes"), keys(&listed["volumes"]), volumes);
        failures.equal(
            &at("top-level networks"),
            keys(&listed["networks"]),
            networks,
        );

        // The env files' values reach the services.
        let resolved = config(built, file, true);
        let value = |service: &str, var: &str| {
            resolved["services"][service]["environment"][var]
                .as_str()
                .map(str::to_string)
        };
        if services.contains_key("db") {
            failures.equal(
                &at("db FROM_DOT_ENV"),
                value("db", "FROM_DOT_ENV"),
                Some("workspace-root".into()),
            );
        }
        if services.contains_key("api") {
            failures.equal(
                &at("api FROM_API_ENV"),
                value("api", "FROM_API_ENV"),
                Some("config-folder".into()),
            );
        }
    }
    // Every kind of file was looked at.
    let kinds: BTreeSet<&str> = built
        .files
        .iter()
        .map(|(f, _)| match Kind::of(f) {
            Kind::Fragment(_) => "fragment",
            Kind::TestStack(_) => "test",
            Kind::Environment(_) => "environment",
        })
        .collect();
    assert_eq!(kinds.len(), 3, "{kinds:?}");
    failures.assert_none();
}
