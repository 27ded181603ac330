//! Writing one file so that a crash, a kill or a full disk leaves either the
//! old file or the new one, never a mix: the bytes go to a temporary file in
//! the same folder, reach the disk, and only then are renamed over the target
//! (a rename within one file system is atomic).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::TEMP_PREFIX;

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Atomically puts `bytes` at `folder/name` with the permission bits `mode`
/// (ignored where there are none).
pub fn write_atomic(folder: &Path, name: &str, bytes: &[u8], mode: u32) -> io::Result<()> {
    let temp = folder.join(format!(
        "{TEMP_PREFIX}{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = fill(&temp, bytes, mode).and_then(|()| fs::rename(&temp, folder.join(name)));
    if result.is_err() {
        let _ = fs::remove_file(&temp);
        return result;
    }
    // Make the rename itself durable; not every platform can sync a folder.
    if let Ok(dir) = File::open(folder) {
        let _ = dir.sync_all();
    }
    Ok(())
}

fn fill(temp: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(temp)?;
    faults::before_write(&mut file, bytes)?;
    file.write_all(bytes)?;
    set_mode(&file, mode)?;
    file.sync_all()
}

#[cfg(unix)]
fn set_mode(file: &File, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    // On the open file, so the umask does not interfere.
    file.set_permissions(fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_file: &File, _mode: u32) -> io::Result<()> {
    Ok(())
}

/// Sets the permission bits of an existing file (contents unchanged).
#[cfg(unix)]
pub fn chmod(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
pub fn chmod(_path: &Path, _mode: u32) -> io::Result<()> {
    Ok(())
}

/// Atomically replaces an existing file (following links to the real file),
/// keeping its permission bits. For `stackc fmt`, which rewrites specs.
pub fn replace_file(path: &Path, contents: &str) -> io::Result<()> {
    let real: PathBuf = path.canonicalize()?;
    let metadata = fs::metadata(&real)?;
    let folder = real
        .parent()
        .ok_or_else(|| io::Error::other("the file has no parent folder"))?;
    let name = real
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| io::Error::other("the file name is not UTF-8"))?;
    write_atomic(folder, name, contents.as_bytes(), mode_of(&metadata))
}

#[cfg(unix)]
fn mode_of(metadata: &fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    metadata.permissions().mode() & 0o7777
}

#[cfg(not(unix))]
fn mode_of(_metadata: &fs::Metadata) -> u32 {
    0o644
}

/// Deletes stackc's temporary files left in `folder` by a process that was
/// killed between creating one and renaming it.
pub fn remove_leftovers(folder: &Path) -> io::Result<()> {
    let entries = match fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(error),
    };
    for entry in entries {
        let entry = entry?;
        let is_temp = entry
            .file_name()
            .to_str()
            .is_some_and(|name| name.starts_with(TEMP_PREFIX));
        if is_temp && entry.file_type()?.is_file() {
            fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// Failure injection for tests: make the n-th write from now on stop half
/// way with an error, as a full disk or a crash would.
#[cfg(test)]
pub mod faults {
    use std::cell::Cell;
    use std::fs::File;
    use std::io::{self, Write};

    thread_local! {
        static FAIL_AFTER: Cell<Option<usize>> = const { Cell::new(None) };
    }

    /// The `n`-th write (0-based) on this thread fails after half its bytes.
    pub fn fail_write(n: usize) {
        FAIL_AFTER.with(|cell| cell.set(Some(n)));
    }

    pub fn clear() {
        FAIL_AFTER.with(|cell| cell.set(None));
    }

    pub(super) fn before_write(file: &mut File, bytes: &[u8]) -> io::Result<()> {
        let fail = FAIL_AFTER.with(|cell| match cell.get() {
            Some(0) => {
                cell.set(None);
                true
            }
            Some(n) => {
                cell.set(Some(n - 1));
                false
            }
            None => false,
        });
        if fail {
            file.write_all(&bytes[..bytes.len() / 2])?;
            return Err(io::Error::other("injected failure: disk full"));
        }
        Ok(())
    }
}

#[cfg(not(test))]
mod faults {
    use std::fs::File;
    use std::io;

    #[inline]
    pub(super) fn before_write(_file: &mut File, _bytes: &[u8]) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_replaces_and_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        write_atomic(dir.path(), "a", b"one", 0o644).unwrap();
        write_atomic(dir.path(), "a", b"two", 0o755).unwrap();
        assert_eq!(fs::read(dir.path().join("a")).unwrap(), b"two");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.path().join("a"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o755);
        }
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file is left");
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        write_atomic(dir.path(), "a", b"old contents", 0o644).unwrap();
        faults::fail_write(0);
        let error = write_atomic(dir.path(), "a", b"new contents", 0o644).unwrap_err();
        faults::clear();
        assert!(error.to_string().contains("injected"));
        assert_eq!(fs::read(dir.path().join("a")).unwrap(), b"old contents");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn leftovers_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(format!("{TEMP_PREFIX}99-1")), "half").unwrap();
        fs::write(dir.path().join("keep"), "mine").unwrap();
        remove_leftovers(dir.path()).unwrap();
        let names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["keep"]);
    }

    #[test]
    fn replace_file_keeps_the_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Stackfile");
        fs::write(&path, "old").unwrap();
        chmod(&path, 0o600).unwrap();
        replace_file(&path, "new").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
