//! Stage 6: the only code that writes to disk.
//!
//! Guarantees, whatever the specs say:
//! - every file is written atomically (temporary file in the same folder,
//!   then rename), so a crash or Ctrl-C leaves each file old or new;
//! - a file whose contents did not change is not rewritten (its mtime stays);
//!   CRLF line endings on disk count as unchanged;
//! - `.stackc-manifest` lists what stackc generated; a listed file that is no
//!   longer generated is deleted, and a file it does not list is never
//!   overwritten or deleted (the build stops, naming it, exit code 2);
//! - nothing is written outside the output folder: paths are checked, and
//!   links inside the folder are never followed;
//! - scripts (`#!`) get mode 0755, other files 0644;
//! - `.gitattributes` marks everything as generated with LF line endings.

mod artifact;
mod artifact_path;
mod atomic_file;
mod check_report;
mod conflict;
mod disk_entry;
mod generated_tree;
mod layout;
mod manifest;
mod output_error;
mod plan;
mod writer;

use std::path::Path;

pub use artifact::{Artifact, FileMode, Root};
pub use artifact_path::ArtifactPath;
pub use atomic_file::replace_file;
pub use check_report::{CheckReport, StaleFile};
pub use conflict::{Conflict, ConflictKind};
pub use generated_tree::{GeneratedFile, GeneratedTree};
pub use layout::Layout;
pub use manifest::Manifest;
pub use output_error::OutputError;
pub use writer::{write_tree, WriteReport};

use crate::emit::ArtifactSet;

/// The manifest of generated files, at the top of the output folder.
pub const MANIFEST_FILE: &str = ".stackc-manifest";
/// Marks the output folder's files as generated, with LF line endings.
pub const GITATTRIBUTES_FILE: &str = ".gitattributes";
/// Temporary files start with this; none is ever a generated file's name.
pub const TEMP_PREFIX: &str = ".stackc-tmp-";

/// Writes every artifact under `out`, safely (see the module docs).
pub fn write_all(artifacts: &ArtifactSet, out: &Path) -> Result<WriteReport, OutputError> {
    write_tree(&GeneratedTree::from_artifacts(artifacts)?, out)
}

/// Compares every artifact with what is under `out`, writing nothing.
pub fn check_all(artifacts: &ArtifactSet, out: &Path) -> Result<CheckReport, OutputError> {
    CheckReport::compare(&GeneratedTree::from_artifacts(artifacts)?, out)
}
