//! What `stat` says about a generated file, enough to tell that nobody
//! touched it since stackc wrote (or compared) it: any write, rename-over,
//! mode change or `touch` changes the change time (ctime), which no user
//! can set back, and a replaced file has another inode.

use std::io;

use camino::Utf8Path;

/// A regular file's size, modification and change times (nanoseconds),
/// inode, device and permission bits, as `lstat` reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    size: u64,
    modified: (i64, i64),
    changed: (i64, i64),
    inode: u64,
    device: u64,
    mode: u32,
}

impl FileStamp {
    /// The stamp of the regular file at `path` (never following a link);
    /// `None` when there is no regular file there, or on a platform
    /// without inodes (then no build is ever skipped).
    ///
    /// Errors: the path cannot be looked at (other than not existing).
    pub fn of(path: &Utf8Path) -> io::Result<Option<FileStamp>> {
        let metadata = match std::fs::symlink_metadata(path) {
            Ok(metadata) => metadata,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(error),
        };
        Ok(Self::of_metadata(&metadata))
    }

    /// The stamp `metadata` (of `lstat`) gives; `None` unless it describes
    /// a regular file (or where there are no inodes).
    pub fn of_metadata(metadata: &std::fs::Metadata) -> Option<FileStamp> {
        if !metadata.file_type().is_file() {
            return None;
        }
        from_metadata(metadata)
    }

    /// One line of text: `size mtime.ns ctime.ns inode device mode`.
    pub fn render(&self) -> String {
        format!(
            "{} {}.{} {}.{} {} {} {:o}",
            self.size,
            self.modified.0,
            self.modified.1,
            self.changed.0,
            self.changed.1,
            self.inode,
            self.device,
            self.mode
        )
    }

    /// Reads what [`FileStamp::render`] wrote; `None` for anything else.
    pub fn parse(text: &str) -> Option<FileStamp> {
        let mut fields = text.split(' ');
        let mut next = || fields.next();
        let time = |field: Option<&str>| -> Option<(i64, i64)> {
            let (seconds, nanos) = field?.split_once('.')?;
            Some((seconds.parse().ok()?, nanos.parse().ok()?))
        };
        let stamp = FileStamp {
            size: next()?.parse().ok()?,
            modified: time(next())?,
            changed: time(next())?,
            inode: next()?.parse().ok()?,
            device: next()?.parse().ok()?,
            mode: u32::from_str_radix(next()?, 8).ok()?,
        };
        next().is_none().then_some(stamp)
    }
}

#[cfg(unix)]
fn from_metadata(metadata: &std::fs::Metadata) -> Option<FileStamp> {
    use std::os::unix::fs::MetadataExt;
    Some(FileStamp {
        size: metadata.size(),
        modified: (metadata.mtime(), metadata.mtime_nsec()),
        changed: (metadata.ctime(), metadata.ctime_nsec()),
        inode: metadata.ino(),
        device: metadata.dev(),
        mode: metadata.mode(),
    })
}

#[cfg(not(unix))]
fn from_metadata(_metadata: &std::fs::Metadata) -> Option<FileStamp> {
    None
}

#[cfg(all(test, unix))]
mod tests {
    use std::fs;

    use camino::Utf8PathBuf;

    use super::*;

    #[test]
    fn round_trips_and_sees_every_kind_of_change() {
        let dir = tempfile::tempdir().unwrap();
        let dir = Utf8PathBuf::from_path_buf(dir.path().to_path_buf()).unwrap();
        let path = dir.join("a");
        fs::write(&path, "one").unwrap();
        let stamp = FileStamp::of(&path).unwrap().unwrap();
        assert_eq!(FileStamp::parse(&stamp.render()), Some(stamp));
        assert_eq!(FileStamp::of(&path).unwrap(), Some(stamp), "stable");

        // Same size, same mtime set back: the change time still moves.
        let mtime = fs::metadata(&path).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(&path, "two").unwrap();
        fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(mtime)
            .unwrap();
        assert_ne!(FileStamp::of(&path).unwrap(), Some(stamp));

        assert_eq!(FileStamp::of(&dir.join("missing")).unwrap(), None);
        assert_eq!(FileStamp::of(&dir).unwrap(), None, "a folder has none");
        for bad in ["", "1 2 3", "1 2.3 4.5 6 7 644 extra", "x 2.3 4.5 6 7 644"] {
            assert_eq!(FileStamp::parse(bad), None, "{bad:?}");
        }
    }
}
