//! Incremental builds through the binary: the build record lands in
//! `STACKC_CACHE_DIR`, and every change of input that a record must not
//! hide (a spec edited keeping its size and mtime, an included file added,
//! another output folder) gives the right files. That a no-op build
//! renders nothing is shown by the output layer's own tests.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "support/run.rs"]
mod run;

use run::Run;

const STACKFILE: &str = "stack shop { }\nenvironment dev { }\ninclude \"parts/*.stack\"\n\
                         component api { depends_on = [db] }\n";

struct Fixture {
    dir: tempfile::TempDir,
    cache: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let fixture = Fixture {
            dir: tempfile::tempdir().expect("temp dir"),
            cache: tempfile::tempdir().expect("temp dir"),
        };
        fs::create_dir(fixture.path("parts")).expect("mkdir");
        fs::write(fixture.path("Stackfile"), STACKFILE).expect("write");
        fs::write(fixture.path("parts/db.stack"), "component db { }\n").expect("write");
        fixture
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn stackc(&self, args: &[&str]) -> Run {
        Command::new(env!("CARGO_BIN_EXE_stackc"))
            .args(args)
            .current_dir(self.dir.path())
            .env("STACKC_CACHE_DIR", self.cache.path())
            .output()
            .expect("run stackc")
            .into()
    }

    fn records(&self) -> usize {
        fs::read_dir(self.cache.path().join("builds")).map_or(0, |entries| entries.count())
    }

    fn read(&self, relative: &str) -> String {
        fs::read_to_string(self.path(relative)).expect("read")
    }
}

fn set_mtime(path: &Path, time: std::time::SystemTime) {
    fs::File::options()
        .write(true)
        .open(path)
        .expect("open")
        .set_modified(time)
        .expect("set mtime");
}

#[test]
fn a_build_records_and_a_no_op_build_reports_every_file_unchanged() {
    let f = Fixture::new();
    let first = f.stackc(&["build"]).expect(0);
    assert!(first
        .stdout
        .contains(" created, 0 updated, 0 deleted, 0 unchanged"));
    assert_eq!(f.records(), 1);
    let files: usize = first
        .stdout
        .split_whitespace()
        .nth(2)
        .and_then(|n| n.parse().ok())
        .expect("a count");
    let again = f.stackc(&["build"]).expect(0);
    assert!(
        again.stdout.ends_with(&format!(
            "0 created, 0 updated, 0 deleted, {files} unchanged\n"
        )),
        "{}",
        again.stdout
    );
    let check = f.stackc(&["build", "--check"]).expect(0);
    assert!(
        check
            .stdout
            .contains(&format!("ok: the {files} generated files")),
        "{}",
        check.stdout
    );
}

#[test]
fn a_spec_edited_keeping_its_size_and_mtime_is_built() {
    let f = Fixture::new();
    f.stackc(&["build"]).expect(0);
    let stackfile = f.path("Stackfile");
    let mtime = fs::metadata(&stackfile)
        .expect("stat")
        .modified()
        .expect("mtime");
    let edited = STACKFILE.replace("component api", "component apx");
    assert_eq!(edited.len(), STACKFILE.len());
    fs::write(&stackfile, &edited).expect("write");
    set_mtime(&stackfile, mtime);
    let run = f.stackc(&["build"]).expect(0);
    assert!(run.stdout.contains(" 2 deleted"), "{}", run.stdout);
    assert!(f.path("generated/compose/test/apx.yml").exists());
    assert!(!f.path("generated/compose/test/api.yml").exists());
    f.stackc(&["build", "--check"]).expect(0);
}

#[test]
fn an_included_file_added_is_built() {
    let f = Fixture::new();
    f.stackc(&["build"]).expect(0);
    fs::write(f.path("parts/cache.stack"), "component cache { }\n").expect("write");
    let run = f.stackc(&["build"]).expect(0);
    assert!(!run.stdout.contains(" 0 created"), "{}", run.stdout);
    assert!(f
        .read("generated/.stackc-manifest")
        .contains("compose/test/cache.yml\n"));
}

#[test]
fn a_check_after_a_generated_file_is_edited_finds_it() {
    let f = Fixture::new();
    f.stackc(&["build"]).expect(0);
    let path = f.path("generated/compose/test/api.yml");
    let text = f.read("generated/compose/test/api.yml");
    let mtime = fs::metadata(&path)
        .expect("stat")
        .modified()
        .expect("mtime");
    fs::write(&path, text.replacen("api", "apx", 1)).expect("write");
    set_mtime(&path, mtime);
    f.stackc(&["build", "--check"]).expect(1);
    f.stackc(&["build"]).expect(0);
    assert_eq!(f.read("generated/compose/test/api.yml"), text);
}

#[test]
fn another_output_folder_is_built_and_a_failed_build_records_nothing() {
    let f = Fixture::new();
    f.stackc(&["build"]).expect(0);
    f.stackc(&["build", "--out", "other"]).expect(0);
    assert_eq!(f.records(), 2, "one record per output folder");
    assert_eq!(
        f.read("other/compose/test/api.yml"),
        f.read("generated/compose/test/api.yml")
    );
    // A hand-written file in the way: the build fails, and its record is
    // not kept.
    fs::write(f.path("parts/cache.stack"), "component cache { }\n").expect("write");
    fs::write(f.path("other/compose/test/cache.yml"), "mine\n").expect("write");
    f.stackc(&["build", "--out", "other"]).expect(2);
    assert_eq!(f.read("other/compose/test/cache.yml"), "mine\n");
    assert_eq!(f.records(), 1);
}
