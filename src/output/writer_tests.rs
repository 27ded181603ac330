//! The output layer against a real temporary folder, with hand-made
//! artifact sets (independent of the emitters).

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::super::atomic_file::faults;
use super::super::{check_all, write_all, OutputError, MANIFEST_FILE, TEMP_PREFIX};
use crate::emit::ArtifactSet;

const SCRIPT: &str = "#!/usr/bin/env bash\necho stack\n";

fn set(entries: &[(&str, &str)]) -> ArtifactSet {
    entries
        .iter()
        .map(|(p, c)| (p.to_string(), c.to_string()))
        .collect()
}

fn base() -> ArtifactSet {
    set(&[
        ("stack", SCRIPT),
        ("compose/components/api.yml", "name: api\n"),
        ("compose/components/db.yml", "name: db\n"),
        ("compose/test/api.yml", "name: test-api\n"),
    ])
}

struct Out {
    _dir: tempfile::TempDir,
    root: PathBuf,
    out: PathBuf,
}

fn out() -> Out {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let out = root.join("generated");
    Out {
        _dir: dir,
        root,
        out,
    }
}

/// Every regular file under `dir`, relative, sorted, with contents.
fn files(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            walk(root, &entry.path(), out);
        } else if kind.is_file() {
            let relative = entry
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            out.push((
                relative,
                fs::read_to_string(entry.path()).unwrap_or_default(),
            ));
        }
    }
}

fn names(dir: &Path) -> Vec<String> {
    files(dir).into_iter().map(|(n, _)| n).collect()
}

fn age(path: &Path) {
    let old = SystemTime::now() - Duration::from_secs(3600);
    fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(old)
        .unwrap();
}

fn mtime(path: &Path) -> SystemTime {
    fs::metadata(path).unwrap().modified().unwrap()
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn first_build_writes_everything_with_manifest_and_modes() {
    let o = out();
    let report = write_all(&base(), &o.out).unwrap();
    assert_eq!(report.created.len(), 6);
    assert_eq!(
        names(&o.out),
        [
            ".gitattributes",
            ".stackc-manifest",
            "compose/components/api.yml",
            "compose/components/db.yml",
            "compose/test/api.yml",
            "stack"
        ]
    );
    let manifest = fs::read_to_string(o.out.join(MANIFEST_FILE)).unwrap();
    assert!(manifest.ends_with(
        "\n.gitattributes\ncompose/components/api.yml\ncompose/components/db.yml\ncompose/test/api.yml\nstack\n"
    ));
    #[cfg(unix)]
    {
        assert_eq!(mode(&o.out.join("stack")), 0o755);
        assert_eq!(mode(&o.out.join("compose/test/api.yml")), 0o644);
    }
    assert!(check_all(&base(), &o.out).unwrap().is_clean());
}

#[test]
fn unchanged_files_keep_their_mtime() {
    let o = out();
    write_all(&base(), &o.out).unwrap();
    for (name, _) in files(&o.out) {
        age(&o.out.join(name));
    }
    let before: Vec<SystemTime> = names(&o.out)
        .iter()
        .map(|n| mtime(&o.out.join(n)))
        .collect();

    let report = write_all(&base(), &o.out).unwrap();
    assert_eq!(report.unchanged, 6);
    assert!(report.created.is_empty() && report.updated.is_empty() && report.deleted.is_empty());
    let after: Vec<SystemTime> = names(&o.out)
        .iter()
        .map(|n| mtime(&o.out.join(n)))
        .collect();
    assert_eq!(before, after);

    let mut changed = base();
    changed.insert("compose/components/db.yml".into(), "name: db2\n".into());
    let report = write_all(&changed, &o.out).unwrap();
    assert_eq!(report.updated.len(), 1);
    assert_eq!(mtime(&o.out.join("compose/components/api.yml")), before[2]);
    assert_ne!(mtime(&o.out.join("compose/components/db.yml")), before[3]);
}

#[test]
fn crlf_checkout_is_not_rewritten_nor_stale() {
    let o = out();
    write_all(&base(), &o.out).unwrap();
    let api = o.out.join("compose/components/api.yml");
    fs::write(&api, "name: api\r\n").unwrap();
    age(&api);
    let before = mtime(&api);
    assert!(check_all(&base(), &o.out).unwrap().is_clean());
    write_all(&base(), &o.out).unwrap();
    assert_eq!(mtime(&api), before);
}

#[test]
fn files_no_longer_generated_are_deleted_with_their_empty_folders() {
    let o = out();
    write_all(&base(), &o.out).unwrap();
    fs::write(o.out.join("compose/components/notes.md"), "mine").unwrap();
    let mut smaller = base();
    smaller.remove("compose/test/api.yml");
    smaller.remove("compose/components/db.yml");

    let report = check_all(&smaller, &o.out).unwrap();
    assert_eq!(report.unexpected.len(), 2);

    let report = write_all(&smaller, &o.out).unwrap();
    assert_eq!(report.deleted.len(), 2);
    assert!(!o.out.join("compose/test").exists(), "empty folder removed");
    assert_eq!(
        fs::read_to_string(o.out.join("compose/components/notes.md")).unwrap(),
        "mine",
        "a file stackc did not generate is kept"
    );
    assert!(!fs::read_to_string(o.out.join(MANIFEST_FILE))
        .unwrap()
        .contains("db.yml"));
    assert!(check_all(&smaller, &o.out).unwrap().is_clean());
}

#[test]
fn a_hand_written_file_in_the_way_stops_the_build_before_any_write() {
    let o = out();
    fs::create_dir_all(o.out.join("compose/components")).unwrap();
    fs::write(o.out.join("compose/components/db.yml"), "my own\n").unwrap();

    let error = write_all(&base(), &o.out).unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, OutputError::Conflicts { .. }));
    assert!(message.contains("compose/components/db.yml"), "{message}");
    assert!(message.contains("did not generate"), "{message}");
    assert!(message.contains("help: move it out of"), "{message}");
    assert_eq!(
        names(&o.out),
        ["compose/components/db.yml"],
        "nothing written"
    );

    let report = check_all(&base(), &o.out).unwrap();
    assert!(report.stale.iter().any(|s| s.hand_written));
}

#[test]
fn an_identical_file_without_manifest_is_adopted() {
    let o = out();
    fs::create_dir_all(o.out.join("compose/components")).unwrap();
    let api = o.out.join("compose/components/api.yml");
    fs::write(&api, "name: api\n").unwrap();
    age(&api);
    let before = mtime(&api);
    write_all(&base(), &o.out).unwrap();
    assert_eq!(mtime(&api), before);
    assert!(fs::read_to_string(o.out.join(MANIFEST_FILE))
        .unwrap()
        .contains("compose/components/api.yml"));
}

#[cfg(unix)]
#[test]
fn links_inside_the_output_folder_are_never_followed() {
    let o = out();
    let elsewhere = o.root.join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    fs::create_dir_all(&o.out).unwrap();
    std::os::unix::fs::symlink(&elsewhere, o.out.join("compose")).unwrap();

    let error = write_all(&base(), &o.out).unwrap_err();
    assert!(error.to_string().contains("symbolic link"), "{error}");
    assert!(names(&elsewhere).is_empty());

    // A link where a file goes is refused too.
    fs::remove_file(o.out.join("compose")).unwrap();
    std::os::unix::fs::symlink(elsewhere.join("target"), o.out.join("stack")).unwrap();
    let error = write_all(&base(), &o.out).unwrap_err();
    assert!(error.to_string().contains("generated/stack"), "{error}");
    assert!(names(&elsewhere).is_empty());
}

#[cfg(unix)]
#[test]
fn a_manifest_entry_behind_a_link_is_never_deleted() {
    let o = out();
    write_all(&base(), &o.out).unwrap();
    // Someone replaces a generated folder with a link to their own files.
    let elsewhere = o.root.join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    fs::write(elsewhere.join("api.yml"), "precious").unwrap();
    fs::remove_dir_all(o.out.join("compose/test")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, o.out.join("compose/test")).unwrap();

    let mut smaller = base();
    smaller.remove("compose/test/api.yml");
    write_all(&smaller, &o.out).unwrap();
    assert_eq!(
        fs::read_to_string(elsewhere.join("api.yml")).unwrap(),
        "precious"
    );
}

#[test]
fn a_manifest_line_outside_the_folder_is_refused() {
    let o = out();
    write_all(&base(), &o.out).unwrap();
    fs::write(o.root.join("victim"), "keep").unwrap();
    let manifest = o.out.join(MANIFEST_FILE);
    let text = fs::read_to_string(&manifest).unwrap() + "../victim\n";
    fs::write(&manifest, text).unwrap();

    let error = write_all(&set(&[]), &o.out).unwrap_err();
    assert!(
        matches!(error, OutputError::BadManifest { line: 9, .. }),
        "{error}"
    );
    assert!(error.to_string().contains("../victim"));
    assert_eq!(fs::read_to_string(o.root.join("victim")).unwrap(), "keep");
    assert!(o.out.join("stack").exists(), "nothing deleted");
}

#[cfg(unix)]
#[test]
fn a_script_that_lost_its_executable_bit_is_fixed_without_rewriting() {
    use std::os::unix::fs::PermissionsExt;
    let o = out();
    write_all(&base(), &o.out).unwrap();
    let stack = o.out.join("stack");
    fs::set_permissions(&stack, fs::Permissions::from_mode(0o644)).unwrap();
    age(&stack);
    let before = mtime(&stack);
    let report = check_all(&base(), &o.out).unwrap();
    assert_eq!(report.modes.len(), 1);
    assert!(report
        .render(Path::new("generated"))
        .contains("mode: generated/stack should be executable"));
    write_all(&base(), &o.out).unwrap();
    assert_eq!(mode(&stack), 0o755);
    assert_eq!(mtime(&stack), before);
}

#[test]
fn files_and_folders_can_trade_places() {
    let o = out();
    write_all(&set(&[("x", "file\n"), ("y/z", "nested\n")]), &o.out).unwrap();
    let swapped = set(&[("x/inner", "now nested\n"), ("y", "now a file\n")]);
    write_all(&swapped, &o.out).unwrap();
    assert_eq!(
        files(&o.out)
            .into_iter()
            .filter(|(n, _)| !n.starts_with('.'))
            .collect::<Vec<_>>(),
        [
            ("x/inner".to_string(), "now nested\n".to_string()),
            ("y".to_string(), "now a file\n".to_string())
        ]
    );
    assert!(check_all(&swapped, &o.out).unwrap().is_clean());
}

#[test]
fn the_output_folder_must_be_a_folder() {
    let o = out();
    fs::write(&o.out, "a file").unwrap();
    assert!(matches!(
        write_all(&base(), &o.out),
        Err(OutputError::OutNotAFolder { .. })
    ));
}

#[test]
fn leftovers_of_a_killed_build_are_cleaned() {
    let o = out();
    write_all(&base(), &o.out).unwrap();
    let leftover = o.out.join("compose/test").join(format!("{TEMP_PREFIX}1-2"));
    fs::write(&leftover, "half writ").unwrap();
    write_all(&base(), &o.out).unwrap();
    assert!(!leftover.exists());
}

#[test]
fn check_reports_stale_missing_and_unexpected_files() {
    let o = out();
    write_all(&base(), &o.out).unwrap();
    let mut next = base();
    next.insert(
        "compose/components/api.yml".into(),
        "name: api\nports: []\n".into(),
    );
    next.insert(
        "compose/environments/prod.yml".into(),
        "name: prod\n".into(),
    );
    next.remove("compose/test/api.yml");

    let report = check_all(&next, &o.out).unwrap();
    assert!(!report.is_clean());
    assert_eq!(report.stale.len(), 2, "api.yml and the manifest");
    assert_eq!(report.missing.len(), 1);
    assert_eq!(report.unexpected.len(), 1);
    let text = report.render(Path::new("generated"));
    insta::with_settings!({snapshot_path => "../../snapshots/output"}, {
        insta::assert_snapshot!("check_report", text);
    });
    // Checking wrote nothing.
    assert!(o.out.join("compose/test/api.yml").exists());
    assert!(!o.out.join("compose/environments").exists());
}

/// Fails the n-th write of a build, for every n, and proves each file is
/// then either entirely old or entirely new, no temporary file is left, and
/// the manifest still lists every generated file on disk.
#[test]
fn a_write_failure_at_any_point_leaves_no_half_written_file() {
    let old = base();
    let mut new = base();
    new.insert(
        "compose/components/api.yml".into(),
        "name: api v2\n".repeat(50),
    );
    new.insert("stack".into(), format!("{SCRIPT}# v2\n"));
    new.insert(
        "compose/environments/prod.yml".into(),
        "name: prod\n".into(),
    );
    new.remove("compose/components/db.yml");

    let mut failures = 0;
    for n in 0.. {
        let o = out();
        write_all(&old, &o.out).unwrap();
        let old_files = files(&o.out);
        faults::fail_write(n);
        let result = write_all(&new, &o.out);
        faults::clear();
        if result.is_ok() {
            assert!(n > 3, "a build of this change makes several writes");
            break;
        }
        failures += 1;
        let message = result.unwrap_err().to_string();
        assert!(message.contains("injected failure"), "{message}");

        let new_files = {
            let p = out();
            write_all(&new, &p.out).unwrap();
            files(&p.out)
        };
        let manifest = fs::read_to_string(o.out.join(MANIFEST_FILE)).unwrap();
        for (name, contents) in files(&o.out) {
            assert!(!name.contains(TEMP_PREFIX), "temporary file left: {name}");
            if name == MANIFEST_FILE {
                // Old, new, or widened to both: always complete.
                assert!(
                    contents.ends_with("\nstack\n"),
                    "manifest cut short: {contents}"
                );
                continue;
            }
            let is_old = old_files.contains(&(name.clone(), contents.clone()));
            let is_new = new_files.contains(&(name.clone(), contents.clone()));
            assert!(
                is_old || is_new,
                "after failing write {n}, {name} is half written"
            );
            assert!(
                manifest.contains(&format!("\n{name}\n")),
                "{name} not in manifest"
            );
        }
        // A second build finishes the job.
        write_all(&new, &o.out).unwrap();
        assert_eq!(files(&o.out), new_files);
    }
    assert!(failures >= 4, "only {failures} failure points exercised");
}
