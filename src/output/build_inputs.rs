//! Everything a build's files depend on, as one digest: the tool that
//! renders them, the options that place them, and the text of every spec
//! file read. Two builds with the same digest produce the same files (the
//! Model is a pure function of the spec files' text, and the emitters of
//! the Model and the [`Layout`]), so the second may skip rendering when
//! the first's files are untouched (see `build_record.rs`).

use super::{Layout, Root, Roots};

/// A BLAKE3 hash over length-prefixed fields, so no two different lists of
/// inputs run together into the same bytes. BLAKE3, not SHA-256: the text
/// of every spec file goes through it on every build, and without the
/// processor's SHA instructions SHA-256 cost 3% of a build's instructions
/// (BLAKE3 uses the vector units); both are collision-resistant.
#[derive(Debug, Clone)]
pub struct BuildInputs {
    hasher: blake3::Hasher,
}

impl BuildInputs {
    /// Starts with the identity of the tool: its version, and whatever else
    /// tells one build of it from another (see [`tool_identity`]).
    pub fn new(tool: &str) -> BuildInputs {
        let mut inputs = BuildInputs {
            hasher: blake3::Hasher::new(),
        };
        inputs.field("tool", tool);
        inputs
    }

    /// An option that changes what is written or where (`name` = `value`).
    pub fn option(&mut self, name: &str, value: &str) {
        self.field("option", name);
        self.field("value", value);
    }

    /// Both roots (absolute, links resolved) and how the workspace sits
    /// relative to them: every output option there is.
    pub fn placement(&mut self, roots: &Roots, layout: &Layout) {
        self.option("output", roots.resolved(Root::Output).as_str());
        self.option("repository", roots.resolved(Root::Repository).as_str());
        self.option("workspace-from-output", &layout.workspace_from_output);
        self.option(
            "workspace-from-repository",
            &layout.workspace_from_repository,
        );
        self.option("output-from-workspace", &layout.output_from_workspace);
    }

    /// A spec file read: its path (relative to the workspace root) and text.
    pub fn source(&mut self, path: &str, text: &str) {
        self.field("source", path);
        self.field("text", text);
    }

    /// The digest, 64 hexadecimal digits.
    pub fn digest(&self) -> String {
        hex(self.hasher.finalize().as_bytes())
    }

    fn field(&mut self, tag: &str, value: &str) {
        for part in [tag, value] {
            self.hasher.update(&(part.len() as u64).to_le_bytes());
            self.hasher.update(part.as_bytes());
        }
    }
}

/// This stackc: its version, and the size and modification time of its
/// executable, so a binary rebuilt from changed sources under the same
/// version number never trusts files an older one wrote.
pub fn tool_identity() -> String {
    let version = env!("CARGO_PKG_VERSION");
    let executable = std::env::current_exe()
        .and_then(std::fs::metadata)
        .ok()
        .and_then(|metadata| {
            let modified = metadata.modified().ok()?;
            let since = modified.duration_since(std::time::UNIX_EPOCH).ok()?;
            Some(format!("{} {}", metadata.len(), since.as_nanos()))
        })
        .unwrap_or_else(|| "unknown".to_string());
    format!("stackc {version} ({executable})")
}

/// Lower-case hexadecimal.
pub(super) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(text, "{byte:02x}");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest(edit: impl Fn(&mut BuildInputs)) -> String {
        let mut inputs = BuildInputs::new("stackc 1");
        edit(&mut inputs);
        inputs.digest()
    }

    #[test]
    fn every_input_counts() {
        let base = digest(|i| {
            i.option("output", "/r/generated");
            i.source("Stackfile", "stack {}\n");
        });
        assert_eq!(base.len(), 64);
        let same = digest(|i| {
            i.option("output", "/r/generated");
            i.source("Stackfile", "stack {}\n");
        });
        assert_eq!(base, same);
        let variants = [
            digest(|i| {
                i.option("output", "/r/out");
                i.source("Stackfile", "stack {}\n");
            }),
            // The same size, one byte changed.
            digest(|i| {
                i.option("output", "/r/generated");
                i.source("Stackfile", "stack []\n");
            }),
            // An included file added.
            digest(|i| {
                i.option("output", "/r/generated");
                i.source("Stackfile", "stack {}\n");
                i.source("a.stack", "");
            }),
            // Fields do not run together.
            digest(|i| {
                i.option("output", "/r/generatedStackfile");
                i.source("", "stack {}\n");
            }),
        ];
        for variant in &variants {
            assert_ne!(&base, variant);
        }
        let mut other_tool = BuildInputs::new("stackc 2");
        other_tool.option("output", "/r/generated");
        other_tool.source("Stackfile", "stack {}\n");
        assert_ne!(base, other_tool.digest());
    }

    #[test]
    fn the_tool_identity_names_the_version() {
        assert!(tool_identity().starts_with(&format!("stackc {} (", env!("CARGO_PKG_VERSION"))));
    }
}
