//! A build stopped at every single change it makes to the disk (each
//! folder created, temporary removed, file written, deleted or re-moded,
//! folder pruned, manifest written), as a crash or a full disk would stop
//! it, for first, additive, subtractive and mixed builds; then the next
//! build, with the same specs or changed ones, must end with exactly the
//! files those specs produce, and `check` must never call a tree with
//! leftovers up to date.

use std::fs;

use camino::Utf8Path;

use super::super::faults::{self, Fault};
use super::super::test_support::*;
use super::super::{check_all, write_all, Artifact, Manifest, Roots, MANIFEST_FILE, TEMP_PREFIX};

/// What a tree looks like: every file (path under the repository, contents,
/// executable) and every folder.
type Snapshot = (Vec<(String, String, bool)>, Vec<String>);

fn snapshot(repo: &Utf8Path) -> Snapshot {
    (files(repo), folders(repo))
}

/// The tree a build of `artifacts` makes from nothing.
fn fresh(artifacts: &[Artifact<'_>]) -> Snapshot {
    let o = out();
    write_all(artifacts, &o.roots).unwrap();
    snapshot(&o.repo)
}

fn is_clean(artifacts: &[Artifact<'_>], roots: &Roots) -> bool {
    check_all(artifacts, roots, &mut |_| {}).unwrap().is_clean()
}

fn a() -> Vec<Artifact<'static>> {
    let mut artifacts = base();
    artifacts.extend(set(&[("/.gitlab-ci.yml", "stages: [a]\n")]));
    artifacts
}

fn a_plus() -> Vec<Artifact<'static>> {
    let mut artifacts = a();
    artifacts.extend(set(&[
        ("compose/environments/prod.yml", "name: prod\n"),
        ("compose/test/db.yml", "name: test-db\n"),
        ("tools/deep/er/x.sh", "#!/bin/sh\n"),
        ("/.github/workflows/stack.yml", "on: push\n"),
    ]));
    artifacts
}

fn a_minus() -> Vec<Artifact<'static>> {
    without(without(a(), "compose/test/api.yml"), ".gitlab-ci.yml")
}

fn mixed() -> Vec<Artifact<'static>> {
    let mut artifacts = without(
        without(a(), "compose/components/db.yml"),
        "compose/test/api.yml",
    );
    artifacts = with(
        artifacts,
        "compose/components/api.yml",
        &"name: api v2\n".repeat(40),
    );
    artifacts = with(artifacts, "stack", &format!("{SCRIPT}# v2\n"));
    artifacts.extend(set(&[
        // A file where a folder was, and a folder where a file was.
        ("compose/test", "now a file\n"),
        ("compose/components/db.yml.d/x.yml", "nested\n"),
        ("/.github/workflows/stack.yml", "on: push\n"),
    ]));
    artifacts
}

fn other() -> Vec<Artifact<'static>> {
    set(&[
        ("stack", "#!/usr/bin/env bash\necho other\n"),
        ("compose/components/web.yml", "name: web\n"),
        ("compose/components/api.yml", "name: api other\n"),
        ("/.gitlab-ci.yml", "stages: [other]\n"),
    ])
}

/// Every file on disk that is not a temporary is listed in the manifest
/// on disk (or is the manifest), so the next build owns it.
fn assert_everything_listed(o: &Out, context: &str) {
    let Ok(text) = fs::read_to_string(o.out.join(MANIFEST_FILE)) else {
        let (names, _) = snapshot(&o.repo);
        assert!(
            names.iter().all(|(n, _, _)| n.contains(TEMP_PREFIX)),
            "{context}: files without a manifest: {names:?}"
        );
        return;
    };
    let manifest = Manifest::parse(&text).unwrap();
    let listed: Vec<String> = manifest
        .paths
        .iter()
        .map(|p| o.roots.full(p).strip_prefix(&o.repo).unwrap().to_string())
        .collect();
    for (name, _, _) in files(&o.repo) {
        // In a temporary, or a staged folder.
        let is_temporary = name.split('/').any(|n| n.starts_with(TEMP_PREFIX));
        if is_temporary || name == format!("generated/{MANIFEST_FILE}") {
            continue;
        }
        assert!(
            listed.contains(&name),
            "{context}: {name} is not in the manifest"
        );
    }
}

/// Stops the build from `old` to `new` at change `n`; then checks and
/// finishes with `next`. Returns false once `n` is past the last change.
fn stop_and_recover(
    old: Option<&[Artifact<'_>]>,
    new: &[Artifact<'_>],
    next: &[Artifact<'_>],
    n: usize,
    fault: Fault,
) -> bool {
    let context = format!("{fault:?} at change {n}");
    let o = out();
    if let Some(old) = old {
        write_all(old, &o.roots).unwrap();
    }
    faults::inject(n, fault);
    let result = write_all(new, &o.roots);
    faults::clear();
    if result.is_ok() {
        return false;
    }
    let message = result.unwrap_err().to_string();
    assert!(message.contains("injected failure"), "{context}: {message}");
    assert_everything_listed(&o, &context);

    for specs in [new, next] {
        if is_clean(specs, &o.roots) {
            assert_eq!(
                snapshot(&o.repo),
                fresh(specs),
                "{context}: check calls a tree with leftovers up to date"
            );
        }
    }
    let report = write_all(next, &o.roots);
    assert!(
        report.is_ok(),
        "{context}: the next build fails: {report:?}"
    );
    assert_eq!(snapshot(&o.repo), fresh(next), "{context}: the next build");
    assert!(is_clean(next, &o.roots), "{context}");
    true
}

fn every_stop(old: Option<&[Artifact<'_>]>, new: &[Artifact<'_>], nexts: &[&[Artifact<'_>]]) {
    for fault in [Fault::Crash, Fault::DiskFull] {
        for next in nexts {
            let mut stops = 0;
            while stop_and_recover(old, new, next, stops, fault) {
                stops += 1;
            }
            assert!(stops >= 5, "only {stops} changes: the build did too little");
        }
    }
}

#[test]
fn a_stopped_first_build_always_recovers() {
    every_stop(None, &a(), &[&a(), &other(), &[]]);
}

#[test]
fn a_stopped_additive_build_always_recovers() {
    every_stop(Some(&a()), &a_plus(), &[&a_plus(), &a(), &other()]);
}

#[test]
fn a_stopped_subtractive_build_always_recovers() {
    every_stop(
        Some(&a_plus()),
        &a_minus(),
        &[&a_minus(), &a_plus(), &other()],
    );
}

#[test]
fn a_stopped_mixed_build_always_recovers() {
    every_stop(Some(&a()), &mixed(), &[&mixed(), &a(), &other()]);
}

/// The first build of a workspace, killed after writing files: the next
/// build with changed specs used to stop at "files stackc did not
/// generate" (issue 9).
#[test]
fn files_of_a_stopped_first_build_are_never_in_the_way() {
    // Two new folders, so a stop can fall between their renames.
    let mut first = a();
    first.extend(set(&[("zz/last.yml", "last\n")]));
    let o = stopped_once_written(None, &first, "compose/components/api.yml");
    let report = write_all(&other(), &o.roots).unwrap();
    assert!(!report.deleted.is_empty());
    assert_eq!(snapshot(&o.repo), fresh(&other()));
}

/// A build that only adds files, killed, then the old specs again: the
/// added files used to stay for good while `check` said up to date.
#[test]
fn files_of_a_stopped_additive_build_are_deleted_by_the_next() {
    let o = stopped_once_written(Some(&a()), &a_plus(), "compose/environments/prod.yml");
    let report = check_all(&a(), &o.roots, &mut |_| {}).unwrap();
    assert!(!report.unexpected.is_empty(), "{report:?}");
    write_all(&a(), &o.roots).unwrap();
    assert_eq!(snapshot(&o.repo), fresh(&a()));
}

/// The build from `old` to `new` stopped (a crash) at the first change
/// after which `path` (in the output folder) is in place: files in a new
/// folder appear only when their staged folder is renamed, late.
fn stopped_once_written(old: Option<&[Artifact<'_>]>, new: &[Artifact<'_>], path: &str) -> Out {
    for n in 0..100 {
        let o = out();
        if let Some(old) = old {
            write_all(old, &o.roots).unwrap();
        }
        faults::inject(n, Fault::Crash);
        let result = write_all(new, &o.roots);
        faults::clear();
        assert!(result.is_err(), "the build ended before {path} appeared");
        if o.out.join(path).exists() {
            return o;
        }
    }
    panic!("{path} never appeared");
}
