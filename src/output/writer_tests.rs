//! The output layer against a real temporary folder, with hand-made
//! artifacts (independent of the emitters).

use std::fs;

use camino::Utf8Path;

use super::super::test_support::*;
use super::super::{
    check_all, write_all, CheckReport, ConflictKind, OutputError, Roots, MANIFEST_FILE,
};

fn check(artifacts: &[super::super::Artifact<'_>], roots: &Roots) -> (CheckReport, String) {
    let mut diffs = String::new();
    let report = check_all(artifacts, roots, &mut |diff| diffs.push_str(diff)).unwrap();
    (report, diffs)
}

fn is_clean(artifacts: &[super::super::Artifact<'_>], roots: &Roots) -> bool {
    check(artifacts, roots).0.is_clean()
}

#[test]
fn first_build_writes_everything_with_manifest_and_modes() {
    let o = out();
    let report = write_all(&base(), &o.roots).unwrap();
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
    assert!(is_clean(&base(), &o.roots));
}

#[cfg(unix)]
#[test]
fn the_mode_is_the_artifacts_not_guessed_from_the_contents() {
    use super::super::{Artifact, FileMode, Root};
    let o = out();
    let artifacts = vec![
        Artifact::rendered(
            Root::Output,
            "example.sh.txt",
            FileMode::Regular,
            SCRIPT.into(),
        ),
        Artifact::rendered(
            Root::Output,
            "run",
            FileMode::Executable,
            "no shebang\n".into(),
        ),
    ];
    write_all(&artifacts, &o.roots).unwrap();
    assert_eq!(mode(&o.out.join("example.sh.txt")), 0o644);
    assert_eq!(mode(&o.out.join("run")), 0o755);
}

#[test]
fn unchanged_files_keep_their_mtime() {
    let o = out();
    write_all(&base(), &o.roots).unwrap();
    for name in names(&o.out) {
        age(&o.out.join(name));
    }
    let before: Vec<_> = names(&o.out)
        .iter()
        .map(|n| mtime(&o.out.join(n)))
        .collect();

    let report = write_all(&base(), &o.roots).unwrap();
    assert_eq!(report.unchanged, 6);
    assert!(report.created.is_empty() && report.updated.is_empty() && report.deleted.is_empty());
    let after: Vec<_> = names(&o.out)
        .iter()
        .map(|n| mtime(&o.out.join(n)))
        .collect();
    assert_eq!(before, after);

    let changed = with(base(), "compose/components/db.yml", "name: db2\n");
    let report = write_all(&changed, &o.roots).unwrap();
    assert_eq!(report.updated.len(), 1);
    assert_eq!(mtime(&o.out.join("compose/components/api.yml")), before[2]);
    assert_ne!(mtime(&o.out.join("compose/components/db.yml")), before[3]);
}

fn to_crlf(path: &Utf8Path) {
    let crlf = fs::read_to_string(path).unwrap().replace('\n', "\r\n");
    fs::write(path, crlf).unwrap();
    age(path);
}

/// A regular file at the repository root, where `.gitattributes` does not
/// reach and a `core.autocrlf` checkout converts it: CRLF is unchanged.
#[test]
fn crlf_at_the_repository_root_is_not_rewritten_nor_stale() {
    let o = out();
    let mut artifacts = base();
    artifacts.extend(set(&[
        ("/ci/pipeline.yml", "a: 1\nb: 2\n"),
        ("/ci/run.sh", SCRIPT),
    ]));
    write_all(&artifacts, &o.roots).unwrap();
    let regular = o.repo.join("ci/pipeline.yml");
    to_crlf(&regular);
    let before = mtime(&regular);
    assert!(is_clean(&artifacts, &o.roots));
    write_all(&artifacts, &o.roots).unwrap();
    assert_eq!(mtime(&regular), before);

    // An executable breaks with CRLF (`/usr/bin/env: 'bash\r'`), wherever it is.
    to_crlf(&o.repo.join("ci/run.sh"));
    let (report, diffs) = check(&artifacts, &o.roots);
    assert_eq!(report.line_endings.len(), 1, "{report:?}");
    assert_eq!(report.differences(), 1, "{report:?}");
    assert_eq!(diffs, "", "no empty diff for line endings");
    write_all(&artifacts, &o.roots).unwrap();
    assert_eq!(
        fs::read_to_string(o.repo.join("ci/run.sh")).unwrap(),
        SCRIPT
    );
    assert!(is_clean(&artifacts, &o.roots));
}

/// In the output folder `.gitattributes` keeps checkouts LF, and shells
/// source or run what is there: CRLF is a difference, and `build` restores
/// LF, for executables and regular files alike (the manifest too).
#[test]
fn crlf_in_the_output_folder_is_stale_and_rewritten() {
    let o = out();
    write_all(&base(), &o.roots).unwrap();
    for name in [MANIFEST_FILE, "stack", "compose/components/api.yml"] {
        to_crlf(&o.out.join(name));
    }
    let (report, _) = check(&base(), &o.roots);
    let shown: Vec<&str> = report
        .line_endings
        .iter()
        .map(|p| p.path.as_str())
        .collect();
    assert_eq!(
        shown,
        [".stackc-manifest", "compose/components/api.yml", "stack"]
    );
    assert!(report.render(&o.roots).contains(&format!(
        "line endings: {}/stack has CRLF line endings; it must have LF, as generated\n",
        o.out
    )));
    let written = write_all(&base(), &o.roots).unwrap();
    // The manifest is rewritten before the files (step 3), uncounted.
    assert_eq!(written.updated.len(), 2, "{written:?}");
    assert_eq!(fs::read_to_string(o.out.join("stack")).unwrap(), SCRIPT);
    assert!(!fs::read_to_string(o.out.join(MANIFEST_FILE))
        .unwrap()
        .contains('\r'));
    assert!(is_clean(&base(), &o.roots));
}

#[test]
fn files_no_longer_generated_are_deleted_with_their_empty_folders() {
    let o = out();
    write_all(&base(), &o.roots).unwrap();
    fs::write(o.out.join("compose/components/notes.md"), "mine").unwrap();
    let smaller = without(
        without(base(), "compose/test/api.yml"),
        "compose/components/db.yml",
    );

    let (report, _) = check(&smaller, &o.roots);
    assert_eq!(report.unexpected.len(), 2);

    let report = write_all(&smaller, &o.roots).unwrap();
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
    assert!(is_clean(&smaller, &o.roots));
}

#[test]
fn a_hand_written_file_in_the_way_stops_the_build_before_any_write() {
    let o = out();
    fs::create_dir_all(o.out.join("compose/components")).unwrap();
    fs::write(o.out.join("compose/components/db.yml"), "my own\n").unwrap();

    let error = write_all(&base(), &o.roots).unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, OutputError::Conflicts { .. }));
    assert!(message.contains("compose/components/db.yml"), "{message}");
    assert!(
        message.contains(": a file not listed in the manifest"),
        "{message}"
    );
    assert!(
        message.contains("otherwise move your files out of it"),
        "{message}"
    );
    assert!(
        message.contains("note: the manifest") && message.contains("is missing"),
        "no manifest in a folder of someone else's files: {message}"
    );
    assert_eq!(
        names(&o.out),
        ["compose/components/db.yml"],
        "nothing written"
    );

    let (report, diffs) = check(&base(), &o.roots);
    assert!(report.stale.is_empty(), "{report:?}");
    assert!(
        report
            .in_the_way
            .iter()
            .any(|c| c.kind == ConflictKind::HandWritten
                && c.path.path.as_str() == "compose/components/db.yml"),
        "{report:?}"
    );
    assert!(report.manifest_missing);
    assert!(diffs.contains("-my own\n+name: db\n"), "{diffs}");
}

#[test]
fn an_identical_file_without_manifest_is_adopted() {
    let o = out();
    fs::create_dir_all(o.out.join("compose/components")).unwrap();
    let api = o.out.join("compose/components/api.yml");
    fs::write(&api, "name: api\n").unwrap();
    age(&api);
    let before = mtime(&api);
    write_all(&base(), &o.roots).unwrap();
    assert_eq!(mtime(&api), before);
    assert!(fs::read_to_string(o.out.join(MANIFEST_FILE))
        .unwrap()
        .contains("compose/components/api.yml"));
}

#[cfg(unix)]
#[test]
fn links_inside_the_output_folder_are_never_followed() {
    let o = out();
    let elsewhere = o.repo.join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    fs::create_dir_all(&o.out).unwrap();
    std::os::unix::fs::symlink(&elsewhere, o.out.join("compose")).unwrap();

    let error = write_all(&base(), &o.roots).unwrap_err();
    assert!(error.to_string().contains("symbolic link"), "{error}");
    assert!(names(&elsewhere).is_empty());

    // A link where a file goes is refused too.
    fs::remove_file(o.out.join("compose")).unwrap();
    std::os::unix::fs::symlink(elsewhere.join("target"), o.out.join("stack")).unwrap();
    let error = write_all(&base(), &o.roots).unwrap_err();
    assert!(error.to_string().contains("generated/stack"), "{error}");
    assert!(names(&elsewhere).is_empty());
}

#[cfg(unix)]
#[test]
fn a_manifest_entry_behind_a_link_is_never_deleted() {
    let o = out();
    write_all(&base(), &o.roots).unwrap();
    // Someone replaces a generated folder with a link to their own files.
    let elsewhere = o.repo.join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    fs::write(elsewhere.join("api.yml"), "precious").unwrap();
    fs::remove_dir_all(o.out.join("compose/test")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, o.out.join("compose/test")).unwrap();

    write_all(&without(base(), "compose/test/api.yml"), &o.roots).unwrap();
    assert_eq!(
        fs::read_to_string(elsewhere.join("api.yml")).unwrap(),
        "precious"
    );
}

#[test]
fn a_manifest_line_outside_the_folder_is_refused() {
    let o = out();
    write_all(&base(), &o.roots).unwrap();
    fs::write(o.repo.join("victim"), "keep").unwrap();
    let manifest = o.out.join(MANIFEST_FILE);
    let text = fs::read_to_string(&manifest).unwrap() + "../victim\n";
    fs::write(&manifest, text).unwrap();

    let error = write_all(&set(&[]), &o.roots).unwrap_err();
    assert!(
        matches!(error, OutputError::BadManifest { line: 9, .. }),
        "{error}"
    );
    assert!(error.to_string().contains("../victim"));
    assert_eq!(fs::read_to_string(o.repo.join("victim")).unwrap(), "keep");
    assert!(o.out.join("stack").exists(), "nothing deleted");
}

#[cfg(unix)]
#[test]
fn a_script_that_lost_its_executable_bit_is_fixed_without_rewriting() {
    use std::os::unix::fs::PermissionsExt;
    let o = out();
    write_all(&base(), &o.roots).unwrap();
    let stack = o.out.join("stack");
    fs::set_permissions(&stack, fs::Permissions::from_mode(0o644)).unwrap();
    age(&stack);
    let before = mtime(&stack);
    let (report, _) = check(&base(), &o.roots);
    assert_eq!(report.modes.len(), 1);
    assert!(report
        .render(&o.roots)
        .contains(&format!("mode: {}/stack should be executable", o.out)));
    write_all(&base(), &o.roots).unwrap();
    assert_eq!(mode(&stack), 0o755);
    assert_eq!(mtime(&stack), before);
}

#[test]
fn files_and_folders_can_trade_places() {
    let o = out();
    write_all(&set(&[("x", "file\n"), ("y/z", "nested\n")]), &o.roots).unwrap();
    let swapped = set(&[("x/inner", "now nested\n"), ("y", "now a file\n")]);
    write_all(&swapped, &o.roots).unwrap();
    let visible: Vec<_> = files(&o.out)
        .into_iter()
        .filter(|(n, _, _)| !n.starts_with('.'))
        .map(|(n, c, _)| (n, c))
        .collect();
    assert_eq!(
        visible,
        [
            ("x/inner".to_string(), "now nested\n".to_string()),
            ("y".to_string(), "now a file\n".to_string())
        ]
    );
    assert!(is_clean(&swapped, &o.roots));
}

#[test]
fn the_output_folder_must_be_a_folder() {
    let o = out();
    fs::write(&o.out, "a file").unwrap();
    assert!(matches!(
        write_all(&base(), &o.roots),
        Err(OutputError::RootNotAFolder { .. })
    ));
}

#[test]
fn check_reports_stale_missing_and_unexpected_files() {
    let o = out();
    write_all(&base(), &o.roots).unwrap();
    let next = with(
        base(),
        "compose/components/api.yml",
        "name: api\nports: []\n",
    );
    let next = with(next, "compose/environments/prod.yml", "name: prod\n");
    let next = without(next, "compose/test/api.yml");

    let (report, diffs) = check(&next, &o.roots);
    assert!(!report.is_clean());
    assert_eq!(report.stale.len(), 2, "api.yml and the manifest");
    assert_eq!(report.missing.len(), 1);
    assert_eq!(report.unexpected.len(), 1);
    // Names as the command line shows them: the output folder as given.
    let roots = Roots::new("generated", o.repo.as_str()).unwrap();
    let cwd_free = |text: &str| text.replace(o.out.as_str(), "generated");
    let text = cwd_free(&diffs) + &report.render(&roots);
    insta::with_settings!({snapshot_path => "../../snapshots/output"}, {
        insta::assert_snapshot!("check_report", text);
    });
    // Checking wrote nothing.
    assert!(o.out.join("compose/test/api.yml").exists());
    assert!(!o.out.join("compose/environments").exists());
}

#[test]
fn a_missing_output_folder_is_all_missing() {
    let o = out();
    let (report, diffs) = check(&base(), &o.roots);
    assert_eq!(report.missing.len(), 6);
    assert!(diffs.is_empty());
    assert!(!o.out.exists(), "checking creates nothing");
}

#[test]
fn a_file_with_a_name_like_a_temporary_is_the_users() {
    let o = out();
    write_all(&base(), &o.roots).unwrap();
    for name in [
        ".stackc-tmp-notes",
        ".stackc-tmp-1-2",
        "compose/.stackc-tmp-0123456789abcdef-00000000",
    ] {
        fs::write(o.out.join(name), "mine\n").unwrap();
    }
    write_all(&base(), &o.roots).unwrap();
    write_all(&without(base(), "compose/test/api.yml"), &o.roots).unwrap();
    for name in [
        ".stackc-tmp-notes",
        ".stackc-tmp-1-2",
        "compose/.stackc-tmp-0123456789abcdef-00000000",
    ] {
        assert_eq!(
            fs::read_to_string(o.out.join(name)).unwrap(),
            "mine\n",
            "{name}"
        );
    }
}

#[test]
fn leftover_temporaries_are_reported_by_check_and_removed_by_build() {
    let o = out();
    write_all(&base(), &o.roots).unwrap();
    let leftover = o
        .out
        .join("compose/test")
        .join(super::super::temporary::new_name());
    fs::write(&leftover, "half writ").unwrap();
    let (report, _) = check(&base(), &o.roots);
    assert_eq!(report.leftovers, std::slice::from_ref(&leftover));
    assert!(report.render(&o.roots).contains(
        "(a temporary file or staged folder of an interrupted build; `stackc build` removes it)"
    ));
    // A leftover is not a generated file: counted on its own.
    assert_eq!(
        report.summary("generated"),
        "1 leftover of an interrupted build in generated"
    );
    let stale = o.out.join(".gitattributes");
    fs::write(&stale, "edited\n").unwrap();
    let (report, _) = check(&base(), &o.roots);
    assert_eq!(
        report.summary("generated"),
        "1 generated file in generated differs from what the specs produce; \
         1 leftover of an interrupted build in generated"
    );
    write_all(&base(), &o.roots).unwrap();
    assert!(!leftover.exists());
    assert!(is_clean(&base(), &o.roots));
}

/// Files at the repository root: written beside the output folder, listed
/// in the one manifest with a leading `/`, and held to the same rules.
#[test]
fn repository_root_files_are_written_listed_checked_and_deleted() {
    let o = out();
    let with_ci = |ci: &str| {
        let mut artifacts = base();
        artifacts.extend(set(&[
            ("/.gitlab-ci.yml", ci),
            ("/.github/workflows/stack.yml", "on: push\n"),
        ]));
        artifacts
    };
    write_all(&with_ci("stages: []\n"), &o.roots).unwrap();
    assert_eq!(
        fs::read_to_string(o.repo.join(".gitlab-ci.yml")).unwrap(),
        "stages: []\n"
    );
    assert!(o.repo.join(".github/workflows/stack.yml").is_file());
    assert!(
        !o.repo.join(".gitattributes").exists(),
        "only in the output folder"
    );
    let manifest = fs::read_to_string(o.out.join(MANIFEST_FILE)).unwrap();
    assert!(
        manifest.ends_with(
            "compose/test/api.yml\nstack\n\
             # Files at the repository root start with `/`; the root, seen from this\n\
             # folder, is the one named on the next line.\n\
             repository-root: ..\n\
             /.github/workflows/stack.yml\n/.gitlab-ci.yml\n"
        ),
        "{manifest}"
    );
    assert!(is_clean(&with_ci("stages: []\n"), &o.roots));

    // Stale, then no longer generated.
    let (report, diffs) = check(&with_ci("stages: [test]\n"), &o.roots);
    assert_eq!(report.stale.len(), 1);
    let shown = format!("{}/.gitlab-ci.yml", o.repo);
    assert!(
        diffs.contains(&format!("--- {shown} (committed)")),
        "{diffs}"
    );
    write_all(&with_ci("stages: [test]\n"), &o.roots).unwrap();
    let (report, _) = check(&base(), &o.roots);
    assert_eq!(report.unexpected.len(), 2);
    assert!(report
        .render(&o.roots)
        .contains(&format!("unexpected: {shown}")));
    write_all(&base(), &o.roots).unwrap();
    assert!(!o.repo.join(".gitlab-ci.yml").exists());
    assert!(!o.repo.join(".github").exists(), "emptied folders removed");
    assert!(!fs::read_to_string(o.out.join(MANIFEST_FILE))
        .unwrap()
        .contains("repository-root"));
    assert!(is_clean(&base(), &o.roots));
}

#[test]
fn a_hand_written_repository_file_is_never_replaced() {
    let o = out();
    fs::write(o.repo.join(".gitlab-ci.yml"), "mine\n").unwrap();
    let mut artifacts = base();
    artifacts.extend(set(&[("/.gitlab-ci.yml", "stages: []\n")]));
    let error = write_all(&artifacts, &o.roots).unwrap_err();
    let message = error.to_string();
    assert!(
        message.starts_with(&format!("a file in {} is in the way", o.repo)),
        "{message}"
    );
    assert!(
        message.contains(&format!("{}/.gitlab-ci.yml", o.repo)),
        "{message}"
    );
    assert!(!message.contains("--out"), "{message}");
    assert!(!o.out.exists(), "nothing written");
    assert_eq!(
        fs::read_to_string(o.repo.join(".gitlab-ci.yml")).unwrap(),
        "mine\n"
    );

    // The same contents: adopted.
    fs::write(o.repo.join(".gitlab-ci.yml"), "stages: []\n").unwrap();
    write_all(&artifacts, &o.roots).unwrap();
    assert!(fs::read_to_string(o.out.join(MANIFEST_FILE))
        .unwrap()
        .ends_with("/.gitlab-ci.yml\n"));
}

#[cfg(unix)]
#[test]
fn links_at_the_repository_root_are_never_followed() {
    let o = out();
    let elsewhere = o.repo.join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, o.repo.join(".github")).unwrap();
    let mut artifacts = base();
    artifacts.extend(set(&[("/.github/workflows/stack.yml", "on: push\n")]));
    let error = write_all(&artifacts, &o.roots).unwrap_err();
    assert!(error.to_string().contains("symbolic link"), "{error}");
    assert!(names(&elsewhere).is_empty());
}

/// The manifest records where the repository root was; run with another
/// one, the files listed for the old root are neither replaced nor deleted
/// at the new one.
#[test]
fn a_moved_repository_root_never_deletes_files_at_the_new_one() {
    let o = out();
    let mut artifacts = base();
    artifacts.extend(set(&[("/ci.yml", "generated\n")]));
    write_all(&artifacts, &o.roots).unwrap();

    let other = o.repo.join("other");
    fs::create_dir_all(&other).unwrap();
    fs::write(other.join("ci.yml"), "precious\n").unwrap();
    let moved = Roots::new(o.out.clone(), other.clone()).unwrap();
    // No longer generated: the new root's ci.yml is not stackc's.
    write_all(&base(), &moved).unwrap();
    assert_eq!(
        fs::read_to_string(other.join("ci.yml")).unwrap(),
        "precious\n"
    );
    assert_eq!(
        fs::read_to_string(o.repo.join("ci.yml")).unwrap(),
        "generated\n"
    );
    // Generated again at the new root: in the way.
    let error = write_all(&artifacts, &moved).unwrap_err();
    assert!(matches!(error, OutputError::Conflicts { .. }), "{error}");
}

#[test]
fn repository_files_may_not_go_into_git_or_the_output_folder() {
    let o = out();
    for path in ["/.git/hooks/pre-commit", "/generated/stack2"] {
        let mut artifacts = base();
        artifacts.extend(set(&[(path, "x\n")]));
        let error = write_all(&artifacts, &o.roots).unwrap_err();
        assert!(
            matches!(error, OutputError::InvalidArtifact { .. }),
            "{error}"
        );
    }
    assert!(!o.out.exists());
}

#[test]
fn output_paths_in_errors_are_as_given() {
    let o = out();
    let roots = Roots::new(Utf8Path::new(o.out.as_str()), o.repo.clone()).unwrap();
    fs::create_dir_all(o.out.join("compose/test")).unwrap();
    fs::write(o.out.join("compose/test/api.yml"), "mine\n").unwrap();
    let message = write_all(&base(), &roots).unwrap_err().to_string();
    assert!(
        message.contains(&format!("{}/compose/test/api.yml", o.out)),
        "{message}"
    );
    assert!(
        message.ends_with("or write elsewhere with `--out`"),
        "{message}"
    );
}

/// An empty folder (or one holding only empty folders and stackc's own
/// temporaries) where a file goes gives way: `--check` calls the file
/// missing and `build` creates it; a folder holding anything else is in
/// the way for both.
#[test]
fn an_empty_folder_gives_way_to_a_file() {
    let o = out();
    fs::create_dir_all(o.out.join("stack/empty/deeper")).unwrap();
    fs::write(
        o.out
            .join("stack/empty")
            .join(super::super::temporary::new_name()),
        "x",
    )
    .unwrap();
    let (report, _) = check(&base(), &o.roots);
    assert!(report.in_the_way.is_empty(), "{report:?}");
    assert!(report.missing.iter().any(|p| p.path.as_str() == "stack"));
    write_all(&base(), &o.roots).unwrap();
    assert_eq!(fs::read_to_string(o.out.join("stack")).unwrap(), SCRIPT);
    assert!(is_clean(&base(), &o.roots));

    let o = out();
    fs::create_dir_all(o.out.join("stack/sub")).unwrap();
    fs::write(o.out.join("stack/sub/notes"), "mine\n").unwrap();
    let (report, _) = check(&base(), &o.roots);
    assert_eq!(report.in_the_way.len(), 1, "{report:?}");
    assert_eq!(report.in_the_way[0].kind, ConflictKind::Folder);
    assert!(write_all(&base(), &o.roots).is_err());
    assert_eq!(
        fs::read_to_string(o.out.join("stack/sub/notes")).unwrap(),
        "mine\n"
    );
}

/// Several threads render and stage files: the tree, the report and the
/// modes are what one thread makes, for a first build and for one that
/// adds, changes and deletes files.
#[test]
fn threads_write_what_one_thread_writes() {
    let many = || {
        let mut many = base();
        for i in 0..40 {
            many.extend(set(&[(
                &format!("compose/components/c{i}.yml"),
                &format!("name: c{i}\n").repeat(i + 1),
            )]));
        }
        many
    };
    let changed = with(
        without(many(), "compose/components/c3.yml"),
        "compose/components/c7.yml",
        "name: changed\n",
    );
    let mut trees = Vec::new();
    for workers in [1, 2, 3] {
        let o = out();
        let first = super::write_on(&many(), &o.roots, None, workers).unwrap();
        let snapshot = (files(&o.out), folders(&o.out));
        let second = super::write_on(&changed, &o.roots, None, workers).unwrap();
        trees.push((first, snapshot, second, files(&o.out)));
        assert!(is_clean(&changed, &o.roots), "{workers} workers");
    }
    assert_eq!(trees[0], trees[1]);
    assert_eq!(trees[0], trees[2]);
}
