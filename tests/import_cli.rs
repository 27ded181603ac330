//! `stackc import` end to end: each input under `tests/import/inputs/NAME/`
//! (its `import.args` names the Compose files) is copied to a scratch
//! folder and imported into it; the reviewed snapshot under
//! `snapshots/import/` holds the exit code, the reports and every file
//! written. A workspace that is written must pass `stackc check` with no
//! error and `stackc fmt --check`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn stackc(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stackc"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("stackc runs")
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create");
    for entry in fs::read_dir(from).expect("read input") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Every file under `dir` but the inputs, sorted, with its text.
fn written(dir: &Path, inputs: &Path) -> String {
    let mut out = String::new();
    let mut files = Vec::new();
    collect(dir, dir, &mut files);
    files.sort();
    for rel in files {
        if inputs.join(&rel).exists() {
            continue;
        }
        let text = fs::read_to_string(dir.join(&rel)).expect("text");
        out.push_str(&format!("=== {rel}\n{text}"));
    }
    out
}

fn collect(base: &Path, dir: &Path, out: &mut Vec<String>) {
    for entry in fs::read_dir(dir).expect("read") {
        let entry = entry.expect("entry");
        let path = entry.path();
        if path.is_dir() {
            collect(base, &path, out);
        } else {
            let rel = path.strip_prefix(base).expect("under base");
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

fn inputs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(root().join("tests/import/inputs"))
        .expect("inputs")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn imported_workspaces_match_their_snapshots() {
    for input in inputs() {
        let name = input
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let args = fs::read_to_string(input.join("import.args")).expect("import.args");
        // In a folder named as the input, which names the stack.
        let temp = tempfile::tempdir().expect("temp dir");
        let scratch = temp.path().join(&name);
        copy_tree(&input, &scratch);
        let mut argv = vec!["import", "--into", "."];
        argv.extend(args.split_whitespace());
        let out = stackc(&argv, &scratch);
        let code = out.status.code();
        let mut record = format!(
            "exit: {code:?}\n--- stdout\n{}--- stderr\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        if code == Some(0) {
            let check = stackc(&["check", "."], &scratch);
            assert_eq!(
                check.status.code(),
                Some(0),
                "{name}: stackc check of the imported workspace:\n{}",
                String::from_utf8_lossy(&check.stderr)
            );
            let fmt = stackc(&["fmt", "--check", "."], &scratch);
            assert_eq!(
                fmt.status.code(),
                Some(0),
                "{name}: the imported workspace is not formatted:\n{}",
                String::from_utf8_lossy(&fmt.stdout)
            );
        } else if !record.contains("does not pass `stackc check`") {
            assert!(
                !scratch.join("Stackfile").exists(),
                "{name}: a failed import wrote a Stackfile"
            );
        }
        record.push_str(&written(&scratch, &input));
        insta::with_settings!({snapshot_path => "../snapshots/import", prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!(name.as_str(), record);
        });
    }
}

#[test]
fn never_overwrites_and_writes_nothing() {
    let scratch = tempfile::tempdir().expect("temp dir");
    fs::write(
        scratch.path().join("compose.yaml"),
        "services:\n  web:\n    image: nginx\n",
    )
    .expect("write");
    fs::write(scratch.path().join("Stackfile"), "# mine\n").expect("write");
    let out = stackc(&["import", "compose.yaml"], scratch.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("already holds Stackfile"), "{stderr}");
    assert_eq!(
        fs::read_to_string(scratch.path().join("Stackfile")).expect("read"),
        "# mine\n"
    );
    assert!(!scratch.path().join("components").exists());
}

#[test]
fn strict_makes_a_report_an_error() {
    let scratch = tempfile::tempdir().expect("temp dir");
    fs::write(
        scratch.path().join("compose.yaml"),
        "services:\n  web:\n    image: nginx\n    container_name: web\n",
    )
    .expect("write");
    let out = stackc(&["import", "--strict", "compose.yaml"], scratch.path());
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("warning[W0005]"), "{stderr}");
    assert!(stderr.contains("--> compose.yaml:4:5"), "{stderr}");
    assert!(!scratch.path().join("Stackfile").exists());
    // Without --strict the same file imports, with the report.
    let out = stackc(&["import", "compose.yaml"], scratch.path());
    assert_eq!(out.status.code(), Some(0));
    assert!(scratch.path().join("components/web.stack").exists());
}

#[test]
fn unreadable_yaml_is_an_error_at_its_place() {
    let scratch = tempfile::tempdir().expect("temp dir");
    fs::write(scratch.path().join("compose.yaml"), "services:\n  web: [\n").expect("write");
    let out = stackc(&["import", "compose.yaml"], scratch.path());
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error[E0140]"), "{stderr}");
    // The YAML reader's place is the diagnostic's place.
    assert!(stderr.contains("--> compose.yaml:2:8"), "{stderr}");
    // A FILE that is not there is a usage or I/O error (2), as for every
    // command, not a mistake in a Compose file.
    let missing = stackc(&["import", "nope.yaml"], scratch.path());
    assert_eq!(missing.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&missing.stderr),
        "error: cannot read nope.yaml: no such file\n"
    );
}

#[test]
fn a_workspace_that_fails_check_is_written_and_exits_1() {
    let scratch = tempfile::tempdir().expect("temp dir");
    fs::write(
        scratch.path().join("compose.yaml"),
        "services:\n  web:\n    image: nginx\n    restart: bogus\n",
    )
    .expect("write");
    let out = stackc(&["import", "compose.yaml"], scratch.path());
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let summary = stderr.find("imported 1 component").expect("the summary");
    let line = stderr
        .find("error: the imported workspace does not pass `stackc check`: fix these in the spec files")
        .expect("the line");
    let error = stderr.find("error[E0108]").expect("the check's error");
    assert!(summary < line && line < error, "{stderr}");
    assert!(stderr.contains("--> components/web.stack:"), "{stderr}");
    assert!(
        stderr.ends_with("error: found 1 error in the imported specs\n"),
        "{stderr}"
    );
    // Written: the user fixes the specs.
    assert!(scratch.path().join("components/web.stack").exists());
    assert!(out.stdout.is_empty());
}

#[test]
fn messages_go_to_standard_error_in_the_chosen_format() {
    let scratch = tempfile::tempdir().expect("temp dir");
    fs::write(
        scratch.path().join("compose.yaml"),
        "services:\n  web:\n    image: nginx\n    container_name: web\n",
    )
    .expect("write");
    let out = stackc(
        &[
            "--message-format",
            "json",
            "import",
            "--strict",
            "compose.yaml",
        ],
        scratch.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for line in stderr.lines() {
        let json: serde_json::Value = serde_json::from_str(line).expect("JSON lines only");
        assert!(json["severity"].is_string(), "{line}");
    }
    assert!(
        stderr.contains(r#""message":"--strict: 1 report above; nothing was written""#),
        "{stderr}"
    );
    // The summary follows the reports on standard error; stdout is empty.
    let out = stackc(&["import", "compose.yaml"], scratch.path());
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last = stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("imported 1 component into . (stack `")
            && last.ends_with("`), with 1 report above"),
        "{stderr}"
    );
    // An import error: the count names the Compose files.
    fs::write(scratch.path().join("bad.yaml"), "- a\n").expect("write");
    let out = stackc(&["import", "bad.yaml"], scratch.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: found 1 error in the Compose files\n"),
        "{stderr}"
    );
}
