//! Where the roots may be: checked once, before anything is read or
//! written, so a build never marks the specs, the repository or git's own
//! files as generated.

use camino::Utf8Path;

use super::resolved_path::resolve;
use super::{OutputError, Root, Roots};

/// What to write instead of an output folder that is refused.
const OUTPUT_HELP: &str = "write into a folder of its own, such as `--out generated` \
     (the default: `generated/` beside the Stackfile)";
/// What to write instead of a repository root that is refused.
const REPOSITORY_HELP: &str = "name the folder at or above the workspace that holds `.git`, \
     or leave `--repository-root` out to find it";

impl Roots {
    /// Refuses roots that would put generated files where they do not
    /// belong, for the workspace at `workspace` (a folder, named in messages
    /// as given): an output folder
    /// inside `.git`, or that is (or holds) the workspace root or the
    /// repository root (its `.gitattributes` marks every file in it as
    /// generated, and its manifest owns what it lists); a repository root
    /// inside `.git`, or that does not hold the workspace (files there, such
    /// as CI files, could not refer to the specs; this also keeps it out of
    /// the output folder, which may not hold the workspace).
    ///
    /// Errors: [`OutputError::RootRefused`], saying what to write instead;
    /// an I/O error when `workspace` cannot be resolved.
    pub fn check_placement(&self, workspace: &Utf8Path) -> Result<(), OutputError> {
        let shown = workspace;
        let workspace =
            resolve(workspace).map_err(OutputError::io("resolve", workspace.to_path_buf()))?;
        let output = self.resolved(Root::Output);
        let repository = self.resolved(Root::Repository);
        let refuse = |root: Root, reason: String| {
            let help = match root {
                Root::Output => OUTPUT_HELP,
                Root::Repository => REPOSITORY_HELP,
            };
            Err(OutputError::RootRefused {
                root,
                folder: self.folder(root).to_path_buf(),
                reason,
                help: help.to_string(),
            })
        };
        if inside_git(output) {
            return refuse(
                Root::Output,
                "lies inside `.git`, which belongs to git".into(),
            );
        }
        if inside_git(repository) {
            return refuse(
                Root::Repository,
                "lies inside `.git`, which belongs to git".into(),
            );
        }
        // Checked before the output folder, so `--repository-root generated`
        // is blamed on the option given.
        if !workspace.starts_with(repository) {
            return refuse(
                Root::Repository,
                format!(
                    "does not hold the workspace {shown}: files generated there (CI files) \
                     could not refer to its specs"
                ),
            );
        }
        // The repository root holds the workspace: an output folder holding
        // the repository root holds the specs too.
        let owned = [
            (output == workspace.as_path()).then(|| "is the workspace root".to_string()),
            holds(output, repository, "repository root", self.repository()),
            holds(output, &workspace, "workspace root", shown),
        ];
        match owned.into_iter().flatten().next() {
            Some(what) => refuse(Root::Output, what + GENERATED_MARK),
            None => Ok(()),
        }
    }
}

/// Why an output folder may not hold the specs or the repository.
const GENERATED_MARK: &str = ": stackc marks every file in its output folder as generated \
     (`.gitattributes`) and deletes what its manifest lists there";

/// "is the workspace root" / "holds the workspace root shop" when `folder`
/// is `other` or above it (both resolved; `other` is named as `shown`).
fn holds(folder: &Utf8Path, other: &Utf8Path, name: &str, shown: &Utf8Path) -> Option<String> {
    if folder == other {
        Some(format!("is the {name}"))
    } else if other.starts_with(folder) {
        Some(format!("holds the {name} {shown}"))
    } else {
        None
    }
}

/// True when a folder of `path` (or `path` itself) is named `.git`.
fn inside_git(path: &Utf8Path) -> bool {
    path.components().any(|part| part.as_str() == ".git")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(output: &str, repository: &str, workspace: &str) -> Option<String> {
        let roots = Roots::new(output, repository).unwrap();
        roots
            .check_placement(Utf8Path::new(workspace))
            .err()
            .map(|error| error.to_string())
    }

    #[test]
    fn the_usual_places_are_accepted() {
        assert_eq!(refused("/r/generated", "/r", "/r"), None);
        assert_eq!(
            refused("/r/apps/shop/generated", "/r", "/r/apps/shop"),
            None
        );
        assert_eq!(refused("/elsewhere/out", "/r", "/r/apps/shop"), None);
        assert_eq!(refused("/r/out", "/r/apps", "/r/apps/shop"), None);
    }

    #[test]
    fn an_output_folder_holding_the_specs_or_the_repository_is_refused() {
        let message = refused("/r", "/r", "/r").unwrap();
        assert!(
            message.starts_with("the output folder /r is the workspace root: stackc marks"),
            "{message}"
        );
        assert!(
            message.contains("\nhelp: write into a folder of its own, such as `--out generated`"),
            "{message}"
        );
        let message = refused("/r/apps", "/r", "/r/apps/shop").unwrap();
        assert!(
            message.contains("/r/apps holds the workspace root /r/apps/shop"),
            "{message}"
        );
        let message = refused("/", "/r", "/r/apps/shop").unwrap();
        assert!(
            message.contains("/ holds the repository root /r"),
            "{message}"
        );
        let message = refused("/r/apps/shop", "/r", "/r/apps/shop").unwrap();
        assert!(message.contains("is the workspace root"), "{message}");
        let message = refused("/r", "/r", "/r/apps/shop").unwrap();
        assert!(
            message.starts_with("the output folder /r is the repository root"),
            "{message}"
        );
    }

    #[test]
    fn folders_inside_git_are_refused() {
        let message = refused("/r/.git/gen", "/r", "/r").unwrap();
        assert!(
            message.starts_with("the output folder /r/.git/gen lies inside `.git`"),
            "{message}"
        );
        let message = refused("/r/generated", "/r/.git", "/r").unwrap();
        assert!(
            message.starts_with("the repository root /r/.git lies inside `.git`"),
            "{message}"
        );
    }

    #[test]
    fn a_repository_root_must_hold_the_workspace_and_not_be_the_output_folder() {
        let message = refused("/r/generated", "/r/generated", "/r").unwrap();
        assert!(
            message.starts_with("the repository root /r/generated does not hold the workspace /r"),
            "{message}"
        );
        let message = refused("/r/generated", "/r/generated/sub", "/r").unwrap();
        assert!(
            message.starts_with("the repository root /r/generated/sub does not hold"),
            "{message}"
        );
        let message = refused("/r/generated", "/r/generated", "/r/generated/x").unwrap();
        assert!(
            message.starts_with("the output folder /r/generated is the repository root"),
            "{message}"
        );
        let message = refused("/r/generated", "/elsewhere", "/r").unwrap();
        assert!(
            message.starts_with("the repository root /elsewhere does not hold the workspace /r"),
            "{message}"
        );
        assert!(
            message.contains("help: name the folder at or above the workspace"),
            "{message}"
        );
    }
}
