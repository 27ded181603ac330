//! Finds the real tools the tests use as oracles, and reads YAML with one
//! of them: PyYAML, a YAML 1.1 reader. A missing tool fails the test with
//! the command that installs it; nothing is ever skipped.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use serde_json::Value;

const INSTALL_PYYAML: &str = "run `scripts/install-tools` (it installs PyYAML from PyPI into \
                              .venv/: `.venv/bin/pip install pyyaml==6.0.3`)";

/// The repository root.
pub fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every executable called `name` on PATH, in PATH's order.
pub fn on_path(name: &str) -> Vec<PathBuf> {
    std::env::var_os("PATH")
        .map(|path| {
            std::env::split_paths(&path)
                .map(|dir| dir.join(name))
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default()
}

/// `name` in the repository's `.venv/bin`, else the first on PATH.
pub fn find(name: &str) -> Option<PathBuf> {
    let venv = manifest_dir().join(".venv/bin").join(name);
    if venv.is_file() {
        return Some(venv);
    }
    on_path(name).into_iter().next()
}

/// A Python 3 that can `import yaml` (PyYAML): `$STACKC_PYTHON`, else the
/// repository's `.venv/bin/python`, else `python3` or `python` on PATH.
pub fn python() -> &'static Path {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(|| {
        let mut candidates = Vec::new();
        if let Some(path) = std::env::var_os("STACKC_PYTHON") {
            candidates.push(PathBuf::from(path));
        }
        candidates.push(manifest_dir().join(".venv/bin/python"));
        candidates.extend(on_path("python3"));
        candidates.extend(on_path("python"));
        first_importing(&candidates, "yaml").unwrap_or_else(|| {
            panic!("no Python with PyYAML found (tried {candidates:?}); {INSTALL_PYYAML}")
        })
    })
}

/// The first of `candidates` that can `import MODULES` (a comma-separated
/// list, as Python's `import` takes it).
pub fn first_importing(candidates: &[PathBuf], modules: &str) -> Option<PathBuf> {
    candidates
        .iter()
        .find(|python| {
            Command::new(python)
                .args(["-c", &format!("import {modules}")])
                .stdin(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        })
        .cloned()
}

/// Non-string mapping keys are spelt with this prefix, then `TYPE:REPR`,
/// by [`pyyaml`].
pub const NOT_A_STRING_KEY: &str = "\u{0}not-a-string-key:";

/// Every file of `paths` (relative to `dir`, or absolute) as PyYAML's
/// `safe_load` reads it, as JSON, by the path as given. Keys that are not
/// strings come back prefixed with [`NOT_A_STRING_KEY`]; dates and floats,
/// which JSON cannot tell from strings and numbers, as `{"!date": ..}` and
/// `{"!float": ..}`; any other value that is not a string, integer, boolean
/// or null as `{"!unexpected": "TYPE REPR"}`. `what` names the files in
/// the failure message.
pub fn pyyaml<P: AsRef<OsStr>>(dir: &Path, paths: &[P], what: &str) -> BTreeMap<String, Value> {
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
    if isinstance(x, (str, int, bool)) or x is None:
        return x
    return {"!unexpected": "%s %r" % (type(x).__name__, x)}
out = {}
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        out[path] = conv(yaml.safe_load(f))
json.dump(out, sys.stdout)
"#;
    let out = Command::new(python())
        .arg("-c")
        .arg(SCRIPT)
        .args(paths)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", python().display()));
    assert!(
        out.status.success(),
        "PyYAML failed on {what}:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON from Python")
}
