//! The real tools the manifests are held to: `kubernetes-validate` (PyPI),
//! which bundles Kubernetes' JSON schemas for many versions, and a Python
//! with it, jsonschema and PyYAML for the Argo Rollouts check. A missing
//! tool fails the test with the command that installs it; nothing is
//! skipped.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use crate::shared_tools::{find, first_importing, manifest_dir, on_path};

const INSTALL: &str = "run `scripts/install-tools` (it installs kubernetes-validate from PyPI \
                       into .venv/: `.venv/bin/pip install kubernetes-validate==1.37.0`)";

/// `kubernetes-validate`, in `.venv/bin` or on PATH.
pub fn kubernetes_validate_program() -> PathBuf {
    find("kubernetes-validate").unwrap_or_else(|| {
        panic!("kubernetes-validate not found in .venv/bin nor on PATH; {INSTALL}")
    })
}

/// `kubernetes-validate ARGS...`, which must start.
pub fn kubernetes_validate(args: &[&str]) -> Output {
    let program = kubernetes_validate_program();
    Command::new(&program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}; {INSTALL}", program.display()))
}

/// A Python that can import kubernetes_validate, jsonschema, referencing
/// and yaml: the one beside `kubernetes-validate` (its virtualenv's), the
/// repository's `.venv/bin/python`, or `python3` on PATH.
pub fn python() -> &'static PathBuf {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(|| {
        let mut candidates = Vec::new();
        if let Some(dir) = kubernetes_validate_program().parent() {
            candidates.push(dir.join("python"));
        }
        candidates.push(manifest_dir().join(".venv/bin/python"));
        candidates.extend(on_path("python3"));
        first_importing(&candidates, "kubernetes_validate, jsonschema, referencing, yaml")
            .unwrap_or_else(|| {
                panic!("no Python with kubernetes_validate and jsonschema found (tried {candidates:?}); {INSTALL}")
            })
    })
}
