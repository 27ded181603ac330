//! Helpers for the output layer's tests: a temporary repository with an
//! output folder in it, hand-made artifacts, and snapshots of the disk.

use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

use camino::{Utf8Path, Utf8PathBuf};

use super::{Artifact, FileMode, Root, Roots};

pub const SCRIPT: &str = "#!/usr/bin/env bash\necho stack\n";

/// `(path, contents)` pairs as artifacts: a path starting with `/` is at
/// the repository root; `stack` and `*.sh` are executable.
pub fn set(entries: &[(&str, &str)]) -> Vec<Artifact<'static>> {
    entries
        .iter()
        .map(|(path, contents)| {
            let (root, path) = match path.strip_prefix('/') {
                Some(rest) => (Root::Repository, rest),
                None => (Root::Output, *path),
            };
            let mode = if path == "stack" || path.ends_with(".sh") {
                FileMode::Executable
            } else {
                FileMode::Regular
            };
            Artifact::rendered(root, path, mode, contents.to_string())
        })
        .collect()
}

/// The usual four files.
pub fn base() -> Vec<Artifact<'static>> {
    set(&[
        ("stack", SCRIPT),
        ("compose/components/api.yml", "name: api\n"),
        ("compose/components/db.yml", "name: db\n"),
        ("compose/test/api.yml", "name: test-api\n"),
    ])
}

/// `artifacts` with `path` left out.
pub fn without(artifacts: Vec<Artifact<'static>>, path: &str) -> Vec<Artifact<'static>> {
    artifacts.into_iter().filter(|a| a.path != path).collect()
}

/// `artifacts` with the file at `path` (output folder) set to `contents`.
pub fn with(
    artifacts: Vec<Artifact<'static>>,
    path: &str,
    contents: &str,
) -> Vec<Artifact<'static>> {
    let mut out = without(artifacts, path);
    out.extend(set(&[(path, contents)]));
    out
}

/// A temporary repository at `repo` with the output folder `repo/generated`.
pub struct Out {
    _dir: tempfile::TempDir,
    pub repo: Utf8PathBuf,
    pub out: Utf8PathBuf,
    pub roots: Roots,
}

pub fn out() -> Out {
    let dir = tempfile::tempdir().unwrap();
    let repo = Utf8PathBuf::from_path_buf(dir.path().canonicalize().unwrap()).unwrap();
    let out = repo.join("generated");
    let roots = Roots::new(out.clone(), repo.clone()).unwrap();
    Out {
        _dir: dir,
        repo,
        out,
        roots,
    }
}

/// Every regular file under `dir`, relative, sorted, with contents and
/// whether it is executable.
pub fn files(dir: &Utf8Path) -> Vec<(String, String, bool)> {
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn walk(root: &Utf8Path, dir: &Utf8Path, out: &mut Vec<(String, String, bool)>) {
    let Ok(entries) = dir.read_dir_utf8() else {
        return;
    };
    for entry in entries {
        let entry = entry.unwrap();
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            walk(root, entry.path(), out);
        } else if kind.is_file() {
            let relative = entry.path().strip_prefix(root).unwrap().to_string();
            let contents = fs::read_to_string(entry.path()).unwrap_or_default();
            out.push((relative, contents, executable(entry.path().as_std_path())));
        }
    }
}

/// Every folder under `dir`, relative, sorted.
pub fn folders(dir: &Utf8Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in folder.read_dir_utf8().unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                out.push(entry.path().strip_prefix(dir).unwrap().to_string());
                stack.push(entry.path().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

pub fn names(dir: &Utf8Path) -> Vec<String> {
    files(dir).into_iter().map(|(n, _, _)| n).collect()
}

pub fn age(path: &Utf8Path) {
    let old = SystemTime::now() - Duration::from_secs(3600);
    fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(old)
        .unwrap();
}

pub fn mtime(path: &Utf8Path) -> SystemTime {
    fs::metadata(path).unwrap().modified().unwrap()
}

#[cfg(unix)]
pub fn mode(path: &Utf8Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
fn executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o100 != 0
}

#[cfg(not(unix))]
fn executable(_path: &Path) -> bool {
    false
}
