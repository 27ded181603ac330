//! The hooks of `.pre-commit-hooks.yaml`, run by the real pre-commit
//! framework on `git commit` in a temporary repository.
//!
//! The hooks say `language: rust`, which makes pre-commit `cargo install`
//! stackc from the hook repository: minutes of compiling. Here a copy of
//! the hook repository says `language: system` instead and the stackc under
//! test is first on PATH — every other line of the hook definitions (entry,
//! files, pass_filenames, always_run) is exercised as written.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const GOOD: &str = "stack shop { }\n\ncomponent db  { }\ncomponent api { depends_on = [db] }\n";

fn pre_commit() -> PathBuf {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("pre-commit"))
            .find(|candidate| candidate.is_file())
    });
    match found {
        Some(path) => path,
        None => panic!(
            "pre-commit is not on PATH: run scripts/install-tools and put .venv/bin on PATH \
             (scripts/test does both)"
        ),
    }
}

struct Repo {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    work: PathBuf,
    path: std::ffi::OsString,
}

impl Repo {
    fn new() -> Repo {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path().to_path_buf();
        let stackc = PathBuf::from(env!("CARGO_BIN_EXE_stackc"));
        let pre_commit = pre_commit();
        let mut dirs = vec![
            stackc.parent().expect("bin folder").to_path_buf(),
            pre_commit
                .parent()
                .expect("pre-commit folder")
                .to_path_buf(),
        ];
        dirs.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        let path = std::env::join_paths(dirs).expect("PATH");
        let repo = Repo {
            _tmp: tmp,
            work: root.join("project"),
            root,
            path,
        };
        repo.make_hook_repo();
        repo
    }

    fn command(&self, program: &str, dir: &Path) -> Command {
        let mut command = Command::new(program);
        command
            .current_dir(dir)
            .env("PATH", &self.path)
            .env("PRE_COMMIT_HOME", self.root.join("pre-commit-cache"))
            .env("GIT_CONFIG_GLOBAL", self.root.join("gitconfig"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Test")
            .env("GIT_AUTHOR_EMAIL", "test@example.invalid")
            .env("GIT_COMMITTER_NAME", "Test")
            .env("GIT_COMMITTER_EMAIL", "test@example.invalid")
            .env("NO_COLOR", "1")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE");
        command
    }

    fn git(&self, dir: &Path, args: &[&str]) -> Output {
        let output = self
            .command("git", dir)
            .args(args)
            .output()
            .expect("git runs");
        assert!(
            output.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    /// The stackc repository's hook file, in a repository of its own.
    fn make_hook_repo(&self) {
        let hooks = self.root.join("hooks");
        fs::create_dir_all(&hooks).expect("mkdir");
        let definitions = fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"),
        )
        .expect("the repository has .pre-commit-hooks.yaml");
        assert_eq!(definitions.matches("\n  language: rust\n").count(), 3);
        fs::write(
            hooks.join(".pre-commit-hooks.yaml"),
            definitions.replace("\n  language: rust\n", "\n  language: system\n"),
        )
        .expect("write hooks");
        self.git(&hooks, &["init", "-q"]);
        self.git(&hooks, &["add", "."]);
        self.git(&hooks, &["commit", "-q", "-m", "hooks"]);
    }

    /// A project using the hooks, with specs, generated files, pre-commit installed.
    fn make_project(&self) {
        let hooks = self.root.join("hooks");
        let rev = self.git(&hooks, &["rev-parse", "HEAD"]);
        let rev = String::from_utf8_lossy(&rev.stdout).trim().to_string();
        fs::create_dir_all(&self.work).expect("mkdir");
        self.git(&self.work, &["init", "-q"]);
        fs::write(
            self.work.join(".pre-commit-config.yaml"),
            format!(
                "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: stackc-check\n      - id: stackc-build-check\n      - id: stackc-fmt\n",
                hooks.display()
            ),
        )
        .expect("write config");
        self.write("Stackfile", GOOD);
        self.stackc(&["build"]);
        let install = self
            .command("pre-commit", &self.work)
            .arg("install")
            .output()
            .expect("pre-commit runs");
        assert!(install.status.success(), "{install:?}");
    }

    fn write(&self, relative: &str, contents: &str) {
        fs::write(self.work.join(relative), contents).expect("write");
    }

    fn stackc(&self, args: &[&str]) {
        let output = self
            .command("stackc", &self.work)
            .args(args)
            .output()
            .expect("stackc runs");
        assert!(output.status.success(), "{output:?}");
    }

    /// `git add -A && git commit`: whether it was accepted, and everything printed.
    fn commit(&self, message: &str) -> (bool, String) {
        self.git(&self.work, &["add", "-A"]);
        let output = self
            .command("git", &self.work)
            .args(["commit", "-m", message])
            .output()
            .expect("git runs");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        (output.status.success(), text)
    }
}

#[test]
fn commits_are_refused_for_broken_specs_stale_artifacts_and_layout() {
    let repo = Repo::new();
    repo.make_project();

    let (accepted, output) = repo.commit("a good commit");
    assert!(accepted, "a good commit is refused:\n{output}");
    assert!(output.contains("stackc check"), "{output}");
    assert!(output.contains("stackc build --check"), "{output}");

    // A broken spec: refused, with the diagnostic and its file:line:col.
    repo.write(
        "Stackfile",
        "stack shop { }\n\ncomponent db  { }\ncomponent api { depends_on = [dbb] }\n",
    );
    let (accepted, output) = repo.commit("a broken spec");
    assert!(!accepted, "a broken spec is accepted:\n{output}");
    assert!(output.contains("stackc check"), "{output}");
    assert!(output.contains("Failed"), "{output}");
    assert!(
        output.contains("error[E0102]: unknown dependency `dbb`"),
        "{output}"
    );
    assert!(output.contains("--> Stackfile:4:31"), "{output}");
    repo.write("Stackfile", GOOD);

    // Stale artifacts: a spec changed without regenerating.
    repo.write(
        "Stackfile",
        &format!("{GOOD}component cache {{ depends_on = [db] }}\n"),
    );
    let (accepted, output) = repo.commit("specs changed, artifacts not");
    assert!(!accepted, "stale artifacts are accepted:\n{output}");
    assert!(
        output
            .lines()
            .any(|l| l.starts_with("stackc check.") && l.ends_with("Passed")),
        "the specs themselves are valid:\n{output}"
    );
    assert!(output.contains("- hook id: stackc-build-check"), "{output}");
    assert!(output.contains("(generated)\n@@"), "{output}");
    repo.write("Stackfile", GOOD);

    // Stale artifacts: a generated file edited by hand.
    let attributes = repo.work.join("generated/.gitattributes");
    let edited = fs::read_to_string(&attributes)
        .expect("generated")
        .replace("linguist-generated=true", "linguist-generated=false");
    fs::write(&attributes, edited).expect("edit");
    let (accepted, output) = repo.commit("stale artifacts");
    assert!(!accepted, "stale artifacts are accepted:\n{output}");
    assert!(output.contains("stackc build --check"), "{output}");
    assert!(
        output.contains("+++ generated/.gitattributes (generated)"),
        "{output}"
    );
    assert!(
        output.contains("help: regenerate with `stackc build`"),
        "{output}"
    );

    // Regenerated, with a spec change: accepted.
    repo.write("Stackfile", &format!("# The shop.\n{GOOD}"));
    repo.stackc(&["build"]);
    let (accepted, output) = repo.commit("regenerated");
    assert!(accepted, "a regenerated commit is refused:\n{output}");

    // An unformatted spec: refused by stackc-fmt with the diff.
    repo.write(
        "Stackfile",
        &GOOD.replace("component db  { }", "component db {  }"),
    );
    let (accepted, output) = repo.commit("unformatted");
    assert!(!accepted, "an unformatted spec is accepted:\n{output}");
    assert!(output.contains("+++ Stackfile (formatted)"), "{output}");
    repo.stackc(&["fmt"]);
    let (accepted, output) = repo.commit("formatted");
    assert!(accepted, "{output}");
}
