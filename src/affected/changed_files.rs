//! The files a change touches, from git: run through
//! [`std::process::Command`] with explicit arguments (no shell), paths
//! NUL-separated (`-z`) so spaces, quotes and non-ASCII names arrive as
//! they are.

use std::process::Command;

use camino::{Utf8Path, Utf8PathBuf};

use super::change::{parse_name_status, parse_untracked, Change};
use super::git_error::GitError;

/// A git repository, found from a folder inside it.
#[derive(Debug, Clone)]
pub struct Repository {
    toplevel: Utf8PathBuf,
}

impl Repository {
    /// The repository holding `folder` (`git rev-parse --show-toplevel`,
    /// run in `folder`). Errors: git cannot run, `folder` is not in a
    /// repository, or its root is not a UTF-8 path.
    pub fn open(folder: &Utf8Path) -> Result<Repository, GitError> {
        let args = ["rev-parse", "--show-toplevel"];
        let output = run(&args, folder)?;
        let text = String::from_utf8(output)
            .map_err(|_| GitError::new(&args, "the repository root is not a UTF-8 path"))?;
        let toplevel = text.trim_end_matches(['\n', '\r']);
        if toplevel.is_empty() {
            return Err(GitError::new(
                &args,
                "git named no repository root (a bare repository?)",
            ));
        }
        Ok(Repository {
            toplevel: Utf8PathBuf::from(toplevel),
        })
    }

    /// The repository's root folder, as git names it (absolute, symbolic
    /// links resolved).
    pub fn toplevel(&self) -> &Utf8Path {
        &self.toplevel
    }

    /// The commit `revision` names (`git rev-parse --verify --quiet
    /// --end-of-options REVISION^{commit}`), as a full object id; `None`
    /// when git cannot resolve it (unknown, or not fetched). `revision`
    /// is never taken for an option.
    pub fn commit(&self, revision: &str) -> Result<Option<String>, GitError> {
        let spec = format!("{revision}^{{commit}}");
        let args = [
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &spec,
        ];
        let output = Command::new("git")
            .args(args)
            .current_dir(&self.toplevel)
            .output()
            .map_err(|error| GitError::new(&args, cannot_start(&error)))?;
        match output.status.code() {
            Some(0) => {
                let id = String::from_utf8_lossy(&output.stdout).trim().to_string();
                Ok(Some(id))
            }
            // `--quiet`: exit 1 and nothing said when it names no commit.
            Some(1) => Ok(None),
            _ => Err(GitError::new(
                &args,
                String::from_utf8_lossy(&output.stderr),
            )),
        }
    }

    /// The files changed between the commit `since` and the commit `head`,
    /// or, without `head`, the working tree: tracked changes (staged or
    /// not) and the untracked files under `folder` that are not ignored.
    /// Both should be object ids ([`Repository::commit`]). Paths relative
    /// to the repository root, in git's order, untracked files last.
    pub fn changed_files(
        &self,
        since: &str,
        head: Option<&str>,
        folder: &Utf8Path,
    ) -> Result<Vec<Change>, GitError> {
        let mut args = vec![
            "diff",
            "-z",
            "--name-status",
            "-M",
            "--no-color",
            "--no-ext-diff",
            since,
        ];
        args.extend(head);
        args.push("--");
        let output = run(&args, &self.toplevel)?;
        let mut changes = parse_name_status(&output)
            .ok_or_else(|| GitError::new(&args, "its output ended in the middle of a record"))?;
        if head.is_none() {
            let args = [
                "ls-files",
                "-z",
                "--others",
                "--exclude-standard",
                "--full-name",
            ];
            changes.extend(parse_untracked(&run(&args, folder)?));
        }
        Ok(changes)
    }
}

/// Runs `git ARGS` in `folder`; its standard output, or the error with
/// git's standard error when it exits other than 0.
fn run(args: &[&str], folder: &Utf8Path) -> Result<Vec<u8>, GitError> {
    let output = Command::new("git")
        .args(args)
        .current_dir(folder)
        .output()
        .map_err(|error| GitError::new(args, cannot_start(&error)))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        Err(GitError::new(args, String::from_utf8_lossy(&output.stderr)))
    }
}

fn cannot_start(error: &std::io::Error) -> String {
    if error.kind() == std::io::ErrorKind::NotFound {
        "git is not installed (or not on PATH): install git, e.g. `apt-get install git`".to_string()
    } else {
        format!("cannot run git: {error}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::affected::change::ChangeStatus;

    fn git(dir: &Utf8Path, args: &[&str]) {
        let status = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", dir)
            .status()
            .expect("git runs (apt-get install git)");
        assert!(status.success(), "git {args:?}");
    }

    #[test]
    fn changes_since_a_commit_with_odd_names() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = Utf8PathBuf::from_path_buf(tmp.path().canonicalize().unwrap()).unwrap();
        git(&dir, &["init", "-q", "-b", "main"]);
        git(&dir, &["config", "user.name", "t"]);
        git(&dir, &["config", "user.email", "t@example.com"]);
        std::fs::create_dir(dir.join("sub")).unwrap();
        std::fs::write(dir.join("sub/it's café.txt"), "one\ntwo\nthree\n").unwrap();
        std::fs::write(dir.join("gone"), "x").unwrap();
        git(&dir, &["add", "-A"]);
        git(&dir, &["commit", "-q", "-m", "first"]);
        let repository = Repository::open(&dir.join("sub")).unwrap();
        assert_eq!(repository.toplevel(), dir);
        let first = repository.commit("HEAD").unwrap().unwrap();
        assert_eq!(first.len(), 40);
        assert_eq!(repository.commit("no-such-branch").unwrap(), None);
        assert_eq!(repository.commit("--output=x").unwrap(), None);

        git(
            &dir,
            &["mv", "sub/it's café.txt", "sub/\"quoted\" name.txt"],
        );
        std::fs::remove_file(dir.join("gone")).unwrap();
        std::fs::write(dir.join("sub/new file"), "n").unwrap();
        let changes = repository
            .changed_files(&first, None, &dir.join("sub"))
            .unwrap();
        let seen: Vec<(ChangeStatus, &str, Option<&str>)> = changes
            .iter()
            .map(|c| (c.status, c.path.as_str(), c.from.as_deref()))
            .collect();
        assert_eq!(
            seen,
            [
                (ChangeStatus::Deleted, "gone", None),
                (
                    ChangeStatus::Renamed,
                    "sub/\"quoted\" name.txt",
                    Some("sub/it's café.txt")
                ),
                (ChangeStatus::Added, "sub/new file", None),
            ]
        );
        let error = repository
            .changed_files("0123456789012345678901234567890123456789", None, &dir)
            .unwrap_err();
        assert!(error.command.starts_with("git diff -z"), "{error}");
        assert!(error.stderr.contains("bad"), "{error}");
    }
}
