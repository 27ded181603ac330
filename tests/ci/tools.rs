//! The real tools the CI files are held to: `check-jsonschema` (with the
//! vendors' schemas it ships) and a Python with PyYAML. A missing tool
//! fails the test with the command that installs it; nothing is skipped.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const INSTALL: &str = "run `scripts/install-tools` (it installs check-jsonschema and PyYAML \
                       from PyPI into .venv/: `.venv/bin/pip install check-jsonschema==0.39.0 \
                       pyyaml==6.0.3`)";

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `name` in the repository's `.venv/bin`, else on PATH.
fn find(name: &str) -> Option<PathBuf> {
    let venv = manifest_dir().join(".venv/bin").join(name);
    if venv.is_file() {
        return Some(venv);
    }
    std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    })
}

/// `check-jsonschema ARGS...`, which must start.
pub fn check_jsonschema(args: &[&str]) -> Output {
    let program = find("check-jsonschema").unwrap_or_else(|| {
        panic!("check-jsonschema not found in .venv/bin nor on PATH; {INSTALL}")
    });
    Command::new(&program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}; {INSTALL}", program.display()))
}

/// A Python 3 that can `import yaml` (PyYAML).
pub fn python() -> PathBuf {
    let candidates: Vec<PathBuf> = ["python", "python3"]
        .iter()
        .filter_map(|name| find(name))
        .collect();
    for python in &candidates {
        let works = Command::new(python)
            .args(["-c", "import yaml"])
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if works {
            return python.clone();
        }
    }
    panic!("no Python with PyYAML found (tried {candidates:?}); {INSTALL}")
}

/// Writes every CI file of `files` under a fresh temporary folder, at its
/// path; returns the folder (removed when dropped) and the files' paths.
pub fn write_all(files: &[(String, String)]) -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut paths = Vec::new();
    for (path, text) in files {
        let full = dir.path().join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&full, text).expect("write");
        paths.push(full);
    }
    (dir, paths)
}
