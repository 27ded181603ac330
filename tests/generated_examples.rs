//! The committed `examples/*/generated/` trees are the one reviewed copy of
//! the examples' artifacts (no snapshot repeats them). This test builds each
//! example afresh with the `stackc` binary, in a copy of the workspace laid
//! out as in the repository, and requires the same files with the same bytes
//! and executable bits as the committed tree — so `cargo test` alone catches
//! an artifact that changed without its example being regenerated.

#[path = "support/diff.rs"]
mod diff;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A tree's files: `/`-separated path relative to its top → (bytes,
/// executable).
type Tree = BTreeMap<String, (Vec<u8>, bool)>;

/// Lines of diff shown per differing file, so one failure stays readable.
const DIFF_LINES: usize = 60;

#[test]
fn committed_generated_trees_are_what_stackc_builds() {
    let repository = Path::new(env!("CARGO_MANIFEST_DIR"));
    let examples = examples(repository);
    assert!(examples.len() >= 3, "examples found: {examples:?}");
    let scratch = tempfile::tempdir().expect("tempdir");
    // The repository root is found by looking up for `.git`: the copies sit
    // below one, at the same place as in the repository.
    fs::create_dir(scratch.path().join(".git")).expect("mkdir .git");
    let mut problems = Vec::new();
    for name in &examples {
        let relative = Path::new("examples").join(name);
        let copy = scratch.path().join(&relative);
        copy_workspace(&repository.join(&relative), &copy);
        build(&copy);
        let committed = read_tree(&repository.join(&relative).join("generated"));
        let built = read_tree(&copy.join("generated"));
        let found = compare(&committed, &built);
        if !found.is_empty() {
            problems.push(format!(
                "examples/{name}/generated/ is not what `stackc build` writes \
                 (regenerate with `stackc build examples/{name}`, then review `git diff`):\n{}",
                found.join("\n")
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// The names of the folders under `examples/` that hold a Stackfile, sorted.
fn examples(repository: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(repository.join("examples"))
        .expect("examples/ exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.join("Stackfile").is_file())
        .map(|path| path.file_name().expect("a name").to_string_lossy().into())
        .collect();
    names.sort();
    names
}

/// Copies a workspace's files, leaving out its committed `generated/`.
fn copy_workspace(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            if entry.file_name() != "generated" {
                copy_workspace(&entry.path(), &target);
            }
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// `stackc build WORKSPACE`, which must succeed.
fn build(workspace: &Path) {
    let output = Command::new(env!("CARGO_BIN_EXE_stackc"))
        .arg("build")
        .arg(workspace)
        .output()
        .expect("stackc runs");
    assert!(
        output.status.success(),
        "stackc build {} failed:\n{}{}",
        workspace.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Every file under `top`, recursively.
fn read_tree(top: &Path) -> Tree {
    let mut tree = Tree::new();
    let mut folders: Vec<PathBuf> = vec![top.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).expect("read_dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            let relative = path
                .strip_prefix(top)
                .expect("below the top")
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let bytes = fs::read(&path).expect("read");
            tree.insert(relative, (bytes, is_executable(&path)));
        }
    }
    tree
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).expect("metadata").permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn is_executable(_path: &Path) -> bool {
    false
}

/// What differs between the committed and the built tree, one entry per
/// file (a diff for text that changed).
fn compare(committed: &Tree, built: &Tree) -> Vec<String> {
    let mut problems = Vec::new();
    for (path, (bytes, executable)) in built {
        match committed.get(path) {
            None => problems.push(format!("  {path}: built, but not committed")),
            Some((old, _)) if old != bytes => problems.push(format!(
                "  {path}: differs (- committed, + built):\n{}",
                text_diff(old, bytes)
            )),
            Some((_, old)) if old != executable => problems.push(format!(
                "  {path}: executable is {old} in the commit, {executable} when built"
            )),
            Some(_) => {}
        }
    }
    for path in committed.keys().filter(|path| !built.contains_key(*path)) {
        problems.push(format!("  {path}: committed, but no longer built"));
    }
    problems
}

/// The first [`DIFF_LINES`] lines of a line diff of two files.
fn text_diff(old: &[u8], new: &[u8]) -> String {
    let hunks = diff::hunks(&String::from_utf8_lossy(old), &String::from_utf8_lossy(new));
    if hunks.is_empty() {
        return "    (the bytes differ where they are not UTF-8)".to_string();
    }
    let mut lines: Vec<&str> = hunks.lines().take(DIFF_LINES + 1).collect();
    if lines.len() > DIFF_LINES {
        lines.truncate(DIFF_LINES);
        lines.push("    ...");
    }
    lines.join("\n")
}
