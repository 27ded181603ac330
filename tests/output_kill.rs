//! A build killed part-way (SIGKILL, harsher than Ctrl-C) leaves every
//! generated file either entirely old or entirely new, and the next build
//! finishes the job.
//!
//! The first test runs itself again as a child process that writes a large
//! artifact set through the output layer; the parent watches the disk and
//! kills the child once it is partly done. The second kills the `stackc`
//! binary at several points of first, additive, subtractive and mixed
//! builds. (The output layer's unit tests stop a build at every single
//! change it makes, in process.)

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use camino::Utf8PathBuf;
use stackc::output::{write_all, Artifact, FileMode, Root, Roots, MANIFEST_FILE, TEMP_PREFIX};

const FILES: usize = 600;
const SIZE: usize = 64 * 1024;
const CHILD_ENV: &str = "STACKC_KILL_TEST_OUT";
const TEST_NAME: &str = "a_killed_build_leaves_every_file_old_or_new";

fn artifacts(version: &str) -> BTreeMap<String, String> {
    (0..FILES)
        .map(|i| {
            let filler = if version == "old" { "o" } else { "n" };
            (
                format!("compose/f{i:04}.yml"),
                format!("# {version} {i}\n{}\n", filler.repeat(SIZE)),
            )
        })
        .collect()
}

fn as_artifacts(files: &BTreeMap<String, String>) -> Vec<Artifact<'_>> {
    files
        .iter()
        .map(|(path, contents)| {
            Artifact::new(Root::Output, path.as_str(), FileMode::Regular, move || {
                contents.clone()
            })
        })
        .collect()
}

/// The output folder `out`, in a repository at its parent.
fn roots(out: &Path) -> Roots {
    let out = Utf8PathBuf::from_path_buf(out.to_path_buf()).expect("UTF-8 temp dir");
    let repository = out.parent().expect("parent").to_path_buf();
    Roots::new(out, repository).expect("roots")
}

#[test]
fn a_killed_build_leaves_every_file_old_or_new() {
    if let Some(out) = std::env::var_os(CHILD_ENV) {
        // The child: write the new version, to be killed on the way.
        write_all(&as_artifacts(&artifacts("new")), &roots(Path::new(&out))).expect("child build");
        return;
    }
    let old = artifacts("old");
    let new = artifacts("new");
    for attempt in 1..=5 {
        let tmp = tempfile::tempdir().expect("temp dir");
        let out = tmp.path().join("generated");
        write_all(&as_artifacts(&old), &roots(&out)).expect("first build");

        let mut child = Command::new(std::env::current_exe().expect("test binary"))
            .args(["--exact", TEST_NAME, "--test-threads=1"])
            .env(CHILD_ENV, &out)
            .spawn()
            .expect("child runs");
        // Kill once a quarter of the files are new.
        let watched = out.join(format!("compose/f{:04}.yml", FILES / 4));
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let contents = fs::read(&watched).unwrap_or_default();
            if contents.starts_with(b"# new") || Instant::now() > deadline {
                break;
            }
            if child.try_wait().expect("child status").is_some() {
                break;
            }
        }
        let _ = child.kill();
        let _ = child.wait();

        let (mut olds, mut news) = (0, 0);
        let manifest = fs::read_to_string(out.join(MANIFEST_FILE)).expect("manifest");
        for (path, new_contents) in &new {
            let disk = fs::read_to_string(out.join(path)).expect("every file is there");
            let old_contents = old.get(path).expect("same paths");
            if &disk == old_contents {
                olds += 1;
            } else if &disk == new_contents {
                news += 1;
            } else {
                panic!("{path} is half written ({} bytes)", disk.len());
            }
            assert!(
                manifest.contains(&format!("\n{path}\n")),
                "{path} not in manifest"
            );
        }
        // Only temporary files may be extra; the next build removes them.
        write_all(&as_artifacts(&new), &roots(&out)).expect("the next build");
        for (path, contents) in &new {
            assert_eq!(&fs::read_to_string(out.join(path)).expect("read"), contents);
        }
        let leftovers = fs::read_dir(out.join("compose"))
            .expect("read")
            .filter(|e| {
                e.as_ref()
                    .map(|e| e.file_name().to_string_lossy().starts_with(TEMP_PREFIX))
                    .unwrap_or(false)
            })
            .count();
        assert_eq!(leftovers, 0, "temporary files left after the next build");

        if olds > 0 && news > 0 {
            eprintln!("killed part-way: {news} new, {olds} old");
            return;
        }
        eprintln!("attempt {attempt}: the kill landed at {news} new / {olds} old; again");
    }
    panic!("the build was never killed part-way in 5 attempts");
}

// ---- `stackc build` killed with SIGKILL ---------------------------------

/// A workspace of the components `first..last`, each depending on the one
/// before; `version` is in every image, so a new version changes every file.
fn spec(components: std::ops::Range<usize>, version: &str) -> String {
    let mut text = String::from("stack big { }\nenvironment test { }\nenvironment dev { }\n");
    for i in components.clone() {
        let depends = if i > components.start {
            format!("  depends_on = [c{}]\n", i - 1)
        } else {
            String::new()
        };
        text.push_str(&format!(
            "component c{i} {{\n  image = \"big/c{i}:{version}\"\n  ports = {{ http = {} }}\n{depends}  \
             test functional {{ runner = mocha  path = \"test\" }}\n}}\n",
            10000 + i
        ));
    }
    text
}

fn stackc(workspace: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_stackc"));
    command
        .args(args)
        .arg(workspace)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    command
}

/// Runs `stackc build` (or `build --check`) and returns its exit code.
fn run(workspace: &Path, args: &[&str]) -> Option<i32> {
    let output = stackc(workspace, args).output().expect("stackc runs");
    if output.status.code() == Some(2) {
        eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    }
    output.status.code()
}

/// Every file under `dir`: relative path → (contents, executable).
fn tree(dir: &Path) -> BTreeMap<String, (Vec<u8>, bool)> {
    let mut out = BTreeMap::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).expect("read folder") {
            let entry = entry.expect("entry");
            let kind = entry.file_type().expect("type");
            if kind.is_dir() {
                folders.push(entry.path());
                continue;
            }
            let relative = entry
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .to_path_buf();
            let metadata = entry.metadata().expect("metadata");
            out.insert(
                relative.to_string_lossy().into_owned(),
                (
                    fs::read(entry.path()).expect("read"),
                    is_executable(&metadata),
                ),
            );
        }
    }
    out
}

#[cfg(unix)]
fn is_executable(metadata: &fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    metadata.permissions().mode() & 0o100 != 0
}

#[cfg(not(unix))]
fn is_executable(_metadata: &fs::Metadata) -> bool {
    false
}

/// The generated tree a first build of `stackfile` makes.
fn fresh(stackfile: &str) -> BTreeMap<String, (Vec<u8>, bool)> {
    let tmp = tempfile::tempdir().expect("temp dir");
    let workspace = tmp.path().join("ws");
    fs::create_dir(&workspace).expect("mkdir");
    fs::write(workspace.join("Stackfile"), stackfile).expect("write");
    assert_eq!(run(&workspace, &["build"]), Some(0));
    tree(&workspace.join("generated"))
}

/// A workspace in a temp folder (kept alive by the guard returned) that
/// was built from `old` (unless `None`) and whose Stackfile now says `new`.
fn built_then_changed(old: Option<&str>, new: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let workspace = tmp.path().join("ws");
    fs::create_dir(&workspace).expect("mkdir");
    if let Some(old) = old {
        fs::write(workspace.join("Stackfile"), old).expect("write");
        assert_eq!(run(&workspace, &["build"]), Some(0));
    }
    fs::write(workspace.join("Stackfile"), new).expect("write");
    (tmp, workspace)
}

/// Builds `old` (unless `None`), then kills the build of `new` after
/// `delay`; then `build --check` must not pass unless the tree is exactly
/// `new`'s, and a build of `next` must end with exactly `next`'s files.
fn kill_and_recover(old: Option<&str>, new: &str, next: &str, delay: Duration) {
    let (_guard, workspace) = built_then_changed(old, new);
    let mut child = stackc(&workspace, &["build"]).spawn().expect("spawn");
    std::thread::sleep(delay);
    let _ = child.kill();
    let status = child.wait().expect("wait");
    let generated = workspace.join("generated");
    eprintln!(
        "killed after {delay:?} ({status}): {} files on disk",
        if generated.exists() {
            tree(&generated).len()
        } else {
            0
        }
    );
    if run(&workspace, &["build", "--check"]) == Some(0) {
        assert_eq!(
            tree(&generated),
            fresh(new),
            "check passed a tree with leftovers"
        );
    }
    fs::write(workspace.join("Stackfile"), next).expect("write");
    assert_eq!(run(&workspace, &["build"]), Some(0), "the next build fails");
    assert_eq!(tree(&generated), fresh(next), "the next build");
    assert_eq!(run(&workspace, &["build", "--check"]), Some(0));
}

/// How long building `new` over `old` takes here, to aim the kills.
fn build_time(old: Option<&str>, new: &str) -> Duration {
    let (_guard, workspace) = built_then_changed(old, new);
    let start = Instant::now();
    assert_eq!(run(&workspace, &["build"]), Some(0));
    start.elapsed()
}

/// First, additive, subtractive and mixed builds, each killed at five
/// points from early to late (where a kill lands varies from run to run;
/// every landing must recover); the next build has the same specs or
/// changed ones.
#[test]
fn a_killed_stackc_build_is_finished_by_the_next_one() {
    let changed = spec(10..50, "v3");
    let cases = [
        ("first", None, spec(0..40, "v1")),
        ("additive", Some(spec(0..20, "v1")), spec(0..40, "v1")),
        ("subtractive", Some(spec(0..40, "v1")), spec(0..20, "v1")),
        ("mixed", Some(spec(0..30, "v1")), spec(15..45, "v2")),
    ];
    for (name, old, new) in &cases {
        let full = build_time(old.as_deref(), new);
        eprintln!("{name}: a whole build takes {full:?}");
        let points = [
            (0.1, &changed),
            (0.3, new),
            (0.5, &changed),
            (0.7, new),
            (0.9, &changed),
        ];
        for (fraction, next) in points {
            kill_and_recover(old.as_deref(), new, next, full.mul_f64(fraction));
        }
    }
}
