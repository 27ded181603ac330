//! The real tool the CI files are held to besides PyYAML
//! (`shared_tools`): `check-jsonschema`, with the vendors' schemas it
//! ships. A missing tool fails the test with the command that installs it;
//! nothing is skipped.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use crate::shared_tools::find;

const INSTALL: &str = "run `scripts/install-tools` (it installs check-jsonschema from PyPI into \
                       .venv/: `.venv/bin/pip install check-jsonschema==0.39.0`)";

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
