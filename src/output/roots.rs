//! The real folders behind [`Root`]: where the output folder and the
//! repository root are on this machine.

use camino::{Utf8Path, Utf8PathBuf};

use super::resolved_path::{relative_dir, resolve};
use super::{ArtifactPath, GeneratedPath, OutputError, Root};

/// The output folder and the repository root. Each is kept as given (for
/// file operations and messages; relative to the current folder or
/// absolute) and resolved (absolute, links resolved, for comparisons).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roots {
    output: Utf8PathBuf,
    repository: Utf8PathBuf,
    resolved_output: Utf8PathBuf,
    resolved_repository: Utf8PathBuf,
}

impl Roots {
    /// Roots at `output` and `repository`, which need not exist yet.
    ///
    /// Errors: a root is relative and the current folder cannot be read or
    /// is not UTF-8.
    pub fn new(
        output: impl Into<Utf8PathBuf>,
        repository: impl Into<Utf8PathBuf>,
    ) -> Result<Roots, OutputError> {
        let output = output.into();
        let repository = repository.into();
        let resolved =
            |path: &Utf8Path| resolve(path).map_err(OutputError::io("resolve", path.to_path_buf()));
        Ok(Roots {
            resolved_output: resolved(&output)?,
            resolved_repository: resolved(&repository)?,
            output,
            repository,
        })
    }

    /// The output folder, as given.
    pub fn output(&self) -> &Utf8Path {
        &self.output
    }

    /// The repository root, as given.
    pub fn repository(&self) -> &Utf8Path {
        &self.repository
    }

    /// The folder behind `root`, as given.
    pub fn folder(&self, root: Root) -> &Utf8Path {
        match root {
            Root::Output => &self.output,
            Root::Repository => &self.repository,
        }
    }

    /// The file system path of a generated file (`generated/stack`).
    pub fn full(&self, path: &GeneratedPath) -> Utf8PathBuf {
        path.path.under(self.folder(path.root))
    }

    /// `folder` resolved (absolute, links resolved); see [`resolve`].
    pub(super) fn resolved(&self, root: Root) -> &Utf8Path {
        match root {
            Root::Output => &self.resolved_output,
            Root::Repository => &self.resolved_repository,
        }
    }

    /// The repository root seen from the output folder (`..` by default),
    /// as the manifest records it.
    pub fn repository_from_output(&self) -> String {
        relative_dir(&self.resolved_output, &self.resolved_repository)
    }

    /// Why a path may not be generated at the repository root, if it may
    /// not: it would be inside git's own `.git`, or inside the output folder
    /// (where the manifest and `.gitattributes` speak for every file).
    pub fn refuses_at_repository(&self, path: &ArtifactPath) -> Option<String> {
        if path.as_str().split('/').next() == Some(".git") {
            return Some("`.git` belongs to git".into());
        }
        let full = path.under(&self.resolved_repository);
        if full.starts_with(&self.resolved_output) {
            return Some(format!("it lies inside the output folder {}", self.output));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_paths_stay_out_of_git_and_the_output_folder() {
        let roots = Roots::new("/r/apps/shop/generated", "/r").unwrap();
        assert_eq!(roots.repository_from_output(), "../../..");
        let refused = |p: &str| roots.refuses_at_repository(&ArtifactPath::new(p).unwrap());
        assert!(refused(".gitlab-ci.yml").is_none());
        assert!(refused(".github/workflows/stack.yml").is_none());
        assert!(refused("apps/shop/generated-not").is_none());
        assert!(refused(".git/hooks/pre-commit").is_some());
        assert!(refused(".git").is_some());
        assert!(refused("apps/shop/generated/stack").is_some());
        assert!(refused("apps/shop/generated").is_some());

        let inside = Roots::new("/r", "/r/sub").unwrap();
        assert!(inside
            .refuses_at_repository(&ArtifactPath::new("x").unwrap())
            .is_some());
    }

    #[test]
    fn full_paths_are_under_the_root_as_given() {
        let roots = Roots::new("generated", ".").unwrap();
        let ci = GeneratedPath::new(
            Root::Repository,
            ArtifactPath::new(".gitlab-ci.yml").unwrap(),
        );
        assert_eq!(roots.full(&ci), "./.gitlab-ci.yml");
        let stack = GeneratedPath::output(ArtifactPath::new("stack").unwrap());
        assert_eq!(roots.full(&stack), "generated/stack");
    }
}
