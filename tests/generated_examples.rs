//! The committed `examples/*/generated/` trees, and the files the examples
//! generate at their repository root (CI files: the examples say
//! `ci { repository_root = "." }`, so those land in `examples/NAME/`), are
//! the one reviewed copy of the examples' artifacts (no snapshot repeats
//! them). This test builds each example afresh with the `stackc` binary, in
//! a copy of the workspace laid out as in the repository, and requires the
//! same files, in every root the manifest lists, with the same bytes and
//! executable bits as the committed ones — so `cargo test` alone catches an
//! artifact that changed without its example being regenerated.

#[path = "support/diff.rs"]
mod diff;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use stackc::output::{Manifest, Root, MANIFEST_FILE};

/// Generated files: `/`-separated path → (bytes, executable). Output-folder
/// files by their path there; repository-root files by `/` and their path
/// there, as the manifest spells them.
type Tree = BTreeMap<String, (Vec<u8>, bool)>;

/// The repository root seen from an example's output folder: the example
/// itself. A file generated anywhere else would land in stackc's own
/// repository.
const EXAMPLE_ROOT: &str = "..";

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
        let committed_workspace = repository.join(&relative);
        let committed = match generated_files(&committed_workspace) {
            Ok(files) => files,
            Err(problem) => {
                problems.push(format!("examples/{name} as committed: {problem}"));
                continue;
            }
        };
        let copy = scratch.path().join(&relative);
        let skip: Vec<String> = committed
            .keys()
            .filter_map(|key| key.strip_prefix('/').map(str::to_string))
            .collect();
        copy_workspace(&committed_workspace, &copy, &skip, "");
        build(&copy);
        let built = match generated_files(&copy) {
            Ok(files) => files,
            Err(problem) => {
                problems.push(format!("examples/{name} as built: {problem}"));
                continue;
            }
        };
        let found = compare(&committed, &built);
        if !found.is_empty() {
            problems.push(format!(
                "examples/{name}'s generated files are not what `stackc build` writes \
                 (regenerate with `stackc build examples/{name}`, then review `git diff`):\n{}",
                found.join("\n")
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// Every file the workspace's manifest says stackc generated: the whole
/// output folder `generated/` (so a file the manifest misses shows too),
/// and the repository-root files it lists, which must lie in the workspace.
fn generated_files(workspace: &Path) -> Result<Tree, String> {
    let output = workspace.join("generated");
    let mut tree = read_tree(&output);
    let text = fs::read_to_string(output.join(MANIFEST_FILE))
        .map_err(|e| format!("no manifest in generated/: {e}"))?;
    let manifest = Manifest::parse(&text).map_err(|e| format!("manifest: {e:?}"))?;
    let mut at_root = manifest
        .paths
        .iter()
        .filter(|path| path.root == Root::Repository)
        .peekable();
    if at_root.peek().is_none() {
        return Ok(tree);
    }
    let root = manifest.repository_root.as_deref().unwrap_or(".");
    if root != EXAMPLE_ROOT {
        return Err(format!(
            "files are generated at the repository root {root} (seen from generated/), \
             outside the example: say `ci {{ repository_root = \".\" }}` in its Stackfile"
        ));
    }
    for path in at_root {
        let file = output.join(root).join(path.path.as_str());
        let bytes = fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        tree.insert(path.to_string(), (bytes, is_executable(&file)));
    }
    Ok(tree)
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

/// Copies a workspace's files, leaving out its committed `generated/` and
/// the generated files at `skip` (paths from the workspace root); `prefix`
/// is `from`'s path from the workspace root (`""` at the top).
fn copy_workspace(from: &Path, to: &Path, skip: &[String], prefix: &str) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let relative = format!("{prefix}{file_name}");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            if relative != "generated" {
                copy_workspace(&entry.path(), &target, skip, &format!("{relative}/"));
            }
        } else if !skip.contains(&relative) {
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

/// Every file under `top`, recursively (none when it does not exist).
fn read_tree(top: &Path) -> Tree {
    let mut tree = Tree::new();
    if !top.is_dir() {
        return tree;
    }
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

/// Repository-root files are read where the manifest says, and only inside
/// the example; a copy leaves them out, as it leaves out `generated/`.
#[test]
fn repository_root_files_come_from_the_manifest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let workspace = dir.path().join("example");
    fs::create_dir_all(workspace.join("generated")).expect("mkdir");
    fs::create_dir_all(workspace.join(".github/workflows")).expect("mkdir");
    fs::write(workspace.join("Stackfile"), "stack x {}\n").expect("write");
    fs::write(workspace.join("generated/stack"), "#!/bin/sh\n").expect("write");
    fs::write(workspace.join(".github/workflows/stack.yml"), "jobs: {}\n").expect("write");
    let manifest = |root: &str| {
        format!("# header\nstack\nrepository-root: {root}\n/.github/workflows/stack.yml\n")
    };
    fs::write(
        workspace.join("generated").join(MANIFEST_FILE),
        manifest(".."),
    )
    .expect("write");
    let files = generated_files(&workspace).expect("read");
    let keys: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [".stackc-manifest", "/.github/workflows/stack.yml", "stack"]
    );
    assert_eq!(files["/.github/workflows/stack.yml"].0, b"jobs: {}\n");

    let copy = dir.path().join("copy");
    copy_workspace(
        &workspace,
        &copy,
        &[".github/workflows/stack.yml".to_string()],
        "",
    );
    assert!(copy.join("Stackfile").is_file());
    assert!(!copy.join("generated").exists());
    assert!(!copy.join(".github/workflows/stack.yml").exists());

    fs::write(
        workspace.join("generated").join(MANIFEST_FILE),
        manifest("../.."),
    )
    .expect("write");
    let outside = generated_files(&workspace).expect_err("outside the example");
    assert!(outside.contains("repository_root = \".\""), "{outside}");
}
