//! Why `stackc affected` could not tell what a change touches.

use super::git_error::GitError;

/// An error of [`super::affected`]; the CLI prints it and exits 2.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AffectedError {
    /// A git command failed (not a repository, git missing, a corrupt
    /// repository).
    #[error(transparent)]
    Git(#[from] GitError),
    /// `--since` or `--head` names nothing git can resolve to a commit:
    /// most often a commit a shallow clone did not fetch.
    #[error("git cannot resolve {option} {revision} to a commit")]
    UnknownRevision {
        /// `--since` or `--head`.
        option: &'static str,
        revision: String,
    },
    /// `--since` or `--head` starts with `-`: git would take it for an
    /// option, so it is refused before git sees it.
    #[error("{option} {revision} is not a revision: it starts with `-`")]
    OptionLike {
        option: &'static str,
        revision: String,
    },
    /// The workspace is not inside the folder git names as the
    /// repository's root (a symbolic link that git resolved otherwise).
    #[error(
        "the workspace {workspace} is not inside the repository root {toplevel} that git names"
    )]
    OutsideRepository { workspace: String, toplevel: String },
}

impl AffectedError {
    /// What to do about it, for the CLI's `help:` line.
    pub fn help(&self) -> Option<String> {
        match self {
            AffectedError::UnknownRevision {
                option: "--since", ..
            } => Some(
                "a shallow clone lacks older commits: fetch them (`git fetch --deepen=50`, or \
                 `git fetch --unshallow`; GitHub `actions/checkout` with `fetch-depth: 0`, \
                 GitLab `GIT_DEPTH: 0`), or pass `--all-if-unknown` to take every component \
                 as affected"
                    .to_string(),
            ),
            AffectedError::UnknownRevision { .. } => Some(
                "name a commit, branch or tag this clone has (`git log --oneline` lists them)"
                    .to_string(),
            ),
            AffectedError::OptionLike { option, .. } => Some(format!(
                "write the commit, branch or tag after {option}: `{option}=origin/main`"
            )),
            AffectedError::Git(_) | AffectedError::OutsideRepository { .. } => None,
        }
    }
}
