//! `stackc affected` through the binary, on temporary git repositories
//! holding a copy of `examples/newsroom`. The newsroom's graph, in the
//! Model's order: couchbase, elasticsearch, redis (the stores, in
//! services/stores.stack), auth (redis, couchbase), api (couchbase, redis,
//! auth), image-resizer (redis), search (elasticsearch, api), ingest (api,
//! search), web (api, search, auth, image-resizer).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "support/run.rs"]
mod run;

use run::Run;

/// Every component of the newsroom, in the Model's order.
const ALL: &[&str] = &[
    "couchbase",
    "elasticsearch",
    "redis",
    "auth",
    "api",
    "image-resizer",
    "search",
    "ingest",
    "web",
];

/// A temporary git repository holding the newsroom at `workspace`.
struct Repo {
    dir: tempfile::TempDir,
    /// The workspace, relative to the repository root (`""` at the root).
    workspace: String,
}

impl Run {
    /// The standard output's lines.
    fn lines(&self) -> Vec<&str> {
        self.stdout.lines().collect()
    }
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read folder") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

impl Repo {
    /// The newsroom at `workspace` (relative, `""` for the root) of a new
    /// repository, committed on `main`.
    fn new(workspace: &str) -> Repo {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::create_dir_all(dir.path().join("home")).expect("home");
        let repo = Repo {
            dir,
            workspace: workspace.to_string(),
        };
        let newsroom = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/newsroom");
        copy_tree(&newsroom, &repo.workspace_path());
        repo.git(&["init", "-q", "-b", "main"]);
        repo.git(&["config", "user.name", "stackc tests"]);
        repo.git(&["config", "user.email", "tests@stackc.invalid"]);
        repo.git(&["config", "commit.gpgsign", "false"]);
        repo.commit("the newsroom");
        repo
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("repo")
    }

    fn workspace_path(&self) -> PathBuf {
        self.root().join(&self.workspace)
    }

    /// A command with the environment of a clean machine: no system or
    /// user git configuration.
    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", self.dir.path().join("home"))
            .env("XDG_CONFIG_HOME", self.dir.path().join("home"))
            .env("GIT_CEILING_DIRECTORIES", self.dir.path())
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env("NO_COLOR", "1");
        command
    }

    fn git(&self, args: &[&str]) -> String {
        let output = self
            .command("git")
            .args(args)
            .current_dir(self.root())
            .output()
            .expect("git runs (install it: apt-get install git)");
        assert!(
            output.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    }

    /// Commits everything; returns the new commit's id.
    fn commit(&self, message: &str) -> String {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
        self.git(&["rev-parse", "HEAD"])
    }

    /// Writes `contents` to `path`, relative to the repository root.
    fn write(&self, path: &str, contents: &str) {
        let full = self.root().join(path);
        fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
        fs::write(full, contents).expect("write");
    }

    /// `path` in the workspace, relative to the repository root.
    fn in_workspace(&self, path: &str) -> String {
        if self.workspace.is_empty() {
            path.to_string()
        } else {
            format!("{}/{path}", self.workspace)
        }
    }

    /// Runs `stackc affected ARGS` in the workspace.
    fn affected(&self, args: &[&str]) -> Run {
        let output = self
            .command(env!("CARGO_BIN_EXE_stackc"))
            .arg("affected")
            .args(args)
            .current_dir(self.workspace_path())
            .output()
            .expect("stackc runs");
        Run::from(output)
    }

    /// The components `stackc affected --since SINCE` prints (exit 0).
    fn since(&self, since: &str) -> Vec<String> {
        let run = self.affected(&["--since", since]).expect(0);
        run.lines().iter().map(|l| l.to_string()).collect()
    }
}

fn json(run: &Run) -> serde_json::Value {
    assert_eq!(run.stdout.lines().count(), 1, "one line: {}", run.stdout);
    serde_json::from_str(&run.stdout).expect("valid JSON")
}

#[test]
fn a_dependency_change_selects_every_dependent_and_nothing_else() {
    let repo = Repo::new("");
    let base = repo.git(&["rev-parse", "HEAD"]);
    repo.write("services/auth/src/session.js", "export {}\n");
    repo.commit("auth");
    assert_eq!(
        repo.since(&base),
        ["auth", "api", "search", "ingest", "web"]
    );
    // The stores are the leaves of the graph: every other component
    // depends on one of them.
    let base = repo.git(&["rev-parse", "HEAD"]);
    let stores = fs::read_to_string(repo.root().join("services/stores.stack")).unwrap();
    repo.write(
        "services/stores.stack",
        &stores.replace("redis:7.2-alpine", "redis:7.4-alpine"),
    );
    assert_eq!(repo.since(&base), ALL);
    // A fixtures loader's build context belongs to its component.
    repo.git(&["checkout", "-q", "--", "."]);
    repo.write("fixtures/articles/data.json", "[]\n");
    assert_eq!(repo.since(&base), ["api", "search", "ingest", "web"]);
}

#[test]
fn a_top_component_change_selects_only_itself() {
    let repo = Repo::new("");
    let base = repo.git(&["rev-parse", "HEAD"]);
    repo.write("services/web/src/app.js", "// new\n");
    repo.commit("web");
    assert_eq!(repo.since(&base), ["web"]);
    let run = repo.affected(&["--since", &base, "--format", "dotenv"]);
    assert_eq!(run.expect(0).stdout, "STACK_AFFECTED=,web,\n");
}

#[test]
fn the_stackfile_selects_all_and_an_unrelated_file_none() {
    let repo = Repo::new("");
    let base = repo.git(&["rev-parse", "HEAD"]);
    repo.write("README.md", "# the newsroom\n");
    repo.write("generated/compose/stack.yml", "# stale\n");
    repo.commit("docs");
    let run = repo.affected(&["--since", &base]).expect(0);
    assert_eq!(run.stdout, "");
    let run = repo
        .affected(&["--since", &base, "--format", "dotenv"])
        .expect(0);
    assert_eq!(run.stdout, "STACK_AFFECTED=,\n");
    let value = json(&repo.affected(&["--since", &base, "--json"]).expect(0));
    assert_eq!(value["components"], serde_json::json!([]));
    assert_eq!(value["all"], false);

    let base = repo.git(&["rev-parse", "HEAD"]);
    let stackfile = fs::read_to_string(repo.root().join("Stackfile")).unwrap();
    repo.write("Stackfile", &stackfile.replace("warn", "error"));
    repo.commit("log less");
    let run = repo.affected(&["--since", &base, "--json"]).expect(0);
    let value = json(&run);
    assert_eq!(value["components"], serde_json::json!(ALL));
    assert_eq!(value["all"], true);
    assert!(run.stderr.contains("Stackfile changed"), "{}", run.stderr);
}

#[test]
fn deleted_and_renamed_files_count() {
    let repo = Repo::new("");
    let base = repo.git(&["rev-parse", "HEAD"]);
    repo.git(&["rm", "-q", "services/ingest/ingest.sh"]);
    repo.commit("no ingest script");
    assert_eq!(repo.since(&base), ["ingest"]);

    // Old path in image-resizer's context, new path in auth's: both, and
    // their dependents.
    let base = repo.git(&["rev-parse", "HEAD"]);
    repo.git(&[
        "mv",
        "services/image-resizer/go.mod",
        "services/auth/go.mod",
    ]);
    repo.commit("moved");
    assert_eq!(
        repo.since(&base),
        ["auth", "api", "image-resizer", "search", "ingest", "web"]
    );
    let value = json(&repo.affected(&["--since", &base, "--json"]).expect(0));
    assert_eq!(
        value["files"],
        serde_json::json!([{
            "status": "R",
            "path": "services/auth/go.mod",
            "from": "services/image-resizer/go.mod"
        }])
    );
}

#[test]
fn the_working_tree_counts_untracked_files_and_head_does_not() {
    let repo = Repo::new("");
    let base = repo.git(&["rev-parse", "HEAD"]);
    let odd = "services/web/it's a \"ünïcode\" file.js";
    repo.write(odd, "// untracked\n");
    repo.write(".gitignore", "*.log\n");
    repo.write("services/api/debug.log", "ignored\n");
    let run = repo.affected(&["--since", &base, "--json"]).expect(0);
    let value = json(&run);
    assert_eq!(
        value["files"],
        serde_json::json!([
            { "status": "A", "path": ".gitignore" },
            { "status": "A", "path": odd },
        ])
    );
    assert_eq!(value["components"], serde_json::json!(["web"]));
    assert_eq!(value["head"], serde_json::Value::Null);
    assert_eq!(value["since"], base.as_str());
    // `--head` compares two commits: the working tree is left out.
    let run = repo
        .affected(&["--since", &base, "--head", "HEAD"])
        .expect(0);
    assert_eq!(run.stdout, "");
}

#[test]
fn head_names_the_end_of_the_change() {
    let repo = Repo::new("");
    let base = repo.git(&["rev-parse", "HEAD"]);
    repo.write("services/search/index.js", "// ranking\n");
    let middle = repo.commit("search");
    repo.write("services/ingest/ingest.sh", "#!/bin/sh\n");
    repo.commit("ingest");
    assert_eq!(repo.since(&base), ["search", "ingest", "web"]);
    let run = repo
        .affected(&["--since", &base, "--head", &middle, "--json"])
        .expect(0);
    let value = json(&run);
    assert_eq!(value["head"], middle.as_str());
    assert_eq!(
        value["components"],
        serde_json::json!(["search", "ingest", "web"])
    );
    let run = repo
        .affected(&["--since", &middle, "--head", "HEAD"])
        .expect(0);
    assert_eq!(run.lines(), ["ingest"]);
    let run = repo
        .affected(&["--since", &base, "--head", "no-such-branch"])
        .expect(2);
    assert!(
        run.stderr
            .contains("error: git cannot resolve --head no-such-branch to a commit"),
        "{}",
        run.stderr
    );
}

#[test]
fn no_base_and_unknown_bases() {
    let repo = Repo::new("");
    let null = "0".repeat(40);
    let run = repo.affected(&["--since", &null]).expect(0);
    assert_eq!(run.lines(), ALL);
    assert!(
        run.stderr.contains("is the null commit (a new branch"),
        "{}",
        run.stderr
    );
    let run = repo.affected(&["--since", ""]).expect(0);
    assert_eq!(run.lines(), ALL);
    assert!(run.stderr.contains("--since is empty"), "{}", run.stderr);

    let unknown = "1234567890abcdef1234567890abcdef12345678";
    let run = repo.affected(&["--since", unknown]).expect(2);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains(&format!(
            "error: git cannot resolve --since {unknown} to a commit"
        )),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("fetch-depth: 0"), "{}", run.stderr);
    let run = repo
        .affected(&["--since", unknown, "--all-if-unknown", "--format", "dotenv"])
        .expect(0);
    assert_eq!(
        run.stdout,
        "STACK_AFFECTED=,couchbase,elasticsearch,redis,auth,api,image-resizer,search,ingest,web,\n"
    );
    assert!(run.stderr.starts_with("warning: "), "{}", run.stderr);
    // A revision git would take for an option never reaches it.
    let run = repo.affected(&["--since=--output=x"]).expect(2);
    assert!(run.stderr.contains("starts with `-`"), "{}", run.stderr);
    assert!(!repo.workspace_path().join("x").exists());
}

#[test]
fn a_workspace_in_a_repository_subfolder() {
    let repo = Repo::new("apps/news room");
    let base = repo.git(&["rev-parse", "HEAD"]);
    repo.write(&repo.in_workspace("services/web/app.js"), "// web\n");
    repo.write("other/services/web/app.js", "// not the workspace\n");
    repo.write("Stackfile", "# another workspace's\n");
    repo.commit("changes");
    assert_eq!(repo.since(&base), ["web"]);
    let value = json(&repo.affected(&["--since", &base, "--json"]).expect(0));
    assert_eq!(
        value["files"],
        serde_json::json!([{ "status": "A", "path": "services/web/app.js" }])
    );
    // A rename from outside the workspace into it adds the new path.
    let base = repo.git(&["rev-parse", "HEAD"]);
    repo.git(&[
        "mv",
        "other/services/web/app.js",
        &repo.in_workspace("services/ingest/app.js"),
    ]);
    repo.commit("moved in");
    let value = json(&repo.affected(&["--since", &base, "--json"]).expect(0));
    assert_eq!(
        value["files"],
        serde_json::json!([{ "status": "A", "path": "services/ingest/app.js" }])
    );
    assert_eq!(value["components"], serde_json::json!(["ingest"]));
}

#[test]
fn usage_spec_and_repository_errors() {
    let repo = Repo::new("");
    let run = repo.affected(&["--since", "HEAD", "--json", "--format", "lines"]);
    run.expect(2);
    let run = repo.affected(&[]);
    assert!(run.expect(2).stderr.contains("--since <REF>"));
    repo.write(
        "services/web.stack",
        "component web { depends_on = [nope] }\n",
    );
    let run = repo.affected(&["--since", "HEAD"]).expect(1);
    assert!(run.stderr.contains("E0102"), "{}", run.stderr);

    // No repository: git's own error, with the command.
    let plain = tempfile::tempdir().expect("temp dir");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/minimal"),
        plain.path(),
    );
    let output = Command::new(env!("CARGO_BIN_EXE_stackc"))
        .args(["affected", "--since", "HEAD"])
        .current_dir(plain.path())
        .env(
            "GIT_CEILING_DIRECTORIES",
            plain.path().parent().expect("parent"),
        )
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("stackc runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr
            .contains("error: `git rev-parse --show-toplevel` failed: fatal: not a git repository"),
        "{stderr}"
    );
}
