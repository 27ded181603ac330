//! What is on disk at one path, looked at without following symbolic links.

use std::io;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiskEntry {
    Absent,
    /// A regular file; `bytes` is empty unless its contents were asked for.
    File {
        bytes: Vec<u8>,
        executable: bool,
    },
    Folder,
    Symlink,
    /// A fifo, socket or device.
    Special,
}

impl DiskEntry {
    /// Looks at `path` (never following a link at its end); reads a regular
    /// file's bytes when `read` is true.
    pub fn inspect(path: &Path, read: bool) -> io::Result<DiskEntry> {
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
        let bytes = if read {
            std::fs::read(path)?
        } else {
            Vec::new()
        };
        Ok(DiskEntry::File {
            bytes,
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
/// checkout made with `core.autocrlf` is not "stale".
pub fn same_text(disk: &[u8], generated: &str) -> bool {
    normalise_newlines(disk) == normalise_newlines(generated.as_bytes())
}

fn normalise_newlines(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut iter = bytes.iter().peekable();
    while let Some(&byte) = iter.next() {
        if byte == b'\r' && iter.peek() == Some(&&b'\n') {
            continue;
        }
        out.push(byte);
    }
    out
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
