//! Stage 6: the only code that writes to disk.
//!
//! An [`Artifact`] is a path in a [`Root`] (the output folder, or the
//! repository root for files other tools read from fixed places), a
//! [`FileMode`], and contents rendered when the file is written or
//! compared. [`write_all`] and [`check_all`] go file by file, comparing
//! and writing as each renders, so memory holds the paths and the pieces
//! of a render in flight, never the tree (nor a streamed file). [`Roots`] says
//! where the roots are on disk, [`Layout`] how the workspace is seen from
//! them (for paths written inside generated files).
//!
//! Guarantees, whatever the specs say, in every root:
//! - every file is written atomically (temporary file in the same folder,
//!   synced, then renamed), so a crash or Ctrl-C leaves each file old or
//!   new; only stackc's own temporaries (named with a checksum, see
//!   `temporary.rs`) are cleaned up;
//! - a file whose contents did not change is not rewritten (its mtime stays);
//!   CRLF line endings on disk count as unchanged only for regular files
//!   at the repository root (see [`LineEndings`]);
//! - one manifest, `.stackc-manifest` in the output folder, lists what
//!   stackc generated in every root (see [`Manifest`]); a listed file that
//!   is no longer generated is deleted, and a file it does not list is never
//!   overwritten or deleted (the build stops, naming it, exit code 2),
//!   unless it holds exactly what stackc would write (then it is adopted);
//!   an empty folder where a file goes gives way;
//! - a build killed at any point is finished by the next one (see
//!   `writer.rs` for the order of steps);
//! - the roots are where generated files belong (see
//!   [`Roots::check_placement`], called by the CLI before anything else);
//! - nothing is written outside its root: paths are checked, links inside
//!   a root are never followed, and no repository-root file may lie in
//!   `.git` or inside the output folder;
//! - the mode is the artifact's: 0755 for executables, 0644 otherwise;
//! - `.gitattributes` in the output folder (never at the repository root)
//!   marks everything there as generated with LF line endings.

mod artifact;
mod artifact_path;
mod atomic_file;
mod build_inputs;
mod build_record;
mod check_report;
mod conflict;
mod disk_comparison;
mod disk_entry;
mod faults;
mod file_stamp;
mod generated_path;
mod generated_tree;
mod layout;
mod line_endings;
mod manifest;
mod output_error;
mod placement;
mod plan;
mod repository_root;
mod resolved_path;
mod roots;
mod temp_folders;
mod temporary;
mod writer;

pub use artifact::{Artifact, FileMode, Root};
pub use artifact_path::ArtifactPath;
pub use atomic_file::{replace_file, Batch};
pub use build_inputs::{tool_identity, BuildInputs};
pub use build_record::{record_folder, BuildRecord};
pub use check_report::{check_all, check_tracked, CheckReport};
pub use conflict::{Conflict, ConflictKind};
pub use generated_path::GeneratedPath;
pub use layout::Layout;
pub use line_endings::LineEndings;
pub use manifest::{Manifest, ManifestLineError};
pub use output_error::OutputError;
pub use repository_root::find_repository_root;
pub use resolved_path::{relative_dir, resolve};
pub use roots::Roots;
pub use writer::{write_all, write_tracked, WriteReport};

/// The manifest of generated files, at the top of the output folder.
pub const MANIFEST_FILE: &str = ".stackc-manifest";
/// Marks the output folder's files as generated, with LF line endings.
pub const GITATTRIBUTES_FILE: &str = ".gitattributes";
/// Temporary files start with this (`temporary.rs` has the whole shape);
/// no generated file's name does.
pub const TEMP_PREFIX: &str = ".stackc-tmp-";

#[cfg(test)]
mod test_support;
