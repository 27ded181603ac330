//! The fixture workspace, compiled once, and its Kubernetes files.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use stackc::diagnostic::{render_human, ColorChoice};

/// The fixture, relative to the repository root.
pub const WORKSPACE: &str = "tests/kubernetes/workspace";

/// The Kubernetes files of the fixture, as (path in the output folder,
/// contents), in the emitter's order.
pub fn files() -> &'static [(String, String)] {
    static FILES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    FILES.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(WORKSPACE);
        let compilation = stackc::compile::compile(&root)
            .unwrap_or_else(|e| panic!("{WORKSPACE}: cannot load: {e}"));
        let rendered: Vec<String> = compilation
            .diagnostics
            .iter()
            .map(|d| render_human(d, &compilation.workspace.sources, ColorChoice::Never))
            .collect();
        assert!(
            rendered.is_empty(),
            "{WORKSPACE} has diagnostics:\n{}",
            rendered.join("\n")
        );
        let model = compilation.model.expect("the fixture compiles");
        stackc::emit::kubernetes::emit(&model)
    })
}

/// The files whose path ends with one of `suffixes`, written under a fresh
/// temporary folder; returns the folder (removed when dropped) and their
/// paths there.
pub fn written(suffixes: &[&str]) -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut paths = Vec::new();
    for (path, text) in files() {
        if !suffixes.iter().any(|suffix| path.ends_with(suffix)) {
            continue;
        }
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().expect("a parent")).expect("mkdir");
        std::fs::write(&full, text).expect("write");
        paths.push(full);
    }
    (dir, paths)
}

/// Every kind of object the target writes, as file-name suffixes: those of
/// Kubernetes' own API, and those of Argo Rollouts.
pub const CORE_KINDS: [&str; 4] = [
    ".configmap.yaml",
    ".deployment.yaml",
    ".service.yaml",
    ".ingress.yaml",
];
pub const ARGO_KINDS: [&str; 2] = [".rollout.yaml", ".analysistemplate.yaml"];
