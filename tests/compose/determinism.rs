//! `stackc build` writes the same Compose bytes on every run, from any
//! working directory, under any time zone or locale, and they are exactly
//! what the emitter returns.

use std::path::Path;
use std::process::Command;

use crate::workspaces;

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn build(workspace: &Path, cwd: &Path, tz: &str, lang: &str) {
    let out = Command::new(env!("CARGO_BIN_EXE_stackc"))
        .arg("build")
        .arg(workspace)
        .current_dir(cwd)
        .env("TZ", tz)
        .env("LANG", lang)
        .env("LC_ALL", lang)
        .output()
        .expect("stackc runs");
    assert!(
        out.status.success(),
        "stackc build failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn build_twice_gives_the_same_bytes() {
    let built = workspaces::all()
        .iter()
        .find(|b| b.label == "tests/fixtures/compose/chain")
        .expect("the chain fixture");
    let scratch = tempfile::tempdir().expect("temp dir");
    let workspace = scratch.path().join("chain");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join(&built.label),
        &workspace,
    );
    let generated = workspace.join("generated");

    build(
        &workspace,
        scratch.path(),
        "Pacific/Kiritimati",
        "tr_TR.UTF-8",
    );
    let first: Vec<(String, Vec<u8>)> = built
        .files
        .iter()
        .map(|(p, _)| {
            (
                p.clone(),
                std::fs::read(generated.join(p)).expect("written"),
            )
        })
        .collect();
    build(Path::new("chain"), scratch.path(), "UTC", "C");
    for ((path, bytes), (_, text)) in first.iter().zip(&built.files) {
        let again = std::fs::read(generated.join(path)).expect("written");
        assert_eq!(bytes, &again, "{path} changed between runs");
        assert_eq!(
            bytes,
            text.as_bytes(),
            "{path} is not what the emitter returned"
        );
    }
}
