//! The task runner and completions: what each hand-built Model changes in
//! them (snapshots), shellcheck, and the files the bats tests (tests/bats/)
//! execute.
//!
//! The examples' scripts are not snapshotted: their committed
//! `examples/*/generated/` files are the one reviewed copy, held to the
//! specs by tests/generated_examples.rs. The script of `examples/minimal` is
//! the baseline (`examples/newsroom`'s for a Model with a route, whose
//! scripts have the deploy tasks); each hand-built Model's snapshot holds
//! only its line diff against that baseline, so a change to the template's
//! fixed text shows in the examples' files, and a change to what a model
//! feature renders shows in the snapshot of the model that has it.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use stackc::compile::compile;
use stackc::emit::artifacts;
use stackc::model::Model;
use stackc::output::{FileMode, Layout};
use support::{diff, models};

/// The files of the scripts target, in the order they are emitted.
const SCRIPTS: [&str; 3] = ["stack", "completions/stack.bash", "completions/_stack"];

/// The example whose scripts the snapshots are diffs against.
const BASELINE: &str = "minimal";

/// The baseline of a model with a routed component: an example that has
/// the deploy tasks too, so that their fixed text is reviewed once, in the
/// example's committed files.
const ROUTED_BASELINE: &str = "newsroom";

/// An example workspace's Model.
fn example(name: &str) -> Model {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name);
    compile(&dir)
        .unwrap_or_else(|e| panic!("examples/{name} does not load: {e}"))
        .model
        .unwrap_or_else(|| panic!("examples/{name} is not valid"))
}

/// The hand-built Models of tests/support/models.rs: the ones the bats tests
/// run and the snapshots pin.
fn hand_built() -> Vec<(&'static str, Model)> {
    vec![
        ("newsroom", models::newsroom()),
        ("hostile", models::hostile()),
        ("minimal", models::minimal()),
        ("harness", models::harness()),
        ("deploy", models::deploy()),
        ("registry", models::registry()),
        ("builds", models::builds()),
        ("swarm", models::swarm()),
    ]
}

/// Every example workspace's Model (as `example-<name>`), then the
/// hand-built ones.
fn models() -> Vec<(String, Model)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut names: Vec<String> = std::fs::read_dir(&root)
        .expect("examples/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.join("Stackfile").is_file())
        .map(|p| p.file_name().expect("name").to_string_lossy().to_string())
        .collect();
    names.sort();
    assert!(names.len() >= 3, "examples found: {names:?}");
    let mut all: Vec<(String, Model)> = names
        .iter()
        .map(|name| (format!("example-{name}"), example(name)))
        .collect();
    all.extend(
        hand_built()
            .into_iter()
            .map(|(name, model)| (name.to_string(), model)),
    );
    all
}

/// The scripts target's files for `model`: (path, mode, contents), in the
/// order of [`SCRIPTS`].
fn scripts(model: &Model) -> Vec<(String, FileMode, String)> {
    let emitted = artifacts(model, &Layout::default());
    SCRIPTS
        .iter()
        .map(|path| {
            let artifact = emitted
                .iter()
                .find(|a| a.path == *path)
                .unwrap_or_else(|| panic!("{path} was not emitted"));
            (path.to_string(), artifact.mode, artifact.render())
        })
        .collect()
}

/// What `model` changes in the baseline's scripts: for each file, its path
/// on a `=== ` line, then the diff's hunks (or `(identical)`).
fn changes(baseline: &[(String, FileMode, String)], model: &Model) -> String {
    let mut out = String::new();
    for ((path, _, old), (_, _, new)) in baseline.iter().zip(scripts(model)) {
        let hunks = diff::hunks(old, &new);
        out.push_str(&format!("=== {path}\n"));
        out.push_str(if hunks.is_empty() {
            "(identical)\n"
        } else {
            &hunks
        });
    }
    out
}

#[test]
fn what_each_model_changes_in_the_scripts_matches_its_snapshot() {
    let plain = scripts(&example(BASELINE));
    let routed = scripts(&example(ROUTED_BASELINE));
    for (name, model) in hand_built() {
        let (baseline, baseline_name) = if model.components.iter().any(|c| !c.routes.is_empty()) {
            (&routed, ROUTED_BASELINE)
        } else {
            (&plain, BASELINE)
        };
        insta::with_settings!({
            snapshot_path => "../snapshots/scripts",
            prepend_module_to_snapshot => false,
            omit_expression => true,
            description => format!(
                "What the {name} model (tests/support/models.rs) changes in the scripts of \
                 examples/{baseline_name} (committed in its generated/): line diffs, each hunk \
                 headed by the shell function it is in."
            ),
        }, {
            insta::assert_snapshot!(name, changes(baseline, &model));
        });
    }
}

#[test]
fn output_is_deterministic_and_ends_with_a_newline() {
    for (name, model) in models() {
        let first = scripts(&model);
        assert_eq!(first, scripts(&model), "{name}");
        for (path, mode, text) in &first {
            assert!(
                text.ends_with('\n') && !text.ends_with("\n\n"),
                "{name}: {path}"
            );
            assert!(!text.contains('\r'), "{name}: {path} has a CR");
            assert_eq!(
                mode.is_executable(),
                path == "stack",
                "{name}: {path} is {mode:?}"
            );
        }
    }
}

/// Writes every model's scripts under `dir/<model>/`, with their modes.
fn write_scripts(dir: &Path) -> Vec<PathBuf> {
    let mut written = Vec::new();
    for (name, model) in models() {
        for (path, mode, text) in scripts(&model) {
            let file = dir.join(&name).join(&path);
            std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
            std::fs::write(&file, text).expect("write");
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode.bits()))
                    .expect("chmod");
            }
            #[cfg(not(unix))]
            let _ = mode;
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
