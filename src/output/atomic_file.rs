//! Writing one file so that a crash, a kill or a full disk leaves either the
//! old file or the new one, never a mix: the bytes go to a temporary file in
//! the same folder (named as [`super::temporary`] says), reach the disk with
//! their final permission bits, and only then are renamed over the target (a
//! rename within one file system is atomic). The data is synced before the
//! rename, so after a power loss a visible new name never holds a torn or
//! empty file. Whether the rename itself must survive a power loss is the
//! caller's choice ([`Rename`]): a generated file may come back old (the
//! next build rewrites it), the manifest and a user's spec may not.
//!
//! A temporary file is created exclusively (`O_EXCL`), private to the user
//! until its mode is set on the open file (so neither the umask nor a
//! folder's default ACL changes it), written through a buffer as its
//! contents render, and removed on every early return, including a panic.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};

use camino::{Utf8Path, Utf8PathBuf};

use super::faults::{self, Fault};
use super::file_stamp::FileStamp;
use super::temporary;

/// Whether a rename must itself survive a power loss.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rename {
    /// The folder is synced after the rename (one more sync per file).
    Durable,
    /// Atomic, not durable: after a power loss the file is old or new.
    AtomicOnly,
}

/// The size of the buffer between a render and its temporary file.
const WRITE_BUFFER: usize = 64 << 10;

/// Atomically puts `bytes` at `folder/name` with the permission bits `mode`
/// (ignored where there are none), the rename durable or not.
pub fn write_atomic(
    folder: &Utf8Path,
    name: &str,
    bytes: &[u8],
    mode: u32,
    rename: Rename,
) -> io::Result<()> {
    let (mut temp, file, _) = filled_temporary(folder, mode, &mut |out| out.write_all(bytes))?;
    file.sync_all()?;
    drop(file);
    temp.rename_to(&folder.join(name))?;
    if rename == Rename::Durable {
        sync_folder(folder);
    }
    Ok(())
}

/// A temporary file of ours, removed when dropped unless renamed or kept.
#[derive(Debug)]
struct Temporary {
    path: Utf8PathBuf,
    armed: bool,
}

impl Temporary {
    /// Renames the file over `target`; it is no longer ours to remove.
    fn rename_to(&mut self, target: &Utf8Path) -> io::Result<()> {
        fs::rename(&self.path, target)?;
        self.armed = false;
        Ok(())
    }
}

impl Drop for Temporary {
    fn drop(&mut self) {
        if self.armed {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// A new temporary file in `folder`, holding what `render` writes, with the
/// permission bits `mode`, open and not yet synced; and its size in bytes.
/// Where the tests inject a fault, half the bytes stay, as a full disk or a
/// kill mid-write leaves them.
fn filled_temporary(
    folder: &Utf8Path,
    mode: u32,
    render: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
) -> io::Result<(Temporary, File, u64)> {
    let (mut temp, file) = new_temporary(folder)?;
    let bytes = fill(&mut temp, &file, render)?;
    set_mode(&file, mode)?;
    Ok((temp, file, bytes))
}

/// Writes what `render` writes into the new, empty `file` (at `temp`); its
/// size in bytes.
fn fill(
    temp: &mut Temporary,
    file: &File,
    render: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
) -> io::Result<u64> {
    let fault = faults::next();
    let mut out = Counted {
        inner: BufWriter::with_capacity(WRITE_BUFFER, file),
        bytes: 0,
    };
    render(&mut out)?;
    out.inner.flush()?;
    let bytes = out.bytes;
    drop(out);
    if let Some(fault) = fault {
        file.set_len(bytes / 2)?;
        if fault == Fault::Crash {
            temp.armed = false;
        }
        return Err(faults::injected());
    }
    Ok(bytes)
}

/// Counts the bytes written through it.
struct Counted<W> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Write for Counted<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let written = self.inner.write(data)?;
        self.bytes += written as u64;
        Ok(written)
    }

    fn write_all(&mut self, data: &[u8]) -> io::Result<()> {
        self.inner.write_all(data)?;
        self.bytes += data.len() as u64;
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// A file written as [`write_atomic`] writes it, closed, waiting in its
/// temporary file for [`Batch::commit`]; or written under its own name in
/// a new folder that appears under its final name only once every file in
/// it is written ([`StagedFile::in_new_folder`]). Dropped uncommitted, it
/// removes the file it wrote.
#[derive(Debug)]
pub struct StagedFile {
    temp: Temporary,
    target: Utf8PathBuf,
    bytes: u64,
    placement: Placement,
}

/// How a staged file gets to its place.
#[derive(Debug, Clone, Copy)]
pub enum Placement {
    /// Renamed over its target when the batch commits.
    Renamed,
    /// Already under its own name in a new folder, which a rename makes
    /// appear; its stamp after the last change to it (`fstat` of the open
    /// file) is final.
    InNewFolder(Option<FileStamp>),
}

impl StagedFile {
    /// Writes what `render` writes, with the permission bits `mode`, to a
    /// temporary file in `folder`, to become `folder/name` when committed.
    /// The file is closed (a batch holds no descriptor open).
    ///
    /// Errors: the temporary file cannot be created or written, or `render`
    /// failed.
    pub fn new(
        folder: &Utf8Path,
        name: &str,
        mode: u32,
        render: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<StagedFile> {
        let (temp, _file, bytes) = filled_temporary(folder, mode, render)?;
        Ok(StagedFile {
            temp,
            target: folder.join(name),
            bytes,
            placement: Placement::Renamed,
        })
    }

    /// Writes what `render` writes, with the permission bits `mode`, to
    /// `folder/name` directly, where `folder` is a folder this build created
    /// and nobody else knows (a staged folder, or one inside it: nothing can
    /// be in the way, and the file is visible only when the staged folder is
    /// renamed into place, which makes it `target`). Saves the temporary
    /// name and the rename per file; the file is closed.
    ///
    /// Errors: the file cannot be created or written, or `render` failed.
    pub fn in_new_folder(
        folder: &Utf8Path,
        name: &str,
        target: Utf8PathBuf,
        mode: u32,
        render: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<StagedFile> {
        let path = folder.join(name);
        // Created with its mode: nobody sees the folder before the rename.
        // The umask or a default ACL may take bits away; the `fstat` the
        // stamp needs tells, and only then is the mode set (one `fchmod`
        // saved per file where they do not, as usual).
        let file = created_with(mode).open(&path)?;
        let mut temp = Temporary { path, armed: true };
        let bytes = fill(&mut temp, &file, render)?;
        let mut metadata = file.metadata()?;
        if mode_of(&metadata) != mode {
            set_mode(&file, mode)?;
            metadata = file.metadata()?;
        }
        // Renaming the staged folder does not change the files in it.
        let stamp = FileStamp::of_metadata(&metadata);
        Ok(StagedFile {
            temp,
            target,
            bytes,
            placement: Placement::InNewFolder(stamp),
        })
    }

    /// How the file gets to its place.
    pub fn placement(&self) -> Placement {
        self.placement
    }

    /// The file's size in bytes.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }
}

/// Files written as [`write_atomic`] writes them, but synced together: each
/// is staged in its temporary file (closed), and [`Batch::commit`] syncs
/// the data of every staged file at once (one `syncfs(2)` per file system
/// on Linux, where a sync per file would cost one journal commit each; each
/// file's `fsync` elsewhere), then renames them over their targets in
/// staging order. The renames are atomic, not durable
/// ([`Rename::AtomicOnly`]). Dropping a batch without committing it
/// removes its temporary files: nothing staged appears.
#[derive(Debug, Default)]
pub struct Batch {
    staged: Vec<StagedFile>,
    files: usize,
    bytes: u64,
}

impl Batch {
    /// At most this many files wait for one sync (their temporary files
    /// are closed, so this bounds only what a killed build leaves) ...
    #[cfg(not(test))]
    const MAX_FILES: usize = 100_000;
    /// (Two in unit tests, so the recovery tests stop builds between
    /// batches as well as within one.)
    #[cfg(test)]
    const MAX_FILES: usize = 2;
    /// ... and this many bytes (1 GiB): the data one sync waits for, and
    /// the most a killed build leaves in temporary files.
    pub const MAX_BYTES: u64 = 1 << 30;

    /// Writes `bytes` with the permission bits `mode` to a temporary file
    /// in `folder`, to become `folder/name` when the batch commits.
    ///
    /// Errors: the temporary file cannot be created or written.
    pub fn stage(
        &mut self,
        folder: &Utf8Path,
        name: &str,
        bytes: &[u8],
        mode: u32,
    ) -> io::Result<()> {
        let staged = StagedFile::new(folder, name, mode, &mut |out| out.write_all(bytes))?;
        self.add(staged);
        Ok(())
    }

    /// Adds a staged file.
    pub fn add(&mut self, staged: StagedFile) {
        self.files += 1;
        self.bytes += staged.bytes;
        self.staged.push(staged);
    }

    /// Whether a batch of `files` files and `bytes` bytes should commit
    /// before staging more.
    pub fn is_full_at(files: usize, bytes: u64) -> bool {
        files >= Self::MAX_FILES || bytes >= Self::MAX_BYTES
    }

    /// Whether the batch should commit before staging more.
    pub fn is_full(&self) -> bool {
        Self::is_full_at(self.files, self.bytes)
    }

    /// Syncs every staged file's data, then renames each over its target;
    /// returns the targets, in staging order. The batch is empty afterwards.
    ///
    /// Errors: the sync or a rename failed, with the target it was for (the
    /// files not yet renamed keep their old contents; their temporaries are
    /// removed).
    pub fn commit(&mut self) -> Result<Vec<Utf8PathBuf>, (Utf8PathBuf, io::Error)> {
        let staged = std::mem::take(&mut self.staged);
        self.files = 0;
        self.bytes = 0;
        sync_data(&staged)?;
        let mut targets = Vec::with_capacity(staged.len());
        for mut file in staged {
            if let Placement::InNewFolder(_) = file.placement {
                // Its folder's rename makes it appear.
                file.temp.armed = false;
            } else if let Err(error) = file.temp.rename_to(&file.target) {
                return Err((file.target, error));
            }
            targets.push(file.target);
        }
        Ok(targets)
    }
}

/// Makes the data of every staged file durable: one `syncfs` of each file
/// system they sit on (usually one: they all sit under one output folder; a
/// root or folder on another file system gets its own), found from their
/// folders, so a batch costs a stat per folder, not per file.
#[cfg(target_os = "linux")]
fn sync_data(staged: &[StagedFile]) -> Result<(), (Utf8PathBuf, io::Error)> {
    use std::os::unix::fs::MetadataExt;
    let mut folders = std::collections::BTreeMap::new();
    for file in staged {
        if let Some(folder) = file.temp.path.parent() {
            folders.entry(folder).or_insert(&file.target);
        }
    }
    let mut devices = std::collections::BTreeSet::new();
    for (folder, target) in folders {
        let synced = fs::metadata(folder).and_then(|metadata| {
            if devices.insert(metadata.dev()) {
                let dir = File::open(folder)?;
                rustix::fs::syncfs(&dir).map_err(io::Error::from)
            } else {
                Ok(())
            }
        });
        synced.map_err(|error| (target.clone(), error))?;
    }
    Ok(())
}

/// Makes the data of every staged file durable, one file at a time.
#[cfg(not(target_os = "linux"))]
fn sync_data(staged: &[StagedFile]) -> Result<(), (Utf8PathBuf, io::Error)> {
    staged.iter().try_for_each(|file| {
        File::options()
            .write(true)
            .open(&file.temp.path)
            .and_then(|open| open.sync_all())
            .map_err(|error| (file.target.clone(), error))
    })
}

/// A new, empty temporary file in `folder`, named as [`super::temporary`]
/// says, readable by the user only until its mode is set.
fn new_temporary(folder: &Utf8Path) -> io::Result<(Temporary, File)> {
    let options = private_options();
    // A name is 64 random bits: a clash means a leftover of this very name.
    let mut attempts = 0;
    loop {
        let path = folder.join(temporary::new_name());
        match options.open(&path) {
            Ok(file) => return Ok((Temporary { path, armed: true }, file)),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists && attempts < 3 => {
                attempts += 1;
            }
            Err(error) => return Err(error),
        }
    }
}

/// Options that create a new file exclusively, readable by the user only
/// until its mode is set.
fn private_options() -> fs::OpenOptions {
    created_with(0o600)
}

/// Options that create a new file exclusively with the permission bits
/// `mode` (less what the umask or a default ACL takes away).
fn created_with(mode: u32) -> fs::OpenOptions {
    let mut options = File::options();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    options
}

/// A new staged folder in `parent`, named as [`super::temporary`] says: a
/// folder a build fills before renaming it into place (an interrupted
/// build leaves it, and the next removes it with its contents).
///
/// Errors: the folder cannot be created.
pub fn new_staged_folder(parent: &Utf8Path) -> io::Result<Utf8PathBuf> {
    let path = parent.join(temporary::new_name());
    fs::create_dir(&path)?;
    Ok(path)
}

/// Makes a rename or deletion in `folder` durable; not every platform can
/// sync a folder, so a failure is ignored.
pub fn sync_folder(folder: &Utf8Path) {
    if let Ok(dir) = File::open(folder) {
        let _ = dir.sync_all();
    }
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
pub fn chmod(path: &Utf8Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
}

/// Sets the permission bits of an existing file (contents unchanged).
#[cfg(not(unix))]
pub fn chmod(_path: &Utf8Path, _mode: u32) -> io::Result<()> {
    Ok(())
}

/// Atomically replaces an existing file (following links to the real file),
/// keeping its permission bits. For `stackc fmt`, which rewrites specs.
///
/// Errors: the file cannot be read or written, or its real path is not UTF-8.
pub fn replace_file(path: &Utf8Path, contents: &str) -> io::Result<()> {
    let real = path.canonicalize_utf8()?;
    let metadata = fs::metadata(&real)?;
    let folder = real
        .parent()
        .ok_or_else(|| io::Error::other("the file has no parent folder"))?;
    let name = real
        .file_name()
        .ok_or_else(|| io::Error::other("the path does not name a file"))?;
    write_atomic(
        folder,
        name,
        contents.as_bytes(),
        mode_of(&metadata),
        Rename::Durable,
    )
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

/// The names of stackc's temporary files and staged folders in `folder`
/// (regular files and real folders only, never links), sorted: leftovers
/// of a process killed between creating one and renaming it. A missing
/// folder has none.
pub fn find_leftovers(folder: &Utf8Path) -> io::Result<Vec<String>> {
    let entries = match fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(error),
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry?;
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            continue;
        };
        if temporary::is_temporary(&name) {
            let kind = entry.file_type()?;
            if kind.is_file() || kind.is_dir() {
                names.push(name);
            }
        }
    }
    names.sort();
    Ok(names)
}

/// Removes a leftover [`find_leftovers`] found: a temporary file, or a
/// staged folder with everything in it.
///
/// Errors: it cannot be removed.
pub fn remove_leftover(path: &Utf8Path) -> io::Result<()> {
    if fs::symlink_metadata(path)?.is_dir() {
        fs::remove_dir_all(path)
    } else {
        fs::remove_file(path)
    }
}

#[cfg(test)]
mod tests {
    use camino::Utf8PathBuf;

    use super::*;

    fn temp_dir() -> (tempfile::TempDir, Utf8PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = Utf8PathBuf::from_path_buf(dir.path().to_path_buf()).unwrap();
        (dir, path)
    }

    fn names(dir: &Utf8Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn writes_replaces_and_cleans_up() {
        let (_guard, dir) = temp_dir();
        write_atomic(&dir, "a", b"one", 0o644, Rename::Durable).unwrap();
        write_atomic(&dir, "a", b"two", 0o755, Rename::Durable).unwrap();
        assert_eq!(fs::read(dir.join("a")).unwrap(), b"two");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.join("a")).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o755);
        }
        assert_eq!(names(&dir), ["a"], "no temporary file is left");
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary() {
        let (_guard, dir) = temp_dir();
        write_atomic(&dir, "a", b"old contents", 0o644, Rename::Durable).unwrap();
        faults::inject(0, Fault::DiskFull);
        let error = write_atomic(&dir, "a", b"new contents", 0o644, Rename::Durable).unwrap_err();
        faults::clear();
        assert!(error.to_string().contains("injected"));
        assert_eq!(fs::read(dir.join("a")).unwrap(), b"old contents");
        assert_eq!(names(&dir), ["a"]);
    }

    #[test]
    fn a_crash_leaves_the_old_file_and_a_recognisable_temporary() {
        let (_guard, dir) = temp_dir();
        write_atomic(&dir, "a", b"old contents", 0o644, Rename::Durable).unwrap();
        faults::inject(0, Fault::Crash);
        write_atomic(&dir, "a", b"new contents", 0o644, Rename::Durable).unwrap_err();
        faults::clear();
        assert_eq!(fs::read(dir.join("a")).unwrap(), b"old contents");
        let leftovers = find_leftovers(&dir).unwrap();
        assert_eq!(leftovers.len(), 1);
        assert_eq!(fs::read(dir.join(&leftovers[0])).unwrap(), b"new co");
    }

    #[test]
    fn only_stackcs_own_temporaries_and_staged_folders_are_leftovers() {
        let (_guard, dir) = temp_dir();
        let ours = temporary::new_name();
        fs::write(dir.join(&ours), "half").unwrap();
        fs::write(dir.join(".stackc-tmp-99-1"), "mine").unwrap();
        fs::write(dir.join(".stackc-tmp-notes"), "mine").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("elsewhere", dir.join(temporary::new_name())).unwrap();
        let staged = temporary::new_name();
        fs::create_dir(dir.join(&staged)).unwrap();
        fs::write(dir.join(&staged).join("api.yml"), "half").unwrap();
        let mut expected = vec![ours, staged.clone()];
        expected.sort();
        assert_eq!(find_leftovers(&dir).unwrap(), expected);
        remove_leftover(&dir.join(&staged)).unwrap();
        assert!(!dir.join(&staged).exists(), "a staged folder goes whole");
        assert!(find_leftovers(&dir.join("missing")).unwrap().is_empty());
    }

    #[test]
    fn replace_file_keeps_the_mode() {
        let (_guard, dir) = temp_dir();
        let path = dir.join("Stackfile");
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
