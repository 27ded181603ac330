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
    /// A regular file the manifest does not list, with other contents than
    /// stackc would write (one with exactly those contents is adopted).
    HandWritten,
    /// A symbolic link where a file or folder goes; following it could
    /// write outside its root.
    Symlink,
    /// A folder holding files the manifest does not list, where a file goes
    /// (an empty folder, or one holding only files about to be deleted,
    /// gives way).
    Folder,
    /// A file where a folder goes.
    NotAFolder,
    /// A fifo, socket or device.
    Special,
}

impl ConflictKind {
    /// True when what is in the way is a file or folder the manifest does
    /// not list (as opposed to a link or a special file, which stackc never
    /// replaces whatever the manifest says).
    pub fn is_unlisted(self) -> bool {
        matches!(
            self,
            ConflictKind::HandWritten | ConflictKind::Folder | ConflictKind::NotAFolder
        )
    }
}

impl fmt::Display for ConflictKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ConflictKind::HandWritten => "a file not listed in the manifest",
            ConflictKind::Symlink => "a symbolic link (stackc never writes through links)",
            ConflictKind::Folder => {
                "a folder holding files not listed in the manifest, where a generated file goes"
            }
            ConflictKind::NotAFolder => {
                "a file not listed in the manifest, where a generated folder goes"
            }
            ConflictKind::Special => "not a regular file",
        })
    }
}
