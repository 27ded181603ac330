//! The Compose artifacts, checked by the real tools: Docker Compose v2
//! (`config`, the merge of fragments) and PyYAML (a YAML 1.1 reader), over
//! every workspace under `examples/` and `tests/fixtures/compose/`.
//! Run with `cargo test --test compose`.

mod builds;
mod determinism;
mod host_paths;
mod hostile;
mod language;
mod merge;
mod model_values;
mod networks;
mod paths;
mod probes;
mod protocols;
mod readers;
mod schema;
mod secrets;
#[allow(dead_code)]
#[path = "../support/tools.rs"]
mod shared_tools;
mod slots;
mod snapshots;
mod tools;
mod values;
mod workspaces;

use std::collections::BTreeMap;

use serde_json::Value;

use tools::Compose;
use workspaces::Built;

/// `docker compose -f FILE... config --format json`, parsed.
pub fn compose_json(built: &Built, files: &[&str], project: Option<&str>) -> Value {
    let mut args: Vec<String> = Vec::new();
    for file in files {
        args.push("-f".into());
        args.push(built.path(file).display().to_string());
    }
    if let Some(project) = project {
        args.push("-p".into());
        args.push(project.into());
    }
    args.extend(["config".into(), "--format".into(), "json".into()]);
    let text = Compose::get().ok(&args, &built.vars);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("Compose printed no JSON ({e}): {text}"))
}

/// `docker compose -f FILE config --format json` on one file of `built`
/// with exactly `vars` set (not the fixture's own [`Built::vars`]), for
/// tests that vary the variables.
pub fn compose_json_with(built: &Built, file: &str, vars: &[(&str, &str)]) -> Value {
    let path = built.path(file).display().to_string();
    let vars: Vec<(String, String)> = vars
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    let text = Compose::get().ok(["-f", &path, "config", "--format", "json"], &vars);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("no JSON ({e}): {text}"))
}

/// Every emitted file of `built` as PyYAML's `safe_load` reads it, as
/// JSON, by its path under the output folder ([`shared_tools::pyyaml`]).
pub fn pyyaml(built: &Built) -> BTreeMap<String, Value> {
    let paths: Vec<&str> = built.files.iter().map(|(path, _)| path.as_str()).collect();
    shared_tools::pyyaml(&built.out, &paths, &built.label)
}

/// Collects failures so one run reports all of them.
#[derive(Default)]
pub struct Failures(Vec<String>);

impl Failures {
    pub fn check(&mut self, ok: bool, message: impl FnOnce() -> String) {
        if !ok {
            self.0.push(message());
        }
    }

    pub fn equal<T: PartialEq + std::fmt::Debug>(&mut self, what: &str, got: T, want: T) {
        if got != want {
            self.0
                .push(format!("{what}:\n  got:  {got:?}\n  want: {want:?}"));
        }
    }

    /// Compares two JSON objects key by key, reporting only the differences.
    pub fn equal_maps(&mut self, what: &str, got: &Value, want: &Value) {
        let empty = serde_json::Map::new();
        let got = got.as_object().unwrap_or(&empty);
        let want = want.as_object().unwrap_or(&empty);
        let keys: std::collections::BTreeSet<&String> = got.keys().chain(want.keys()).collect();
        for key in keys {
            self.equal(&format!("{what}.{key}"), got.get(key), want.get(key));
        }
    }

    pub fn assert_none(self) {
        assert!(
            self.0.is_empty(),
            "{} failure(s):\n{}",
            self.0.len(),
            self.0.join("\n")
        );
    }
}
