//! A build killed part-way (SIGKILL, harsher than Ctrl-C) leaves every
//! generated file either entirely old or entirely new, and the next build
//! finishes the job.
//!
//! The test runs itself again as a child process that writes a large
//! artifact set through the output layer; the parent watches the disk and
//! kills the child once it is partly done.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
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
