//! The Compose artifacts, checked by the real tools: Docker Compose v2
//! (`config`, the merge of fragments) and PyYAML (a YAML 1.1 reader), over
//! every workspace under `examples/` and `tests/fixtures/compose/`.
//! Run with `cargo test --test compose`.

mod determinism;
mod host_paths;
mod hostile;
mod language;
mod merge;
mod model_values;
mod paths;
mod probes;
mod readers;
mod schema;
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

/// Non-string mapping keys are spelt with this prefix by the PyYAML dump.
pub const NOT_A_STRING_KEY: &str = "\u{0}not-a-string-key:";

/// Every emitted file as PyYAML's `safe_load` reads it, as JSON. Keys that
/// are not strings come back prefixed with [`NOT_A_STRING_KEY`]; dates and
/// floats, which JSON cannot tell from strings and numbers, as `{"!date": ..}`
/// and `{"!float": ..}`.
pub fn pyyaml(built: &Built) -> BTreeMap<String, Value> {
    const SCRIPT: &str = r#"
import datetime, json, sys, yaml
def conv(x):
    if isinstance(x, dict):
        return {(k if isinstance(k, str) else "\u0000not-a-string-key:%s:%r" % (type(k).__name__, k)): conv(v) for k, v in x.items()}
    if isinstance(x, list):
        return [conv(v) for v in x]
    if isinstance(x, (datetime.date, datetime.datetime)):
        return {"!date": str(x)}
    if isinstance(x, float):
        return {"!float": repr(x)}
    return x
out = {}
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        out[path] = conv(yaml.safe_load(f))
json.dump(out, sys.stdout)
"#;
    let mut command = std::process::Command::new(tools::python());
    command.arg("-c").arg(SCRIPT);
    for (path, _) in &built.files {
        command.arg(path);
    }
    let out = command
        .current_dir(&built.out)
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "PyYAML failed on {}:\n{}",
        built.label,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON from Python")
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
