//! Where the output folder and the repository root sit relative to the
//! workspace root, so an emitter can write a path from one of its files to a
//! workspace folder (a Compose build context, a CI `working-directory`)
//! without knowing the command line.

use camino::Utf8Path;

use super::resolved_path::{relative_dir, resolve};
use super::{OutputError, Root, Roots};

/// The relative positions of the roots, all `/`-separated and relative.
/// `Layout::default()` is the common case: output in `generated/` beside the
/// Stackfile, the repository root at the workspace root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The workspace root seen from the output folder (`..` by default;
    /// `.` when they are the same folder).
    pub workspace_from_output: String,
    /// The workspace root seen from the repository root (`.` by default,
    /// `services/shop` for a workspace in a monorepo's subfolder).
    pub workspace_from_repository: String,
    /// The output folder seen from the workspace root (`generated` by
    /// default, `../out` with `--out ../out`): where a CI job, running in
    /// the workspace, finds the task runner (`generated/stack`).
    pub output_from_workspace: String,
}

impl Default for Layout {
    fn default() -> Layout {
        Layout {
            workspace_from_output: "..".into(),
            workspace_from_repository: ".".into(),
            output_from_workspace: "generated".into(),
        }
    }
}

impl Layout {
    /// Where the workspace at `workspace` (a folder) sits relative to
    /// `roots`. Errors like [`Roots::new`].
    pub fn new(roots: &Roots, workspace: &Utf8Path) -> Result<Layout, OutputError> {
        let workspace =
            resolve(workspace).map_err(OutputError::io("resolve", workspace.to_path_buf()))?;
        Ok(Layout {
            workspace_from_output: relative_dir(roots.resolved(Root::Output), &workspace),
            workspace_from_repository: relative_dir(roots.resolved(Root::Repository), &workspace),
            output_from_workspace: relative_dir(&workspace, roots.resolved(Root::Output)),
        })
    }

    /// The workspace root seen from the folder that holds the artifact at
    /// `path` in `root`: `../../..` for `compose/test/api.yml` in the default
    /// output folder. Never empty (`.` when it is that folder).
    pub fn workspace_from(&self, root: Root, path: &str) -> String {
        let base = match root {
            Root::Output => &self.workspace_from_output,
            Root::Repository => &self.workspace_from_repository,
        };
        let depth = path.matches('/').count();
        let mut parts: Vec<&str> = std::iter::repeat_n("..", depth).collect();
        let base = base.trim_end_matches('/');
        if !(base.is_empty() || base == ".") {
            parts.push(base);
        }
        if parts.is_empty() {
            ".".into()
        } else {
            parts.join("/")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_from_the_roots() {
        let roots = Roots::new("/r/apps/shop/generated", "/r").unwrap();
        let layout = Layout::new(&roots, Utf8Path::new("/r/apps/shop")).unwrap();
        assert_eq!(layout.workspace_from_output, "..");
        assert_eq!(layout.workspace_from_repository, "apps/shop");
        assert_eq!(layout.output_from_workspace, "generated");
        let elsewhere = Roots::new("/out", "/r").unwrap();
        let layout = Layout::new(&elsewhere, Utf8Path::new("/r")).unwrap();
        assert_eq!(
            layout,
            Layout {
                workspace_from_output: "../r".into(),
                workspace_from_repository: ".".into(),
                output_from_workspace: "../out".into(),
            }
        );
    }

    #[test]
    fn compose_files_see_the_workspace_three_folders_up() {
        let layout = Layout::default();
        assert_eq!(
            layout.workspace_from(Root::Output, "compose/test/api.yml"),
            "../../.."
        );
        assert_eq!(layout.workspace_from(Root::Output, "stack"), "..");
        assert_eq!(
            layout.workspace_from(Root::Repository, ".gitlab-ci.yml"),
            "."
        );
        assert_eq!(
            layout.workspace_from(Root::Repository, ".github/workflows/stack.yml"),
            "../.."
        );
        let same = Layout {
            workspace_from_output: ".".into(),
            workspace_from_repository: "apps/shop".into(),
            output_from_workspace: ".".into(),
        };
        assert_eq!(
            same.workspace_from(Root::Output, "compose/test/api.yml"),
            "../.."
        );
        assert_eq!(
            same.workspace_from(Root::Repository, ".gitlab-ci.yml"),
            "apps/shop"
        );
    }
}
