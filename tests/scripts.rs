//! The task runner and completions: snapshots, shellcheck, and the files the
//! bats tests (tests/bats/) execute.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use stackc::compile::compile;
use stackc::emit::scripts::emit;
use stackc::model::Model;
use support::models;

/// Every example workspace's Model (as `example-<name>`), then the
/// hand-built Models of tests/support/models.rs.
fn models() -> Vec<(String, Model)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("examples/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.join("Stackfile").is_file())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no examples");
    let mut all: Vec<(String, Model)> = dirs
        .iter()
        .map(|dir| {
            let name = dir.file_name().expect("name").to_string_lossy();
            let model = compile(dir)
                .expect("the example loads")
                .model
                .expect("the example is valid");
            (format!("example-{name}"), model)
        })
        .collect();
    all.extend([
        ("newsroom".to_string(), models::newsroom()),
        ("hostile".to_string(), models::hostile()),
        ("minimal".to_string(), models::minimal()),
        ("harness".to_string(), models::harness()),
    ]);
    all
}

fn snapshot_name(model: &str, path: &str) -> String {
    format!("{model}__{}", path.replace(['/', '.'], "_"))
}

#[test]
fn generated_scripts_match_their_snapshots() {
    for (name, model) in models() {
        for (path, text) in emit(&model) {
            insta::with_settings!({
                snapshot_path => "../snapshots/scripts",
                prepend_module_to_snapshot => false,
                description => format!("{path} for the {name} model"),
            }, {
                insta::assert_snapshot!(snapshot_name(&name, &path), text);
            });
        }
    }
}

#[test]
fn output_is_deterministic_and_ends_with_a_newline() {
    for (_, model) in models() {
        let first = emit(&model);
        assert_eq!(first, emit(&model));
        let paths: Vec<&str> = first.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            ["stack", "completions/stack.bash", "completions/_stack"]
        );
        for (path, text) in &first {
            assert!(text.ends_with('\n') && !text.ends_with("\n\n"), "{path}");
            assert!(
                !text.contains('\r') || path.is_empty(),
                "{path} has CR outside quotes"
            );
        }
    }
}

/// Writes every model's scripts under `dir/<model>/`, the stack executable.
fn write_scripts(dir: &Path) -> Vec<PathBuf> {
    let mut written = Vec::new();
    for (name, model) in models() {
        for (path, text) in emit(&model) {
            let file = dir.join(&name).join(&path);
            std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
            std::fs::write(&file, text).expect("write");
            #[cfg(unix)]
            if path == "stack" {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o755))
                    .expect("chmod");
            }
            written.push(file);
        }
    }
    written
}

/// The bats tests run the scripts of these models from
/// `target/tmp/scripts/<model>/` (tests/bats/helpers.bash).
#[test]
fn writes_the_scripts_the_bats_tests_run() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("scripts");
    let written = write_scripts(&dir);
    assert!(written.iter().all(|f| f.is_file()));
}

fn shellcheck() -> PathBuf {
    let found = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join("shellcheck"))
            .find(|candidate| candidate.is_file())
    });
    found.unwrap_or_else(|| {
        panic!("shellcheck is not on PATH: run scripts/install-tools and add .venv/bin to PATH")
    })
}

#[test]
fn shellcheck_finds_nothing() {
    let shellcheck = shellcheck();
    let dir = tempfile::tempdir().expect("tempdir");
    for file in write_scripts(dir.path()) {
        if file.file_name().is_some_and(|n| n == "_stack") {
            continue; // zsh: shellcheck does not read it (tests/bats checks it with zsh -n)
        }
        let output = Command::new(&shellcheck)
            .args(["--shell=bash", "--severity=style", "--external-sources"])
            .arg(&file)
            .output()
            .expect("shellcheck runs");
        assert!(
            output.status.success(),
            "shellcheck {}:\n{}{}",
            file.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
