//! Something in an output root that stackc did not generate and that
//! stands where a generated file (or its folder) must go.

use std::fmt;

use super::GeneratedPath;

/// What stands where, found before anything is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The generated file, or the folder leading to it, that is taken.
    pub path: GeneratedPath,
    /// What is there.
    pub kind: ConflictKind,
}

/// What kind of thing is in the way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConflictKind {
    /// A regular file with other contents that the manifest does not list.
    HandWritten,
    /// A symbolic link where a file or folder goes; following it could
    /// write outside its root.
    Symlink,
    /// A folder holding files stackc did not generate, where a file goes.
    Folder,
    /// A file where a folder goes.
    NotAFolder,
    /// A fifo, socket or device.
    Special,
}

impl fmt::Display for ConflictKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ConflictKind::HandWritten => {
                "a file stackc did not generate (its manifest does not list it)"
            }
            ConflictKind::Symlink => "a symbolic link (stackc never writes through links)",
            ConflictKind::Folder => {
                "a folder holding files stackc did not generate, where a generated file goes"
            }
            ConflictKind::NotAFolder => {
                "a file stackc did not generate, where a generated folder goes"
            }
            ConflictKind::Special => "not a regular file",
        })
    }
}
