//! `stackc affected`: the components a change touches, plus every
//! component that depends on them, transitively, in the Model's
//! topological order. The CI pipelines run a component's jobs only when it
//! is affected (docs/workflow.md, "`stackc affected`").
//!
//! - `changed_files`: the changed files, from git;
//! - `change`: one changed file, and git's output parsed;
//! - `file_owners`: which components a file belongs to;
//! - this module: the two together, and the dependents.

mod affected_error;
mod change;
mod changed_files;
mod file_owners;
mod git_error;

pub use affected_error::AffectedError;
pub use change::{Change, ChangeStatus};
pub use changed_files::Repository;
pub use file_owners::{FileOwners, Owners, HOOKS};
pub use git_error::GitError;

use std::collections::BTreeSet;

use camino::Utf8Path;

use crate::model::Model;

/// What to compare.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The commit (or branch, tag) the change starts from; empty or git's
    /// null object id (all zeros) for "no base": every component.
    pub since: &'a str,
    /// The commit the change ends at; `None`: the working tree.
    pub head: Option<&'a str>,
    /// When git cannot resolve `since`, take every component instead of
    /// failing.
    pub all_if_unknown: bool,
}

/// Why every component is affected whatever the files say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Everything {
    /// `since` is empty or the null object id: a new branch, or the first
    /// push (GitHub's `github.event.before`, GitLab's
    /// `CI_COMMIT_BEFORE_SHA`).
    NoBase,
    /// git cannot resolve `since`, and the request says to take all.
    UnknownSince,
    /// This changed file (workspace-relative) belongs to every component.
    File(String),
}

/// The answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Affected {
    /// The changed files inside the workspace, relative to its root, in
    /// git's order (untracked files last); none when there is no base.
    pub files: Vec<Change>,
    /// Names of the affected components, in the Model's topological order.
    pub components: Vec<String>,
    /// Set when every component is affected by a rule rather than by the
    /// dependency graph.
    pub everything: Option<Everything>,
}

/// The components affected by the change `request` describes, in the
/// workspace at `workspace` (its root folder, absolute) described by
/// `model`.
///
/// Errors: a revision that starts with `-`; git failing (not a
/// repository, git missing); `request.since` unknown to git without
/// `all_if_unknown`; `request.head` unknown to git.
pub fn affected(
    model: &Model,
    workspace: &Utf8Path,
    request: Request<'_>,
) -> Result<Affected, AffectedError> {
    for (option, revision) in [("--since", Some(request.since)), ("--head", request.head)] {
        if let Some(revision) = revision.filter(|r| r.starts_with('-')) {
            return Err(AffectedError::OptionLike {
                option,
                revision: revision.to_string(),
            });
        }
    }
    if is_no_base(request.since) {
        return Ok(everything(model, Vec::new(), Everything::NoBase));
    }
    let repository = Repository::open(workspace)?;
    let prefix = prefix(workspace, repository.toplevel())?;
    let Some(since) = repository.commit(request.since)? else {
        if request.all_if_unknown {
            return Ok(everything(model, Vec::new(), Everything::UnknownSince));
        }
        return Err(AffectedError::UnknownRevision {
            option: "--since",
            revision: request.since.to_string(),
        });
    };
    let head =
        match request.head {
            Some(revision) => Some(repository.commit(revision)?.ok_or_else(|| {
                AffectedError::UnknownRevision {
                    option: "--head",
                    revision: revision.to_string(),
                }
            })?),
            None => None,
        };
    let files: Vec<Change> = repository
        .changed_files(&since, head.as_deref(), workspace)?
        .iter()
        .filter_map(|c| c.within(&prefix))
        .collect();
    Ok(select(model, workspace, files))
}

/// Whether `since` means "no base": empty, or git's null object id (40
/// zeros, or 64 in a SHA-256 repository).
pub fn is_no_base(since: &str) -> bool {
    since.is_empty()
        || ((since.len() == 40 || since.len() == 64) && since.bytes().all(|b| b == b'0'))
}

/// The workspace seen from the repository root, as a prefix of git's
/// paths: `apps/shop/`, or empty at the root.
fn prefix(workspace: &Utf8Path, toplevel: &Utf8Path) -> Result<String, AffectedError> {
    let resolved = workspace
        .canonicalize_utf8()
        .unwrap_or_else(|_| workspace.to_path_buf());
    let toplevel_resolved = toplevel
        .canonicalize_utf8()
        .unwrap_or_else(|_| toplevel.to_path_buf());
    let relative = resolved.strip_prefix(&toplevel_resolved).map_err(|_| {
        AffectedError::OutsideRepository {
            workspace: workspace.to_string(),
            toplevel: toplevel.to_string(),
        }
    })?;
    let parts: Vec<&str> = relative.components().map(|c| c.as_str()).collect();
    Ok(if parts.is_empty() {
        String::new()
    } else {
        format!("{}/", parts.join("/"))
    })
}

/// The components the workspace-relative `files` touch, with their
/// dependents.
fn select(model: &Model, workspace: &Utf8Path, files: Vec<Change>) -> Affected {
    let owners = FileOwners::new(model, workspace);
    let mut touched: BTreeSet<String> = BTreeSet::new();
    let mut all: Option<String> = None;
    for change in &files {
        for path in change.paths() {
            let gone =
                change.status == ChangeStatus::Deleted || change.from.as_deref() == Some(path);
            match owners.owners(path, gone) {
                Owners::All => all = all.or_else(|| Some(path.to_string())),
                Owners::Components(names) => touched.extend(names),
            }
        }
    }
    if let Some(path) = all {
        return everything(model, files, Everything::File(path));
    }
    let mut affected = touched.clone();
    for name in &touched {
        affected.extend(model.dependents(name).map(|c| c.name.clone()));
    }
    let components = model
        .components
        .iter()
        .filter(|c| affected.contains(&c.name))
        .map(|c| c.name.clone())
        .collect();
    Affected {
        files,
        components,
        everything: None,
    }
}

fn everything(model: &Model, files: Vec<Change>, reason: Everything) -> Affected {
    Affected {
        files,
        components: model.components.iter().map(|c| c.name.clone()).collect(),
        everything: Some(reason),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compile::compile;

    fn newsroom() -> (Model, camino::Utf8PathBuf) {
        let root = Utf8Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/newsroom");
        let model = compile(root.as_std_path())
            .expect("loads")
            .model
            .expect("valid");
        (model, root)
    }

    fn modified(path: &str) -> Change {
        Change {
            status: ChangeStatus::Modified,
            path: path.into(),
            from: None,
        }
    }

    #[test]
    fn dependents_follow_in_topological_order() {
        let (model, root) = newsroom();
        let picked = select(&model, &root, vec![modified("services/stores.stack")]);
        assert_eq!(picked.everything, None);
        // Every other component depends on one of the three stores.
        let order: Vec<&str> = model.components.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(picked.components, order);
        let picked = select(
            &model,
            &root,
            vec![modified("services/image-resizer/main.go")],
        );
        assert_eq!(picked.components, ["image-resizer", "web"]);
        let picked = select(&model, &root, vec![modified("services/ingest/ingest.sh")]);
        assert_eq!(picked.components, ["ingest"]);
        let picked = select(&model, &root, vec![modified("docs/notes.md")]);
        assert!(picked.components.is_empty());
        let picked = select(&model, &root, vec![modified("Stackfile")]);
        assert_eq!(
            picked.everything,
            Some(Everything::File("Stackfile".into()))
        );
        assert_eq!(picked.components.len(), model.components.len());
    }

    #[test]
    fn no_base_is_every_component_without_git() {
        assert!(is_no_base(""));
        assert!(is_no_base(&"0".repeat(40)));
        assert!(is_no_base(&"0".repeat(64)));
        assert!(!is_no_base(&"0".repeat(39)));
        assert!(!is_no_base("main"));
        let (model, root) = newsroom();
        let request = Request {
            since: "",
            head: None,
            all_if_unknown: false,
        };
        let answer = affected(&model, &root, request).unwrap();
        assert_eq!(answer.everything, Some(Everything::NoBase));
        assert_eq!(answer.components.len(), model.components.len());
        let request = Request {
            since: "--output=x",
            ..request
        };
        assert!(matches!(
            affected(&model, &root, request),
            Err(AffectedError::OptionLike {
                option: "--since",
                ..
            })
        ));
    }
}
