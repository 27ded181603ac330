//! Every bad input under `tests/errors/<NNN-name>/` is compiled and its
//! diagnostics, rendered as plain text, are pinned in
//! `snapshots/errors/<NNN-name>.snap`: message, file, line, column and caret.
//!
//! Each fixture's `Stackfile` starts with `# expect: E0102 [E0104 ...]`; the
//! test asserts every listed code is reported, and that an error is reported
//! (or, for a fixture expecting only warnings, that the warning is one).
//! What git carries poorly is made at run time in a copy of the fixture:
//! - `links`: `path = target` lines; a symlink at `path` pointing to
//!   `target`, whose file is created (outside the workspace) if missing; a
//!   `target` ending in `/` is a folder holding a `Dockerfile`;
//! - `modes`: `path = 000` lines; the file's permission bits. A fixture with
//!   modes runs the `stackc` binary, as an unprivileged user when the test
//!   runs as root (root reads any file), and pins its standard error.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use stackc::compile::compile;
use stackc::diagnostic::{render_human, ColorChoice, Severity};

const FIXTURES: &str = "tests/errors";
const SNAPSHOTS: &str = "snapshots/errors";
/// `nobody` on Debian and most Linux systems.
const UNPRIVILEGED: &str = "65534";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(root().join(FIXTURES))
        .expect("tests/errors exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn name(dir: &Path) -> String {
    dir.file_name()
        .expect("a folder name")
        .to_string_lossy()
        .into_owned()
}

/// The codes listed on the `# expect:` line.
fn expected_codes(dir: &Path) -> Vec<String> {
    let bytes = fs::read(dir.join("Stackfile")).expect("every fixture has a Stackfile");
    let text = String::from_utf8_lossy(&bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let first = text.lines().next().unwrap_or_default();
    let codes = first
        .strip_prefix("# expect:")
        .unwrap_or_else(|| panic!("{}: first line must be `# expect: CODE`", name(dir)));
    let codes: Vec<String> = codes.split_whitespace().map(str::to_string).collect();
    assert!(!codes.is_empty(), "{}: no expected code", name(dir));
    codes
}

/// `key = value` lines of a setup file, comments skipped.
fn setup_lines(path: &Path) -> Vec<(String, String)> {
    let Ok(text) = fs::read_to_string(path) else {
        return Vec::new();
    };
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (k, v) = l.split_once('=').expect("setup lines are `key = value`");
            (k.trim().to_string(), v.trim().to_string())
        })
        .collect()
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create folder");
    for entry in fs::read_dir(from).expect("read fixture") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy fixture file");
        }
    }
}

/// A copy of the fixture at `<tmp>/ws`, links made, modes set.
fn prepare(dir: &Path, tmp: &Path) -> PathBuf {
    let workspace = tmp.join("ws");
    copy_tree(dir, &workspace);
    for (link, target) in setup_lines(&dir.join("links")) {
        let link = workspace.join(link);
        let folder = link.parent().expect("link has a folder");
        fs::create_dir_all(folder).expect("link folder");
        let resolved = folder.join(&target);
        if target.ends_with('/') {
            // A folder, for a build context: it holds a `Dockerfile`.
            fs::create_dir_all(&resolved).expect("target folder");
            fs::write(resolved.join("Dockerfile"), "FROM busybox\n").expect("Dockerfile");
        } else if !resolved.exists() {
            fs::create_dir_all(resolved.parent().expect("target folder")).expect("target folder");
            fs::write(&resolved, "component outside { }\n").expect("link target");
        }
        std::os::unix::fs::symlink(&target, &link).expect("make symlink");
    }
    workspace
}

fn set_modes(dir: &Path, workspace: &Path) {
    use std::os::unix::fs::PermissionsExt;
    for (path, mode) in setup_lines(&dir.join("modes")) {
        let mode = u32::from_str_radix(&mode, 8).expect("octal mode");
        fs::set_permissions(workspace.join(path), fs::Permissions::from_mode(mode))
            .expect("set mode");
    }
}

/// Rendered diagnostics and the (code, severity) of each, in process.
fn run_in_process(workspace: &Path) -> (String, Vec<(String, Severity)>) {
    let compilation = compile(workspace).expect("the workspace loads");
    let sources = &compilation.workspace.sources;
    let mut text = String::new();
    let mut codes = Vec::new();
    for diagnostic in compilation.diagnostics.sorted() {
        text.push_str(&render_human(diagnostic, sources, ColorChoice::Never));
        text.push_str("\n\n");
        codes.push((diagnostic.code.as_str().to_string(), diagnostic.severity));
    }
    if compilation.diagnostics.has_errors() {
        assert!(compilation.model.is_none(), "a model despite errors");
    }
    (text, codes)
}

/// The CLI's standard error, run as an unprivileged user when we are root
/// so that permission bits mean something.
fn run_cli(tmp: &Path, workspace: &Path, unreadable: &Path) -> (String, Vec<(String, Severity)>) {
    let binary = env!("CARGO_BIN_EXE_stackc");
    let mut command = if fs::read(unreadable).is_ok() {
        // Root: drop to an unprivileged user, who must be able to reach the copy.
        use std::os::unix::fs::PermissionsExt;
        for dir in [tmp, workspace] {
            fs::set_permissions(dir, fs::Permissions::from_mode(0o755)).expect("open tmp");
        }
        let mut c = Command::new("setpriv");
        c.args([
            &format!("--reuid={UNPRIVILEGED}"),
            &format!("--regid={UNPRIVILEGED}"),
            "--clear-groups",
            binary,
        ]);
        c
    } else {
        Command::new(binary)
    };
    // Run from the workspace, as a user would: diagnostics name files from
    // the current folder, so the snapshot holds `Stackfile`, not a path
    // into the random temporary folder.
    let output = command
        .args(["--color", "never", "check"])
        .arg(workspace)
        .current_dir(workspace)
        .env_remove("NO_COLOR")
        .output()
        .expect("setpriv (util-linux) runs; install it with `apt-get install util-linux`");
    assert_eq!(output.status.code(), Some(1), "stackc check must exit 1");
    let text = String::from_utf8(output.stderr).expect("UTF-8 stderr");
    let codes = text
        .lines()
        .filter_map(|l| {
            let (severity, rest) = if let Some(rest) = l.strip_prefix("error[") {
                (Severity::Error, rest)
            } else {
                (Severity::Warning, l.strip_prefix("warning[")?)
            };
            Some((rest.split(']').next()?.to_string(), severity))
        })
        .collect();
    (text, codes)
}

fn check_fixture(dir: &Path) {
    let name = name(dir);
    let expected = expected_codes(dir);
    let tmp = tempfile::tempdir().expect("temp dir");
    let workspace = prepare(dir, tmp.path());
    let (text, codes) = match setup_lines(&dir.join("modes")).first() {
        Some((path, _)) => {
            set_modes(dir, &workspace);
            run_cli(tmp.path(), &workspace, &workspace.join(path))
        }
        None => run_in_process(&workspace),
    };

    let tmp_text = tmp.path().to_string_lossy();
    assert!(
        !text.contains(tmp_text.as_ref()),
        "{name}: diagnostics name an absolute path:\n{text}"
    );
    for code in &expected {
        assert!(
            codes.iter().any(|(c, _)| c == code),
            "{name}: expected {code}, got {codes:?}\n{text}"
        );
    }
    let only_warnings = expected.iter().all(|c| c.starts_with('W'));
    if only_warnings {
        assert!(
            codes
                .iter()
                .any(|(c, s)| expected.contains(c) && *s == Severity::Warning),
            "{name}: the expected warning is not a warning: {codes:?}"
        );
    } else {
        assert!(
            codes.iter().any(|(_, s)| *s == Severity::Error),
            "{name}: no error reported:\n{text}"
        );
    }

    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(root().join(SNAPSHOTS));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_input_file(dir.join("Stackfile"));
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(name, text));
}

#[test]
fn every_fixture_reports_its_diagnostics() {
    let dirs = fixtures();
    assert!(dirs.len() >= 35, "only {} fixtures", dirs.len());
    // Check every fixture, then report every failure, so one run shows them all.
    let mut failures = Vec::new();
    for dir in &dirs {
        if std::panic::catch_unwind(|| check_fixture(dir)).is_err() {
            failures.push(name(dir));
        }
    }
    assert!(failures.is_empty(), "failing fixtures: {failures:?}");
}

/// The codes of `stackc import`, about Compose files rather than specs:
/// tests/import_cli.rs and src/import/tests.rs hold them.
const IMPORT_CODES: &[&str] = &[
    "E0140", "E0141", "E0142", "E0143", "E0144", "E0145", "W0005", "W0006", "W0007", "W0008",
    "W0009",
];

#[test]
fn every_code_has_a_fixture() {
    let mut covered = std::collections::BTreeSet::new();
    for dir in fixtures() {
        covered.extend(expected_codes(&dir));
    }
    let missing: Vec<&str> = stackc::diagnostic::Code::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| !covered.contains(*c) && !IMPORT_CODES.contains(c))
        .collect();
    assert!(missing.is_empty(), "codes without a fixture: {missing:?}");
}

#[test]
fn every_snapshot_has_a_fixture() {
    let names: Vec<String> = fixtures().iter().map(|d| name(d)).collect();
    let entries = fs::read_dir(root().join(SNAPSHOTS)).expect("snapshots/errors exists");
    for entry in entries {
        let file = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if let Some(stem) = file.strip_suffix(".snap") {
            assert!(names.iter().any(|n| n == stem), "{file} has no fixture");
        }
    }
}

/// docs/language.md has a row for every code.
#[test]
fn every_code_is_documented() {
    let doc = fs::read_to_string(root().join("docs/language.md")).expect("docs/language.md");
    let missing: Vec<&str> = stackc::diagnostic::Code::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| !doc.contains(&format!("\n| {c} |")))
        .collect();
    assert!(
        missing.is_empty(),
        "codes missing from docs/language.md: {missing:?}"
    );
}
