//! A path inside one of the output roots that cannot escape it.

use std::fmt;

use camino::{Utf8Path, Utf8PathBuf};

use super::TEMP_PREFIX;

/// A `/`-separated relative path whose every component is a plain name:
/// no `..`, no `.`, no empty component, no absolute prefix, no backslash or
/// drive letter, nothing that starts like one of stackc's temporary files.
/// Built only through [`ArtifactPath::new`], so holding one is the proof.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ArtifactPath(String);

impl ArtifactPath {
    /// Validates `path`; the error says why it is refused.
    pub fn new(path: &str) -> Result<ArtifactPath, String> {
        if path.is_empty() {
            return Err("the path is empty".into());
        }
        if path.starts_with('/') {
            return Err("the path is absolute".into());
        }
        for component in path.split('/') {
            match component {
                "" => return Err("the path has an empty component (`//` or a trailing `/`)".into()),
                "." | ".." => return Err(format!("the path has a `{component}` component")),
                _ => {}
            }
            if let Some(c) = component
                .chars()
                .find(|c| matches!(c, '\\' | ':' | '\0') || c.is_control())
            {
                return Err(format!("the path holds the character {:?}", c));
            }
            if component.starts_with(TEMP_PREFIX) {
                return Err(format!(
                    "names starting with `{TEMP_PREFIX}` are stackc's temporary files"
                ));
            }
        }
        Ok(ArtifactPath(path.to_string()))
    }

    /// One of the output layer's own names (tested to be valid).
    pub(super) fn constant(name: &'static str) -> ArtifactPath {
        debug_assert!(ArtifactPath::new(name).is_ok(), "{name}");
        ArtifactPath(name.to_string())
    }

    /// The `/`-separated path.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The path under the folder `root`, built component by component.
    pub fn under(&self, root: &Utf8Path) -> Utf8PathBuf {
        let mut out = root.to_path_buf();
        for component in self.0.split('/') {
            out.push(component);
        }
        out
    }

    /// The folders leading to the file, outermost first: `a/b/c` → `a`, `a/b`.
    pub fn ancestors(&self) -> Vec<ArtifactPath> {
        self.0
            .match_indices('/')
            .filter_map(|(at, _)| self.0.get(..at))
            .map(|folder| ArtifactPath(folder.to_string()))
            .collect()
    }

    /// The last component.
    pub fn file_name(&self) -> &str {
        self.0.rsplit('/').next().unwrap_or(&self.0)
    }

    /// The folder holding the file, `None` at the top of the output folder.
    pub fn parent(&self) -> Option<ArtifactPath> {
        self.0
            .rsplit_once('/')
            .map(|(parent, _)| ArtifactPath(parent.to_string()))
    }
}

impl fmt::Display for ArtifactPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_relative_paths() {
        for ok in [
            "stack",
            "compose/test/api.yml",
            ".gitattributes",
            "a-b_c.d/e",
        ] {
            assert!(ArtifactPath::new(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn refuses_anything_that_could_leave_the_folder() {
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a/./b",
            "a//b",
            "a/",
            "..",
            ".",
            "a\\..\\b",
            "C:x",
            "a\0b",
            "a\nb",
            ".stackc-tmp-1-x",
            "d/.stackc-tmp-stack",
        ] {
            assert!(ArtifactPath::new(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn ancestors_and_parent() {
        let path = ArtifactPath::new("a/b/c.yml").unwrap();
        let names: Vec<String> = path.ancestors().iter().map(ToString::to_string).collect();
        assert_eq!(names, ["a", "a/b"]);
        assert_eq!(path.parent().unwrap().as_str(), "a/b");
        assert_eq!(path.file_name(), "c.yml");
        let top = ArtifactPath::new("stack").unwrap();
        assert!(top.ancestors().is_empty());
        assert!(top.parent().is_none());
        assert_eq!(path.under(Utf8Path::new("/out")), "/out/a/b/c.yml");
    }
}
