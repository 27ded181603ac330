//! Incremental builds: a build whose inputs and files are as the last
//! build left them renders nothing; every other build renders and ends
//! with the right files.

use std::fs;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use camino::Utf8PathBuf;

use super::super::faults::{self, Fault};
use super::super::test_support::*;
use super::super::{
    check_tracked, write_all, write_tracked, Artifact, BuildRecord, FileMode, Root, MANIFEST_FILE,
};

/// The usual files, each counting its renders in `renders`.
fn counted(renders: &Arc<AtomicUsize>) -> Vec<Artifact<'static>> {
    [
        ("stack", SCRIPT),
        ("compose/components/api.yml", "name: api\n"),
        ("compose/test/api.yml", "name: test-api\n"),
    ]
    .into_iter()
    .map(|(path, contents)| {
        let renders = Arc::clone(renders);
        let mode = if path == "stack" {
            FileMode::Executable
        } else {
            FileMode::Regular
        };
        Artifact::new(Root::Output, path, mode, move || {
            renders.fetch_add(1, Ordering::Relaxed);
            contents.to_string()
        })
    })
    .chain(std::iter::once(Artifact::rendered(
        Root::Repository,
        ".gitlab-ci.yml",
        FileMode::Regular,
        "stages: []\n".into(),
    )))
    .collect()
}

struct Fixture {
    o: Out,
    _cache: tempfile::TempDir,
    cache: Utf8PathBuf,
    renders: Arc<AtomicUsize>,
}

impl Fixture {
    fn new() -> Fixture {
        let cache = tempfile::tempdir().unwrap();
        let path = Utf8PathBuf::from_path_buf(cache.path().to_path_buf()).unwrap();
        Fixture {
            o: out(),
            _cache: cache,
            cache: path,
            renders: Arc::new(AtomicUsize::new(0)),
        }
    }

    fn record(&self, inputs: &str) -> BuildRecord {
        BuildRecord::new(&self.cache, &self.o.roots, inputs.to_string())
    }

    /// Builds with `inputs`; how many files were rendered.
    fn build(&self, inputs: &str) -> usize {
        self.renders.store(0, Ordering::Relaxed);
        let record = self.record(inputs);
        write_tracked(&counted(&self.renders), &self.o.roots, Some(&record)).unwrap();
        self.renders.load(Ordering::Relaxed)
    }

    fn expected(&self) -> Vec<(String, String, bool)> {
        let plain = out();
        write_all(&counted(&Arc::default()), &plain.roots).unwrap();
        files(&plain.out)
    }

    fn path(&self, name: &str) -> Utf8PathBuf {
        self.o.out.join(name)
    }
}

#[test]
fn a_no_op_build_renders_nothing_and_reports_every_file_unchanged() {
    let f = Fixture::new();
    assert_eq!(f.build("a"), 3);
    let before = files(&f.o.out);
    let stamps: Vec<_> = names(&f.o.out).iter().map(|n| mtime(&f.path(n))).collect();

    f.renders.store(0, Ordering::Relaxed);
    let record = f.record("a");
    let report = write_tracked(&counted(&f.renders), &f.o.roots, Some(&record)).unwrap();
    assert_eq!(f.renders.load(Ordering::Relaxed), 0);
    // stack, two Compose files, .gitlab-ci.yml, .gitattributes, manifest.
    assert_eq!(report.unchanged, 6);
    assert!(report.created.is_empty() && report.updated.is_empty());
    assert_eq!(files(&f.o.out), before);
    let after: Vec<_> = names(&f.o.out).iter().map(|n| mtime(&f.path(n))).collect();
    assert_eq!(after, stamps);
    assert_eq!(f.build("a"), 0, "and again");
}

#[test]
fn other_inputs_render_everything() {
    let f = Fixture::new();
    f.build("a");
    assert_eq!(f.build("b"), 3, "a spec, an option or the version changed");
    assert_eq!(f.build("b"), 0);
    assert_eq!(
        f.build("a"),
        3,
        "one record per output folder: the last build's"
    );
}

#[test]
fn a_touched_generated_file_is_compared_again() {
    type Touch = fn(&Utf8PathBuf);
    let touches: [(&str, Touch); 6] = [
        ("edited, same size, mtime set back", |path| {
            let mtime = mtime(path);
            std::thread::sleep(std::time::Duration::from_millis(15));
            fs::write(path, "name: API\n").unwrap();
            fs::File::options()
                .write(true)
                .open(path)
                .unwrap()
                .set_modified(mtime)
                .unwrap();
        }),
        ("touched", |path| age(path)),
        ("deleted", |path| fs::remove_file(path).unwrap()),
        ("replaced by a copy", |path| {
            let copy = path.with_extension("copy");
            fs::copy(path, &copy).unwrap();
            fs::rename(&copy, path).unwrap();
        }),
        ("mode changed", |path| {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                fs::set_permissions(path, fs::Permissions::from_mode(0o600)).unwrap();
            }
            #[cfg(not(unix))]
            age(path);
        }),
        ("manifest edited", |path| {
            let manifest = path.parent().unwrap().parent().unwrap().parent().unwrap();
            let manifest = manifest.join(MANIFEST_FILE);
            let text = fs::read_to_string(&manifest).unwrap();
            fs::write(&manifest, format!("{text}# edited\n")).unwrap();
        }),
    ];
    for (what, touch) in touches {
        let f = Fixture::new();
        f.build("a");
        touch(&f.path("compose/components/api.yml"));
        // Every file is compared as it renders; the edited one renders
        // again, into its temporary file.
        let renders = if what.starts_with("edited") { 4 } else { 3 };
        assert_eq!(f.build("a"), renders, "{what}");
        assert_eq!(files(&f.o.out), f.expected(), "{what}");
        assert_eq!(f.build("a"), 0, "{what}: recorded again");
    }
}

#[test]
fn a_repository_root_file_counts_too() {
    let f = Fixture::new();
    f.build("a");
    fs::write(f.o.repo.join(".gitlab-ci.yml"), "stages: [x]\n").unwrap();
    assert_eq!(f.build("a"), 3);
    assert_eq!(
        fs::read_to_string(f.o.repo.join(".gitlab-ci.yml")).unwrap(),
        "stages: []\n"
    );
}

#[test]
fn a_bad_record_means_a_full_build() {
    let f = Fixture::new();
    f.build("a");
    let file = f.record("a").file;
    let good = fs::read_to_string(&file).unwrap();
    assert!(
        good.starts_with("stackc build record 1\ninputs a\n"),
        "{good}"
    );
    let truncated = good.trim_end().trim_end_matches("end").to_string();
    let broken = [
        String::new(),
        truncated,
        good.replace("stackc build record 1", "stackc build record 2"),
        good.replacen(" 100", " x00", 1),
        format!("{good}extra\n"),
    ];
    for bad in broken {
        fs::write(&file, &bad).unwrap();
        assert_eq!(f.build("a"), 3, "{bad}");
        assert_eq!(f.build("a"), 0, "{bad}: recorded again");
    }
}

#[test]
fn an_interrupted_or_failed_build_leaves_no_record() {
    let f = Fixture::new();
    f.build("a");
    // Inputs changed, and the build is killed at its first change.
    faults::inject(0, Fault::Crash);
    let record = f.record("b");
    let result = write_tracked(&counted(&f.renders), &f.o.roots, Some(&record));
    faults::clear();
    assert!(result.is_err());
    assert!(!f.record("a").file.exists());
    assert_eq!(f.build("a"), 3, "the old inputs do not skip either");
    assert_eq!(files(&f.o.out), f.expected());
}

#[test]
fn a_no_op_build_still_removes_leftover_temporaries() {
    // Another build into the same folder, killed while this one completed,
    // leaves temporaries beside files the record proves up to date.
    let f = Fixture::new();
    f.build("a");
    let leftover =
        f.o.out
            .join("compose/test")
            .join(crate::output::temporary::new_name());
    fs::write(&leftover, "half writ").unwrap();
    let before = files(&f.o.out);
    assert_eq!(f.build("a"), 0, "still the shortcut");
    assert!(!leftover.exists(), "the leftover is removed");
    let record = f.record("a");
    let report =
        check_tracked(&counted(&f.renders), &f.o.roots, &mut |_| {}, Some(&record)).unwrap();
    assert!(report.is_clean(), "{report:?}");
    let without: Vec<_> = before
        .into_iter()
        .filter(|(path, _, _)| !path.contains(".stackc-tmp-"))
        .collect();
    assert_eq!(files(&f.o.out), without);
}

#[test]
fn check_skips_only_what_the_record_proves() {
    let f = Fixture::new();
    f.build("a");
    let check = |inputs: &str| {
        f.renders.store(0, Ordering::Relaxed);
        let mut diffs = String::new();
        let record = f.record(inputs);
        let report = check_tracked(
            &counted(&f.renders),
            &f.o.roots,
            &mut |diff| diffs.push_str(diff),
            Some(&record),
        )
        .unwrap();
        (report, diffs, f.renders.load(Ordering::Relaxed))
    };
    let (report, diffs, renders) = check("a");
    assert!(report.is_clean() && diffs.is_empty());
    assert_eq!((report.up_to_date, renders), (6, 0));
    let (report, _, renders) = check("b");
    assert_eq!((report.up_to_date, renders), (6, 3), "other inputs compare");

    fs::write(f.path("compose/test/api.yml"), "name: edited\n").unwrap();
    let (report, diffs, renders) = check("a");
    assert_eq!(renders, 4, "the stale file again, whole, for its diff");
    assert_eq!(report.stale.len(), 1);
    assert!(diffs.contains("+name: test-api"), "{diffs}");
    assert!(
        f.record("a").file.exists(),
        "check never writes, not even the record"
    );
}
