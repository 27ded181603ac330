//! What is on disk at one path, looked at without following symbolic links.

use std::io;

use camino::Utf8Path;

/// The kind of thing at a path; contents are read separately, one file at a
/// time, only where they are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiskEntry {
    Absent,
    /// A regular file; `executable` when its owner may run it.
    File {
        executable: bool,
    },
    Folder,
    Symlink,
    /// A fifo, socket or device.
    Special,
}

impl DiskEntry {
    /// Looks at `path`, never following a link at its end.
    pub fn inspect(path: &Utf8Path) -> io::Result<DiskEntry> {
        let metadata = match std::fs::symlink_metadata(path) {
            Ok(metadata) => metadata,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(DiskEntry::Absent),
            Err(error) => return Err(error),
        };
        let kind = metadata.file_type();
        if kind.is_symlink() {
            return Ok(DiskEntry::Symlink);
        }
        if kind.is_dir() {
            return Ok(DiskEntry::Folder);
        }
        if !kind.is_file() {
            return Ok(DiskEntry::Special);
        }
        Ok(DiskEntry::File {
            executable: is_executable(&metadata),
        })
    }
}

#[cfg(unix)]
fn is_executable(metadata: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    metadata.permissions().mode() & 0o100 != 0
}

#[cfg(not(unix))]
fn is_executable(_metadata: &std::fs::Metadata) -> bool {
    false
}
