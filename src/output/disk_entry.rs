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

/// Contents compared as text with CRLF line endings read as LF, so a
/// checkout made with `core.autocrlf` is not "stale". Compares in place,
/// without copying either side.
pub fn same_text(disk: &[u8], generated: &str) -> bool {
    lf_only(disk).eq(lf_only(generated.as_bytes()))
}

/// The bytes with every CR that starts a CRLF dropped.
fn lf_only(bytes: &[u8]) -> impl Iterator<Item = u8> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(move |&(at, &byte)| !(byte == b'\r' && bytes.get(at + 1) == Some(&b'\n')))
        .map(|(_, &byte)| byte)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_is_the_same_text() {
        assert!(same_text(b"a\r\nb\r\n", "a\nb\n"));
        assert!(same_text(b"a\nb\n", "a\r\nb\n"));
        assert!(!same_text(b"a\rb\n", "a\nb\n"));
        assert!(!same_text(b"a\nb", "a\nb\n"));
    }
}
