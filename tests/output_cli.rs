//! `stackc build`, `build --check`, `diff`, `fmt`, `graph`, `completions`
//! and `man` through the binary: every exit code path.
//!
//! The files the output layer adds itself (`.gitattributes`, the manifest)
//! stand in for generated files, so these tests hold whatever the emitters
//! produce.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

#[path = "support/run.rs"]
mod run;

use run::Run;

const STACKFILE: &str =
    "stack shop { }\nenvironment dev { }\ncomponent db { }\ncomponent api { depends_on = [db] }\n";

/// A workspace in a temporary folder and the `stackc` binary under test.
struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    fn new(stackfile: &str) -> Workspace {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join("Stackfile"), stackfile).expect("write Stackfile");
        Workspace { dir }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn write(&self, relative: &str, contents: &str) {
        let path = self.path(relative);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, contents).expect("write");
    }

    fn read(&self, relative: &str) -> String {
        fs::read_to_string(self.path(relative)).expect("read")
    }

    fn run(&self, args: &[&str]) -> Run {
        self.run_in(self.dir.path(), args)
    }

    fn run_in(&self, dir: &Path, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_stackc"))
            .args(args)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .output()
            .expect("stackc runs");
        Run::from(output)
    }

    /// Every file under `generated/`, relative.
    fn generated(&self) -> Vec<String> {
        let mut out = Vec::new();
        walk(&self.path("generated"), "", &mut out);
        out.sort();
        out
    }
}

fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let entry = entry.expect("entry");
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        if entry.file_type().expect("type").is_dir() {
            walk(&entry.path(), &format!("{name}/"), out);
        } else {
            out.push(name);
        }
    }
}

fn set_old_mtime(path: &Path) {
    fs::File::options()
        .write(true)
        .open(path)
        .expect("open")
        .set_modified(SystemTime::now() - Duration::from_secs(3600))
        .expect("set mtime");
}

fn mtime(path: &Path) -> SystemTime {
    fs::metadata(path)
        .expect("metadata")
        .modified()
        .expect("mtime")
}

// ---- build ------------------------------------------------------------

#[test]
fn build_writes_then_check_passes() {
    let ws = Workspace::new(STACKFILE);
    let run = ws.run(&["build"]).expect(0);
    assert!(
        run.stdout.starts_with("wrote generated: "),
        "{}",
        run.stdout
    );
    let files = ws.generated();
    assert!(files.contains(&".stackc-manifest".to_string()), "{files:?}");
    assert!(files.contains(&".gitattributes".to_string()), "{files:?}");
    let run = ws.run(&["build", "--check"]).expect(0);
    assert!(run.stdout.starts_with("ok: the "), "{}", run.stdout);
    ws.run(&["diff"]).expect(0);
}

#[test]
fn build_with_spec_errors_exits_one_and_writes_nothing() {
    let ws = Workspace::new("stack s { }\ncomponent api { depends_on = [nope] }\n");
    let run = ws.run(&["build"]).expect(1);
    assert!(run.stderr.contains("--> Stackfile:2:31"), "{}", run.stderr);
    assert!(!ws.path("generated").exists());
    ws.run(&["build", "--check"]).expect(1);
    ws.run(&["diff"]).expect(1);
}

#[test]
fn usage_and_missing_workspace_exit_two() {
    let ws = Workspace::new(STACKFILE);
    ws.run(&["build", "--no-such-flag"]).expect(2);
    ws.run(&["build", "missing-folder"]).expect(2);
    ws.run(&["build", "--check", "missing-folder"]).expect(2);
}

#[test]
fn unchanged_files_keep_their_mtime() {
    let ws = Workspace::new(STACKFILE);
    ws.run(&["build"]).expect(0);
    let files = ws.generated();
    for file in &files {
        set_old_mtime(&ws.path(&format!("generated/{file}")));
    }
    let before: Vec<SystemTime> = files
        .iter()
        .map(|f| mtime(&ws.path(&format!("generated/{f}"))))
        .collect();
    let run = ws.run(&["build"]).expect(0);
    assert!(
        run.stdout.contains("0 created, 0 updated, 0 deleted"),
        "{}",
        run.stdout
    );
    let after: Vec<SystemTime> = files
        .iter()
        .map(|f| mtime(&ws.path(&format!("generated/{f}"))))
        .collect();
    assert_eq!(before, after);
}

#[test]
fn a_hand_written_file_in_the_way_is_refused_with_exit_two() {
    let ws = Workspace::new(STACKFILE);
    ws.write("generated/.gitattributes", "* my-own-attributes\n");
    let run = ws.run(&["build"]).expect(2);
    assert!(
        run.stderr
            .contains("generated/.gitattributes: a file not listed in the manifest"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("otherwise move your files out of it"),
        "{}",
        run.stderr
    );
    assert_eq!(ws.generated(), [".gitattributes"], "nothing written");
    assert_eq!(ws.read("generated/.gitattributes"), "* my-own-attributes\n");

    let run = ws.run(&["build", "--check"]).expect(1);
    assert!(
        run.stdout
            .contains("in the way: generated/.gitattributes: a file not listed in the manifest\n"),
        "{}",
        run.stdout
    );
}

/// `build --check` names everything `build` would refuse with one word,
/// `in the way:`, and says to move it first: never just "regenerate", which
/// would then exit 2.
#[cfg(unix)]
#[test]
fn check_says_to_move_what_is_in_the_way_before_building() {
    let ws = Workspace::new(STACKFILE);
    ws.run(&["build"]).expect(0);
    // Written by hand before the spec generates it: not in the manifest.
    ws.write("generated/compose/components/cache.yml", "mine\n");
    ws.write(
        "Stackfile",
        &format!("{STACKFILE}component cache {{ depends_on = [db] }}\n"),
    );
    fs::remove_file(ws.path("generated/.gitattributes")).expect("rm");
    std::os::unix::fs::symlink("/etc/hostname", ws.path("generated/.gitattributes"))
        .expect("symlink");
    let run = ws.run(&["build", "--check"]).expect(1);
    for line in [
        "in the way: generated/.gitattributes: a symbolic link",
        "in the way: generated/compose/components/cache.yml: a file not listed in the manifest\n",
        "--- generated/compose/components/cache.yml (committed)",
    ] {
        assert!(run.stdout.contains(line), "{line}\n{}", run.stdout);
    }
    assert!(!run
        .stdout
        .contains("manifest generated/.stackc-manifest is missing"));
    assert!(
        run.stderr.contains(
            "help: move what is marked `in the way:` out of the way first (`stackc build` \
             will not replace or delete it), then run `stackc build` and commit the result"
        ),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("regenerate with"), "{}", run.stderr);

    let run = ws.run(&["build"]).expect(2);
    assert!(
        run.stderr
            .contains("generated/compose/components/cache.yml: a file not listed in the manifest"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("is missing"), "{}", run.stderr);
    // Moved out of the way: the build the help names succeeds.
    fs::remove_file(ws.path("generated/.gitattributes")).expect("rm");
    fs::remove_file(ws.path("generated/compose/components/cache.yml")).expect("rm");
    ws.run(&["build"]).expect(0);
    ws.run(&["build", "--check"]).expect(0);
}

/// A lost manifest: the message says so and what to do, and files that
/// hold exactly what stackc would write are still adopted.
#[test]
fn a_lost_manifest_is_named_and_identical_files_are_adopted() {
    let ws = Workspace::new(STACKFILE);
    ws.run(&["build"]).expect(0);
    fs::remove_file(ws.path("generated/.stackc-manifest")).expect("rm");
    ws.run(&["build"]).expect(0);
    ws.run(&["build", "--check"]).expect(0);

    fs::remove_file(ws.path("generated/.stackc-manifest")).expect("rm");
    ws.write(
        "Stackfile",
        &STACKFILE.replace("component db { }", "component db { image = \"db:2\" }"),
    );
    let run = ws.run(&["build"]).expect(2);
    for text in [
        "generated/compose/components/db.yml: a file not listed in the manifest",
        "note: the manifest generated/.stackc-manifest is missing, so stackc cannot tell the files it generated from anyone else's",
        "help: if generated holds nothing but files stackc generated, delete the folder and run the command again",
    ] {
        assert!(run.stderr.contains(text), "{text}\n{}", run.stderr);
    }
    assert!(!run.stderr.contains("did not generate"), "{}", run.stderr);
    let run = ws.run(&["build", "--check"]).expect(1);
    assert!(
        run.stdout
            .contains("note: the manifest generated/.stackc-manifest is missing"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr
            .contains("help: if generated holds nothing but files stackc generated, delete it"),
        "{}",
        run.stderr
    );
    fs::remove_dir_all(ws.path("generated")).expect("rm -r");
    ws.run(&["build"]).expect(0);
    ws.run(&["build", "--check"]).expect(0);
}

/// An empty folder where a file goes: `--check` and `build` agree that it
/// gives way.
#[test]
fn an_empty_folder_where_a_file_goes_gives_way() {
    let ws = Workspace::new(STACKFILE);
    fs::create_dir_all(ws.path("generated/stack/empty")).expect("mkdir");
    let run = ws.run(&["build", "--check"]).expect(1);
    assert!(
        run.stdout
            .contains("missing: generated/stack (not generated yet)"),
        "{}",
        run.stdout
    );
    ws.run(&["build"]).expect(0);
    assert!(ws.path("generated/stack").is_file());
    ws.run(&["build", "--check"]).expect(0);
}

#[cfg(unix)]
#[test]
fn the_task_runner_is_executable_and_a_lost_bit_is_caught() {
    use std::os::unix::fs::PermissionsExt;
    let ws = Workspace::new(STACKFILE);
    ws.run(&["build"]).expect(0);
    let stack = ws.path("generated/stack");
    let mode = |p: &Path| fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
    assert_eq!(
        mode(&stack),
        0o755,
        "the task runner is generated executable"
    );
    assert_eq!(mode(&ws.path("generated/.stackc-manifest")), 0o644);

    fs::set_permissions(&stack, fs::Permissions::from_mode(0o644)).expect("chmod");
    let run = ws.run(&["build", "--check"]).expect(1);
    assert!(
        run.stdout
            .contains("mode: generated/stack should be executable"),
        "{}",
        run.stdout
    );
    ws.run(&["build"]).expect(0);
    assert_eq!(mode(&stack), 0o755);
}

/// Whatever the umask, files get the modes the manifest promises: files
/// in a new folder are created with their mode (and set again where the
/// umask took bits away), replaced files get it on their temporary.
#[test]
fn modes_do_not_depend_on_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let ws = Workspace::new(STACKFILE);
    let build = || {
        let output = Command::new("sh")
            .args([
                "-c",
                "umask 077 && exec \"$0\" build",
                env!("CARGO_BIN_EXE_stackc"),
            ])
            .current_dir(ws.dir.path())
            .env("NO_COLOR", "1")
            .env("STACKC_CACHE_DIR", "")
            .output()
            .expect("sh runs");
        Run::from(output).expect(0);
    };
    let mode = |p: &str| {
        fs::metadata(ws.path(p))
            .expect("metadata")
            .permissions()
            .mode()
            & 0o777
    };
    build();
    let compose = ws
        .generated()
        .into_iter()
        .find(|f| f.starts_with("compose/"))
        .map(|f| format!("generated/{f}"))
        .expect("a Compose file is generated");
    assert_eq!(mode("generated/stack"), 0o755, "a new file in the root");
    assert_eq!(mode(&compose), 0o644, "a new file in a new folder");
    // Replaced, in folders that exist now.
    fs::write(ws.path(&compose), "stale\n").expect("write");
    fs::set_permissions(ws.path(&compose), fs::Permissions::from_mode(0o600)).expect("chmod");
    fs::write(ws.path("generated/stack"), "stale\n").expect("write");
    build();
    assert_eq!(mode("generated/stack"), 0o755, "a replaced file");
    assert_eq!(mode(&compose), 0o644, "a replaced file in a folder");
}

// ---- build --check ------------------------------------------------------

#[test]
fn check_shows_a_diff_for_a_stale_file_and_how_to_regenerate() {
    let ws = Workspace::new(STACKFILE);
    ws.run(&["build"]).expect(0);
    let original = ws.read("generated/.gitattributes");
    ws.write(
        "generated/.gitattributes",
        &original.replace("linguist-generated=true", "edited"),
    );
    let run = ws.run(&["build", "--check"]).expect(1);
    assert!(run.stdout.contains("--- generated/.gitattributes (committed)\n+++ generated/.gitattributes (generated)\n@@"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("-* text eol=lf edited\n+* text eol=lf linguist-generated=true\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr
            .contains("error: 1 generated file in generated differs from what the specs produce"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("help: regenerate with `stackc build` and commit the result"),
        "{}",
        run.stderr
    );
    // `diff` says the same; neither wrote anything.
    let diff = ws.run(&["diff"]).expect(1);
    assert_eq!(diff.stdout, run.stdout);
    assert!(ws.read("generated/.gitattributes").contains("edited"));
    ws.run(&["build"]).expect(0);
    ws.run(&["build", "--check"]).expect(0);
}

#[test]
fn check_lists_missing_files() {
    let ws = Workspace::new(STACKFILE);
    let run = ws.run(&["build", "--check"]).expect(1);
    assert!(
        run.stdout.contains("missing: generated/.stackc-manifest"),
        "{}",
        run.stdout
    );
    ws.run(&["build"]).expect(0);
    fs::remove_file(ws.path("generated/.gitattributes")).expect("rm");
    let run = ws.run(&["diff"]).expect(1);
    assert_eq!(
        run.stdout,
        "missing: generated/.gitattributes (not generated yet)\n"
    );
}

#[test]
fn check_lists_unexpected_leftovers_and_build_deletes_them() {
    let ws = Workspace::new(STACKFILE);
    ws.run(&["build"]).expect(0);
    // As if an earlier version of the specs had generated compose/old.yml.
    let manifest = ws.read("generated/.stackc-manifest");
    ws.write(
        "generated/.stackc-manifest",
        &format!("{manifest}compose/old.yml\n"),
    );
    ws.write("generated/compose/old.yml", "name: old\n");
    ws.write("generated/compose/notes.md", "hand-written\n");
    let run = ws.run(&["build", "--check"]).expect(1);
    assert!(run.stdout.contains("unexpected: generated/compose/old.yml (generated before, no longer produced by the specs)"), "{}", run.stdout);
    assert!(!run.stdout.contains("notes.md"), "{}", run.stdout);
    let run = ws.run(&["build"]).expect(0);
    assert!(run.stdout.contains("1 deleted"), "{}", run.stdout);
    assert!(!ws.path("generated/compose/old.yml").exists());
    assert_eq!(ws.read("generated/compose/notes.md"), "hand-written\n");
    ws.run(&["build", "--check"]).expect(0);
}

/// `.gitattributes` keeps the output folder LF on every checkout, and the
/// task runner and completion files break with CRLF: CRLF there is a
/// difference `--check` names and `build` repairs (the repository-root rule
/// is tested in the output layer).
#[test]
fn crlf_in_the_output_folder_is_named_and_repaired() {
    let ws = Workspace::new(STACKFILE);
    ws.run(&["build"]).expect(0);
    let files = ws.generated();
    for file in &files {
        let relative = format!("generated/{file}");
        let crlf = ws.read(&relative).replace('\n', "\r\n");
        ws.write(&relative, &crlf);
    }
    let run = ws.run(&["build", "--check"]).expect(1);
    for file in ["stack", "completions/stack.bash", "completions/_stack"] {
        let line = format!(
            "line endings: generated/{file} has CRLF line endings; it must have LF, as generated\n"
        );
        assert!(run.stdout.contains(&line), "{line}{}", run.stdout);
    }
    assert!(
        !run.stdout.contains("@@"),
        "no diff of invisible changes: {}",
        run.stdout
    );
    ws.run(&["build"]).expect(0);
    for file in &files {
        assert!(
            !ws.read(&format!("generated/{file}")).contains('\r'),
            "{file}"
        );
    }
    ws.run(&["build", "--check"]).expect(0);
}

#[test]
fn a_workspace_below_the_current_folder_is_named_from_there() {
    let ws = Workspace::new("");
    ws.write("infra/Stackfile", STACKFILE);
    ws.run(&["build", "infra"]).expect(0);
    assert!(ws.path("infra/generated/.stackc-manifest").exists());
    fs::remove_file(ws.path("infra/generated/.gitattributes")).expect("rm");
    let run = ws.run(&["build", "--check", "infra"]).expect(1);
    assert!(
        run.stdout
            .contains("missing: infra/generated/.gitattributes"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("`stackc build infra`"),
        "{}",
        run.stderr
    );

    ws.write(
        "infra/Stackfile",
        "stack s { }\ncomponent api { depends_on = [nope] }\n",
    );
    let run = ws.run(&["check", "infra"]).expect(1);
    assert!(
        run.stderr.contains("--> infra/Stackfile:2:31"),
        "{}",
        run.stderr
    );
}

#[test]
fn out_option_is_used_and_repeated_in_the_hint() {
    let ws = Workspace::new(STACKFILE);
    ws.run(&["build", "--out", "artifacts"]).expect(0);
    assert!(ws.path("artifacts/.stackc-manifest").exists());
    fs::remove_file(ws.path("artifacts/.gitattributes")).expect("rm");
    let run = ws.run(&["diff", "--out", "artifacts"]).expect(1);
    assert!(
        run.stderr.contains("`stackc build --out artifacts`"),
        "{}",
        run.stderr
    );
}

#[test]
fn repository_root_option_is_checked_and_repeated_in_the_hint() {
    let ws = Workspace::new(STACKFILE);
    let run = ws.run(&["build", "--repository-root", "nope"]).expect(2);
    assert!(
        run.stderr
            .contains("error: the repository root nope (--repository-root) does not exist"),
        "{}",
        run.stderr
    );
    ws.write("file", "");
    let run = ws.run(&["build", "--repository-root", "file"]).expect(2);
    assert!(
        run.stderr
            .contains("error: the repository root file (--repository-root) is not a folder"),
        "{}",
        run.stderr
    );
    assert!(!ws.path("generated").exists());

    ws.write("shop/Stackfile", STACKFILE);
    ws.run(&["build", "shop", "--repository-root", "."])
        .expect(0);
    assert!(
        !ws.path(".gitattributes").exists(),
        "`.gitattributes` only in the output folder"
    );
    fs::remove_file(ws.path("shop/generated/.gitattributes")).expect("rm");
    let run = ws
        .run(&["diff", "shop", "--repository-root", "."])
        .expect(1);
    assert!(
        run.stderr
            .contains("`stackc build shop --repository-root .`"),
        "{}",
        run.stderr
    );
}

/// An empty path would silently mean the current folder: refused by
/// every option and argument that takes a path, as a usage error.
#[test]
fn empty_paths_are_usage_errors() {
    let ws = Workspace::new(STACKFILE);
    for (args, option) in [
        (&["build", "--out", ""][..], "'--out <DIR>'"),
        (
            &["build", "--repository-root", ""][..],
            "'--repository-root <DIR>'",
        ),
        (&["diff", "--out", ""][..], "'--out <DIR>'"),
        (&["build", ""][..], "'[PATH]'"),
        (&["check", ""][..], "'[PATH]'"),
        (&["fmt", "Stackfile", ""][..], "'[PATHS]...'"),
    ] {
        let run = ws.run(args).expect(2);
        let message = format!(
            "error: invalid value '' for {option}: the path is empty, and names no folder or file"
        );
        assert!(run.stderr.contains(&message), "{args:?}: {}", run.stderr);
    }
    assert!(!ws.path("generated").exists());
}

/// The output folder may not be the workspace or repository root (its
/// `.gitattributes` would mark every file generated), nor inside `.git`;
/// the repository root must hold the workspace and not be the output folder.
#[test]
fn roots_where_generated_files_do_not_belong_are_refused() {
    let ws = Workspace::new("");
    ws.write(".git/HEAD", "ref: refs/heads/main\n");
    ws.write("apps/shop/Stackfile", STACKFILE);
    let refused = |dir: &str, args: &[&str], message: &str| {
        let run = ws.run_in(&ws.path(dir), args).expect(2);
        assert!(run.stderr.contains(message), "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("\nhelp: "),
            "{args:?} says what to write instead: {}",
            run.stderr
        );
    };
    refused(
        "",
        &["build", "apps/shop", "--out", "."],
        "error: the output folder . is the repository root",
    );
    refused(
        "apps/shop",
        &["build", "--out", "."],
        "error: the output folder . is the workspace root",
    );
    refused(
        "apps/shop",
        &["build", "--out", ".."],
        "error: the output folder .. holds the workspace root",
    );
    refused(
        "",
        &["build", "apps/shop", "--out", ".git/gen"],
        "error: the output folder .git/gen lies inside `.git`",
    );
    refused(
        "",
        &["diff", "apps/shop", "--out", ".git/gen"],
        "lies inside `.git`",
    );
    ws.write("elsewhere/.keep", "");
    refused(
        "",
        &["build", "apps/shop", "--repository-root", "elsewhere"],
        "error: the repository root elsewhere does not hold the workspace",
    );
    ws.write("apps/shop/generated/.keep", "");
    refused(
        "apps/shop",
        &["build", "--repository-root", "generated"],
        "error: the repository root generated does not hold the workspace",
    );
    assert!(!ws.path(".gitattributes").exists());
    assert!(!ws.path(".git/gen").exists());
    assert!(!ws.path("apps/shop/generated/.stackc-manifest").exists());
    ws.run(&["build", "apps/shop", "--repository-root", "apps"])
        .expect(0);
}

/// Where the repository root is, first match wins: `--repository-root`,
/// the spec's `ci { repository_root }`, the nearest `.git`, the workspace.
/// An output folder `..` (apps) shows which: it holds the workspace in
/// every case, and is or holds the repository root when that is `apps`
/// or the workspace.
#[test]
fn the_repository_root_option_wins_over_the_spec_which_wins_over_git() {
    let ws = Workspace::new("");
    ws.write("repo/.git/HEAD", "ref: refs/heads/main\n");
    let with_root = |root: &str| {
        let ci = format!("ci {{ providers = [github]  repository_root = \"{root}\" }}");
        ws.write(
            "repo/apps/shop/Stackfile",
            &STACKFILE.replace("stack shop { }", &format!("stack shop {{ {ci} }}")),
        );
    };
    let refused = |args: &[&str], message: &str| {
        let run = ws.run_in(&ws.path("repo/apps/shop"), args).expect(2);
        assert!(run.stderr.contains(message), "{args:?}: {}", run.stderr);
    };
    // No `repository_root`: the folder holding `.git`, two levels up.
    ws.write("repo/apps/shop/Stackfile", STACKFILE);
    refused(
        &["build", "--out", ".."],
        "error: the output folder .. holds the workspace root",
    );
    // The spec says the workspace itself, then its parent.
    with_root(".");
    refused(
        &["build", "--out", ".."],
        "error: the output folder .. holds the repository root .:",
    );
    refused(
        &["diff", "--out", ".."],
        "error: the output folder .. holds the repository root .:",
    );
    with_root("./../");
    refused(
        &["build", "--out", ".."],
        "error: the output folder .. is the repository root",
    );
    // The option wins over the spec.
    refused(
        &["build", "--out", "..", "--repository-root", "../.."],
        "error: the output folder .. holds the workspace root",
    );
    // A root above the `.git` folder holds the workspace too: accepted
    // (the test's own folder, which holds `repo`).
    with_root("../../..");
    ws.run_in(&ws.path("repo/apps/shop"), &["build"]).expect(0);
    // Moved: the CI file is missing at the new root until the next build
    // (the one at the old root is left alone, as workflow.md says).
    with_root("..");
    let stale = ws
        .run_in(&ws.path("repo/apps/shop"), &["build", "--check"])
        .expect(1);
    assert!(
        stale
            .stdout
            .contains("missing: ../.github/workflows/stack.yml"),
        "{}",
        stale.stdout
    );
    ws.run_in(&ws.path("repo/apps/shop"), &["build"]).expect(0);
    ws.run_in(&ws.path("repo/apps/shop"), &["build", "--check"])
        .expect(0);
    assert!(ws.path("repo/apps/.github/workflows/stack.yml").is_file());
}

#[test]
fn a_workspace_in_a_git_repository_builds_as_before() {
    // The repository root is found from `.git` (a file in a worktree);
    // with no file generated there yet, the output is unchanged.
    let ws = Workspace::new("");
    ws.write(".git", "gitdir: elsewhere\n");
    ws.write("apps/shop/Stackfile", STACKFILE);
    ws.run(&["build", "apps/shop"]).expect(0);
    let plain = Workspace::new(STACKFILE);
    plain.run(&["build"]).expect(0);
    for name in plain.generated() {
        assert_eq!(
            ws.read(&format!("apps/shop/generated/{name}")),
            plain.read(&format!("generated/{name}")),
            "{name}"
        );
    }
    ws.run(&["build", "--check", "apps/shop"]).expect(0);
}

#[test]
fn a_hand_written_file_named_like_a_temporary_is_kept() {
    let ws = Workspace::new(STACKFILE);
    ws.run(&["build"]).expect(0);
    ws.write("generated/.stackc-tmp-notes", "mine\n");
    ws.write("generated/compose/.stackc-tmp-1-2", "mine too\n");
    ws.run(&["build"]).expect(0);
    ws.run(&["build", "--check"]).expect(0);
    assert_eq!(ws.read("generated/.stackc-tmp-notes"), "mine\n");
    assert_eq!(ws.read("generated/compose/.stackc-tmp-1-2"), "mine too\n");
}

#[cfg(unix)]
#[test]
fn paths_that_are_not_utf8_are_refused_with_a_clear_error() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    let ws = Workspace::new(STACKFILE);
    let odd = OsStr::from_bytes(b"caf\xe9");
    let output = Command::new(env!("CARGO_BIN_EXE_stackc"))
        .arg("build")
        .arg("--out")
        .arg(odd)
        .current_dir(ws.path(""))
        .output()
        .expect("stackc runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("invalid UTF-8"), "{stderr}");

    // A workspace in a folder whose name is not UTF-8.
    let folder = ws.path("").join(odd);
    fs::create_dir(&folder).expect("mkdir");
    fs::write(folder.join("Stackfile"), STACKFILE).expect("write");
    let output = Command::new(env!("CARGO_BIN_EXE_stackc"))
        .arg("build")
        .current_dir(&folder)
        .output()
        .expect("stackc runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("is not valid UTF-8"), "{stderr}");
    assert!(!folder.join("generated").exists());
}

// ---- fmt ----------------------------------------------------------------

#[test]
fn fmt_check_passes_on_formatted_specs_and_fails_with_a_diff() {
    let formatted =
        "stack shop { }\n\ncomponent db {\n  image = \"db\"  # why\n  ports = { pg = 5432 }\n}\n";
    let ws = Workspace::new(formatted);
    ws.run(&["fmt", "--check"]).expect(0);

    let messy =
        "stack shop{}\n\n\n\ncomponent db {\n    image=\"db\" # why\n  ports = { pg = 5432 }\n}";
    ws.write("Stackfile", messy);
    let run = ws.run(&["fmt", "--check"]).expect(1);
    assert!(
        run.stdout
            .starts_with("--- Stackfile (current)\n+++ Stackfile (formatted)\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("error: 1 spec file is not formatted"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("help: format them with `stackc fmt`"),
        "{}",
        run.stderr
    );
    assert_eq!(ws.read("Stackfile"), messy, "--check writes nothing");

    let run = ws.run(&["fmt"]).expect(0);
    assert_eq!(run.stdout, "formatted Stackfile\n");
    assert_eq!(ws.read("Stackfile"), formatted);
    ws.run(&["fmt", "--check"]).expect(0);
    // A CRLF checkout of formatted specs is formatted.
    ws.write("Stackfile", &formatted.replace('\n', "\r\n"));
    ws.run(&["fmt", "--check", "Stackfile"]).expect(0);
}

#[test]
fn fmt_formats_every_included_file_and_single_files() {
    let ws = Workspace::new("stack shop { }\ninclude \"services/*.stack\"\n");
    ws.write("services/api.stack", "component api {   }\n");
    ws.write("services/db.stack", "component db { }\n");
    let run = ws.run(&["fmt", "--check"]).expect(1);
    assert!(
        run.stdout.contains("--- services/api.stack (current)"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("db.stack"), "{}", run.stdout);
    ws.run(&["fmt", "services/api.stack"]).expect(0);
    assert_eq!(ws.read("services/api.stack"), "component api { }\n");
    ws.run(&["fmt", "--check", "."]).expect(0);
}

#[test]
fn fmt_reports_syntax_errors_with_file_line_column() {
    let ws = Workspace::new("stack shop { }\ninclude \"services/*.stack\"\n");
    ws.write("services/api.stack", "component api {\n  image: \"x\"\n}\n");
    let run = ws.run(&["fmt", "--check"]).expect(1);
    assert!(
        run.stderr.contains("--> services/api.stack:2:8"),
        "{}",
        run.stderr
    );
    let run = ws.run(&["fmt", "services/api.stack"]).expect(1);
    assert!(
        run.stderr.contains("--> services/api.stack:2:8"),
        "{}",
        run.stderr
    );
    ws.run(&["fmt", "no-such-file.stack"]).expect(2);
}

/// Two workspaces formatted at once are named apart, from the current folder.
#[test]
fn fmt_names_files_of_several_workspaces_apart() {
    let ws = Workspace::new("");
    ws.write("a/Stackfile", "stack a {   }\n");
    ws.write("b/Stackfile", "stack b {   }\n");
    ws.write("b/sub/.keep", "");
    let run = ws
        .run_in(&ws.path("b/sub"), &["fmt", "../../a", ".."])
        .expect(0);
    assert_eq!(
        run.stdout,
        "formatted ../../a/Stackfile\nformatted ../Stackfile\n"
    );
}

/// A path that cannot be read is reported and skipped; the readable files
/// are still formatted (each atomically), and the exit code says one failed.
#[test]
fn fmt_formats_what_it_can_read_and_reports_the_rest() {
    let ws = Workspace::new("stack shop {   }\n");
    ws.write("b.stack", "component b {   }\n");
    let run = ws
        .run(&["fmt", "Stackfile", "nope.stack", "b.stack"])
        .expect(2);
    assert_eq!(run.stderr, "error: nope.stack does not exist\n");
    assert_eq!(run.stdout, "formatted Stackfile\nformatted b.stack\n");
    assert_eq!(ws.read("Stackfile"), "stack shop { }\n");
    assert_eq!(ws.read("b.stack"), "component b { }\n");
    ws.write("b.stack", "component b {   }\n");
    let run = ws.run(&["fmt", "--check", "nope", "b.stack"]).expect(2);
    assert!(
        run.stdout.contains("+++ b.stack (formatted)"),
        "{}",
        run.stdout
    );
}

// ---- graph, completions, man ---------------------------------------------

#[test]
fn graph_prints_dot_and_mermaid() {
    let ws = Workspace::new(STACKFILE);
    let run = ws.run(&["graph"]).expect(0);
    assert!(run.stdout.contains("digraph \"shop\" {"), "{}", run.stdout);
    assert!(
        run.stdout.contains("  \"api\" -> \"db\";\n"),
        "{}",
        run.stdout
    );
    let run = ws.run(&["graph", "--format", "mermaid", "."]).expect(0);
    assert!(
        run.stdout
            .contains("flowchart TD\n  c0[\"db\"]\n  c1[\"api\"]\n  c1 --> c0\n"),
        "{}",
        run.stdout
    );
    ws.write("Stackfile", "component a { depends_on = [a] }\n");
    ws.run(&["graph"]).expect(1);
    ws.run(&["graph", "--format", "png"]).expect(2);
}

/// The README's picture is rendered from docs/newsroom-graph.dot; it must
/// be the example's graph as it is now.
#[test]
fn the_readme_picture_shows_the_newsroom_example() {
    let repository = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ws = Workspace::new(STACKFILE);
    let newsroom = repository.join("examples/newsroom");
    let run = ws.run(&["graph", &newsroom.to_string_lossy()]).expect(0);
    let committed = fs::read_to_string(repository.join("docs/newsroom-graph.dot"))
        .expect("docs/newsroom-graph.dot");
    assert!(
        run.stdout == committed,
        "docs/newsroom-graph.dot is stale; regenerate the picture (needs Graphviz):\n  \
         stackc graph examples/newsroom > docs/newsroom-graph.dot && \
         dot -Tsvg docs/newsroom-graph.dot -o docs/newsroom-graph.svg"
    );
    assert!(repository.join("docs/newsroom-graph.svg").is_file());
}

#[test]
fn completions_are_valid_scripts() {
    let ws = Workspace::new(STACKFILE);
    let bash = ws.run(&["completions", "bash"]).expect(0).stdout;
    assert!(bash.contains("stackc") && bash.contains("fmt"), "{bash}");
    ws.write("stackc.bash", &bash);
    let syntax = Command::new("bash")
        .arg("-n")
        .arg(ws.path("stackc.bash"))
        .status()
        .expect("bash runs");
    assert!(syntax.success(), "bash -n rejects the completion script");
    let zsh = ws.run(&["completions", "zsh"]).expect(0).stdout;
    assert!(zsh.starts_with("#compdef stackc"), "{zsh}");
    let fish = ws.run(&["completions", "fish"]).expect(0).stdout;
    assert!(fish.contains("complete -c stackc"), "{fish}");
    ws.run(&["completions", "tcsh"]).expect(2);
}

#[test]
fn man_prints_a_manual_page() {
    let ws = Workspace::new(STACKFILE);
    let man = ws.run(&["man"]).expect(0).stdout;
    assert!(
        man.starts_with(".ie \\n(.g .ds Aq") || man.contains(".TH stackc"),
        "{man}"
    );
    assert!(man.contains("build"), "{man}");
}
