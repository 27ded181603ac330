//! What is on disk at one path, looked at without following symbolic links.

use std::io;

use camino::Utf8Path;

use super::file_stamp::FileStamp;

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
        Self::inspect_stamped(path).map(|(entry, _)| entry)
    }

    /// [`DiskEntry::inspect`], with a regular file's [`FileStamp`] from the
    /// same look (one `lstat`).
    pub fn inspect_stamped(path: &Utf8Path) -> io::Result<(DiskEntry, Option<FileStamp>)> {
        match std::fs::symlink_metadata(path) {
            Ok(metadata) => Ok((Self::of(&metadata), FileStamp::of_metadata(&metadata))),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok((DiskEntry::Absent, None)),
            Err(error) => Err(error),
        }
    }

    /// What `metadata` (of `lstat`) describes.
    fn of(metadata: &std::fs::Metadata) -> DiskEntry {
        let kind = metadata.file_type();
        if kind.is_symlink() {
            return DiskEntry::Symlink;
        }
        if kind.is_dir() {
            return DiskEntry::Folder;
        }
        if !kind.is_file() {
            return DiskEntry::Special;
        }
        DiskEntry::File {
            executable: is_executable(metadata),
        }
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
