//! Where one generated file goes: a root and a checked path inside it.

use std::fmt;

use super::{ArtifactPath, Root};

/// A generated file's place: the root it belongs to and its path there.
/// Sorts by root (the output folder first), then by path, which is the
/// order files are written and listed in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GeneratedPath {
    /// The folder `path` is relative to.
    pub root: Root,
    /// The checked, `/`-separated path inside `root`.
    pub path: ArtifactPath,
}

impl GeneratedPath {
    /// A path in `root`.
    pub fn new(root: Root, path: ArtifactPath) -> GeneratedPath {
        GeneratedPath { root, path }
    }

    /// A path in the output folder.
    pub fn output(path: ArtifactPath) -> GeneratedPath {
        GeneratedPath::new(Root::Output, path)
    }

    /// The folders leading to the file in the same root, outermost first.
    pub fn ancestors(&self) -> Vec<GeneratedPath> {
        self.path
            .ancestors()
            .into_iter()
            .map(|folder| GeneratedPath::new(self.root, folder))
            .collect()
    }

    /// The folder holding the file, `None` at the top of its root.
    pub fn parent(&self) -> Option<GeneratedPath> {
        self.path
            .parent()
            .map(|folder| GeneratedPath::new(self.root, folder))
    }

    /// The last component.
    pub fn file_name(&self) -> &str {
        self.path.file_name()
    }
}

/// The manifest's spelling: `compose/test/api.yml` in the output folder,
/// `/.gitlab-ci.yml` at the repository root.
impl fmt::Display for GeneratedPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.root {
            Root::Output => write!(f, "{}", self.path),
            Root::Repository => write!(f, "/{}", self.path),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_sort_first_and_repository_paths_show_a_slash() {
        let ci = GeneratedPath::new(
            Root::Repository,
            ArtifactPath::new(".github/workflows/stack.yml").unwrap(),
        );
        let stack = GeneratedPath::output(ArtifactPath::new("stack").unwrap());
        assert!(stack < ci);
        assert_eq!(ci.to_string(), "/.github/workflows/stack.yml");
        assert_eq!(stack.to_string(), "stack");
        assert_eq!(
            ci.ancestors()
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            ["/.github", "/.github/workflows"]
        );
        assert_eq!(ci.parent().unwrap().to_string(), "/.github/workflows");
        assert_eq!(ci.file_name(), "stack.yml");
    }
}
