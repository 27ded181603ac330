//! Executes a [`Plan`]: the only code that changes the output roots.
//!
//! Order matters for what a crash leaves behind:
//! 1. nothing is written while anything stands in the way;
//! 2. temporary files of an earlier, interrupted build are removed;
//! 3. before any other change, the manifest is made to list every file of
//!    the previous build and of this one (written whenever the manifest on
//!    disk does not list exactly those, including on a first build), so a
//!    file written in step 5 is always one the next build recognises;
//! 4. files no longer generated are deleted (they may hold a new file's
//!    place), and the folders they leave empty are removed;
//! 5. files are compared with the disk as they render and, where they
//!    differ, rendered again into a temporary file beside their target
//!    (written through a buffer, closed); several threads do this, each
//!    taking the next file in path order, until the files staged make a
//!    full [`Batch`] (up to 1 GiB: usually the whole build); the batch's
//!    data is synced at once (one `syncfs`), then its files are renamed
//!    over their targets in path order, on one thread; unchanged files are
//!    not touched, so their modification time stays. A folder that does
//!    not exist yet is not created under its name: it is *staged*, created
//!    under a temporary name, and its files (and folders) are written
//!    straight into it under their own names, one directory operation per
//!    file as `cp` makes, instead of a temporary and a rename;
//! 6. every staged folder, its files synced, is renamed into place;
//! 7. the manifest is narrowed to exactly this build's files.
//!
//! Killed anywhere, the disk holds only files the manifest lists (each old
//! or new) and stackc's own temporaries and staged folders, so the next
//! build, whatever the specs say then, ends with exactly the files they
//! produce.

use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use camino::{Utf8Path, Utf8PathBuf};

use super::atomic_file::{
    chmod, find_leftovers, new_staged_folder, remove_leftover, sync_folder, write_atomic, Batch,
    Placement, Rename, StagedFile,
};
use super::build_record::BuildRecord;
use super::disk_entry::DiskEntry;
use super::faults;
use super::file_stamp::FileStamp;
use super::generated_tree::{Entry, GeneratedTree};
use super::manifest::Manifest;
use super::plan::{Action, ManifestPolicy, Plan};
use super::temp_folders::temp_folders;
use super::temporary::is_temporary;
use super::{Artifact, Conflict, ConflictKind, FileMode, GeneratedPath, OutputError, Roots};

/// What a build did, for the one-line summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files that did not exist before.
    pub created: Vec<GeneratedPath>,
    /// Files whose contents or executable bit changed.
    pub updated: Vec<GeneratedPath>,
    /// Files no longer generated, deleted.
    pub deleted: Vec<GeneratedPath>,
    /// Files already as they should be.
    pub unchanged: usize,
}

impl fmt::Display for WriteReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} created, {} updated, {} deleted, {} unchanged",
            self.created.len(),
            self.updated.len(),
            self.deleted.len(),
            self.unchanged
        )
    }
}

/// Writes every artifact into its root, safely (see the module docs); the
/// output folder is created when missing. Peak memory: the paths, plus,
/// per thread, one file's render in flight (the pieces of a streamed
/// artifact, the whole string of another) and buffers of 64 KiB.
///
/// Errors: an invalid artifact path (a bug), files in the way (nothing is
/// written), an unreadable manifest, or a failed file operation.
pub fn write_all(artifacts: &[Artifact<'_>], roots: &Roots) -> Result<WriteReport, OutputError> {
    write_tracked(artifacts, roots, None)
}

/// [`write_all`], skipping the work when `record` proves the files up to
/// date (the same inputs built them and none was touched since: nothing
/// is rendered, compared or written; every file counts as unchanged), and
/// recording this build's inputs and file stamps when it completes (see
/// `build_record.rs`). With `None`, exactly [`write_all`].
///
/// Errors: as [`write_all`].
pub fn write_tracked(
    artifacts: &[Artifact<'_>],
    roots: &Roots,
    record: Option<&BuildRecord>,
) -> Result<WriteReport, OutputError> {
    write_on(artifacts, roots, record, workers(artifacts.len()))
}

/// [`write_tracked`], rendering and staging on `workers` threads. What it
/// writes, and in which order it renames, does not depend on `workers`.
fn write_on(
    artifacts: &[Artifact<'_>],
    roots: &Roots,
    record: Option<&BuildRecord>,
    workers: usize,
) -> Result<WriteReport, OutputError> {
    let tree = GeneratedTree::new(artifacts, roots)?;
    if let Some(record) = record {
        if record.proves_up_to_date(&tree, roots) {
            // The files are this build's; temporaries another build left
            // beside them (killed while this one completed) still go, or
            // `build --check` would report them for ever.
            Disk { roots }.remove_leftovers(&tree, tree.manifest())?;
            return Ok(WriteReport {
                unchanged: tree.entries().len(),
                ..WriteReport::default()
            });
        }
        // Before any change: an interrupted build leaves no record.
        record.forget();
    }
    let plan = Plan::survey(&tree, roots, ManifestPolicy::Strict)?;
    if !plan.conflicts.is_empty() {
        return Err(OutputError::Conflicts {
            roots: Box::new(roots.clone()),
            manifest_missing: plan.manifest_missing(),
            conflicts: plan.conflicts,
        });
    }
    let disk = Disk { roots };
    disk.create_output_folder()?;
    disk.remove_leftovers(&tree, &plan.previous)?;
    disk.widen_manifest(&tree, &plan)?;

    let mut report = WriteReport::default();
    for path in &plan.deletes {
        disk.delete(path)?;
        report.deleted.push(path.clone());
    }
    disk.prune(&plan.prune)?;

    // Step 5, a window of files at a time (one batch: a sync, then the
    // renames); the manifest goes last (step 6).
    let manifest = Manifest::path();
    let mut last = None;
    let mut work = Vec::with_capacity(tree.entries().len());
    for (index, (entry, &action)) in tree.entries().iter().zip(&plan.actions).enumerate() {
        match action {
            Action::Blocked => {}
            _ if entry.path == manifest => last = Some((index, entry, action)),
            _ => work.push((index, entry, action)),
        }
    }
    let mut stamps = vec![None; tree.entries().len()];
    let folders = Mutex::new(Folders::default());
    let mut done = 0;
    while let Some(rest) = work.get(done..).filter(|rest| !rest.is_empty()) {
        let window = disk.sync_window(rest, &folders, workers)?;
        done += window.len();
        let mut batch = Staged::default();
        for ((index, entry, action), synced) in window {
            let outcome = batch.take(index, synced, &mut stamps);
            report.count(&entry.path, action, outcome);
        }
        batch.commit(&mut stamps)?;
    }
    // Step 6: every file is written and synced.
    let staged = std::mem::take(
        &mut folders
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .staged,
    );
    disk.rename_staged(staged)?;
    if let Some((index, entry, action)) = last {
        // Every file is in place before the manifest narrows.
        let mut batch = Staged::default();
        let outcome = batch.take(index, disk.sync(entry, &folders)?, &mut stamps);
        batch.commit(&mut stamps)?;
        report.count(&entry.path, action, outcome);
    }
    if let Some(record) = record {
        record.remember(&tree, &stamps);
    }
    Ok(report)
}

/// A file to sync: its index in the tree, its entry, its planned action.
type Work<'t, 'a> = (usize, &'t Entry<'a>, Action);

/// The files staged and not yet renamed, and their entries' indices.
#[derive(Default)]
struct Staged {
    files: Batch,
    /// The entries' indices, in the batch's order, and whether the file is
    /// renamed into place by the commit (else it waits in a staged folder).
    waiting: Vec<(usize, bool)>,
}

impl Staged {
    /// Takes what syncing the entry at `index` did: its stamp now, or the
    /// file staged (stamped when the batch commits).
    fn take(&mut self, index: usize, synced: Synced, stamps: &mut [Option<FileStamp>]) -> Outcome {
        let (outcome, stamp) = match synced {
            Synced::Unchanged(stamp) => (Outcome::Unchanged, stamp),
            Synced::Written(stamp) => (Outcome::Changed, stamp),
            Synced::Staged(file) => {
                let placement = file.placement();
                self.files.add(file);
                let renamed = matches!(placement, Placement::Renamed);
                self.waiting.push((index, renamed));
                match placement {
                    // A file in a staged folder has its stamp already.
                    Placement::InNewFolder(stamp) => (Outcome::Changed, stamp),
                    Placement::Renamed => return Outcome::Changed,
                }
            }
        };
        if let Some(slot) = stamps.get_mut(index) {
            *slot = stamp;
        }
        outcome
    }

    /// Renames every staged file into place and stamps it (a file in a
    /// staged folder was stamped when written).
    fn commit(&mut self, stamps: &mut [Option<FileStamp>]) -> Result<(), OutputError> {
        let targets = self
            .files
            .commit()
            .map_err(|(target, error)| OutputError::io("write", target)(error))?;
        for ((index, renamed), target) in self.waiting.drain(..).zip(targets) {
            if !renamed {
                continue;
            }
            let stamp = FileStamp::of(&target).map_err(OutputError::io("read", target.clone()))?;
            if let Some(slot) = stamps.get_mut(index) {
                *slot = stamp;
            }
        }
        Ok(())
    }
}

/// How many threads render and stage the `files` of a build: the cores, at
/// most four; one in unit tests (whose injected faults count the changes
/// of one thread), and one for a tree of more than [`PARALLEL_FILES`].
fn workers(files: usize) -> usize {
    if cfg!(test) || files > PARALLEL_FILES {
        return 1;
    }
    std::thread::available_parallelism().map_or(1, |cores| cores.get().min(4))
}

/// The most files a build renders on several threads. A larger tree is
/// bound by the bytes it writes, not by rendering (deep 5,000: 34 s, of
/// which 8 s rendering), and there every thread rendering its own large
/// file at once kept another 50 MiB allocated (peak 226 MiB instead of
/// 174 MiB): one thread keeps the peak at the Model plus one render.
const PARALLEL_FILES: usize = 5_000;

impl WriteReport {
    /// Counts one generated file, by what its plan said and what syncing it did.
    fn count(&mut self, path: &GeneratedPath, action: Action, outcome: Outcome) {
        match (action, outcome) {
            (Action::Create, _) => self.created.push(path.clone()),
            (_, Outcome::Unchanged) => self.unchanged += 1,
            (_, Outcome::Changed) => self.updated.push(path.clone()),
        }
    }
}

/// What syncing one file did, with its stamp where it is known now.
enum Synced {
    /// Already as generated; its stamp before it was compared.
    Unchanged(Option<FileStamp>),
    /// Written in place (the manifest) or its mode set; its stamp after.
    Written(Option<FileStamp>),
    /// Staged, to be renamed into place when its batch commits.
    Staged(StagedFile),
}

/// What syncing one file did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Unchanged,
    /// Written, or its mode set.
    Changed,
}

/// Counts one change to the disk for the failure injection of the tests.
fn step() -> io::Result<()> {
    match faults::next() {
        Some(_) => Err(faults::injected()),
        None => Ok(()),
    }
}

/// The folders a build has made sure of (see [`Disk::ensure_folders`]).
#[derive(Default)]
struct Folders {
    /// Where each folder seen is on disk now.
    places: BTreeMap<GeneratedPath, Place>,
    /// Staged folders: (where it is filled, its final place), to be
    /// renamed into place once every file is written and synced.
    staged: Vec<(Utf8PathBuf, Utf8PathBuf)>,
}

/// Where a generated folder is on disk while a build writes into it.
#[derive(Debug, Clone)]
struct Place {
    /// The folder's path now: its own, or one inside a staged folder.
    now: Utf8PathBuf,
    /// True for a folder this build created (staged, or in a staged
    /// folder): nothing else can be in it.
    new: bool,
}

struct Disk<'a> {
    roots: &'a Roots,
}

impl Disk<'_> {
    fn create_output_folder(&self) -> Result<(), OutputError> {
        let out = self.roots.output();
        step()
            .and_then(|()| std::fs::create_dir_all(out))
            .map_err(OutputError::io("create", out.to_path_buf()))
    }

    fn write(&self, path: &GeneratedPath, bytes: &[u8], mode: FileMode) -> Result<(), OutputError> {
        let folder = self.folder_of(path);
        // Only the manifest's rename is made durable: it must list a file
        // before the file can survive a power loss. A generated file that
        // comes back old is rewritten by the next build (docs/performance.md,
        // "Durability").
        let rename = if *path == Manifest::path() {
            Rename::Durable
        } else {
            Rename::AtomicOnly
        };
        write_atomic(&folder, path.file_name(), bytes, mode.bits(), rename)
            .map_err(OutputError::io("write", self.roots.full(path)))
    }

    /// Makes the manifest list the previous build's files and this one's
    /// (step 3), unless it already does.
    fn widen_manifest(&self, tree: &GeneratedTree<'_>, plan: &Plan) -> Result<(), OutputError> {
        let widened = Manifest::new(
            plan.previous
                .paths
                .union(&tree.manifest().paths)
                .cloned()
                .collect(),
            tree.manifest().repository_root.clone(),
        );
        let text = widened.render();
        if plan
            .manifest_on_disk
            .as_deref()
            .is_some_and(|bytes| bytes == text.as_bytes())
        {
            return Ok(());
        }
        self.write(&Manifest::path(), text.as_bytes(), FileMode::Regular)
    }

    fn delete(&self, path: &GeneratedPath) -> Result<(), OutputError> {
        let full = self.roots.full(path);
        match step().and_then(|()| std::fs::remove_file(&full)) {
            Err(error) if error.kind() != io::ErrorKind::NotFound => {
                Err(OutputError::io("delete", full)(error))
            }
            _ => Ok(()),
        }
    }

    /// Removes the folders of deleted files that are now empty, deepest
    /// first. A folder that still holds anything stays (removing a
    /// non-empty folder fails).
    fn prune(&self, folders: &[GeneratedPath]) -> Result<(), OutputError> {
        for folder in folders {
            let full = self.roots.full(folder);
            step().map_err(OutputError::io("remove", full.clone()))?;
            let _ = std::fs::remove_dir(&full);
        }
        Ok(())
    }

    /// Removes stackc's temporary files left by an interrupted build (step 2)
    /// in the folders of `tree` and of the `previous` build's manifest.
    fn remove_leftovers(
        &self,
        tree: &GeneratedTree<'_>,
        previous: &Manifest,
    ) -> Result<(), OutputError> {
        for folder in temp_folders(tree, previous, self.roots) {
            let names =
                find_leftovers(&folder).map_err(OutputError::io("clean", folder.clone()))?;
            for name in &names {
                let full = folder.join(name);
                step()
                    .and_then(|()| remove_leftover(&full))
                    .map_err(OutputError::io("delete", full))?;
            }
            if !names.is_empty() {
                sync_folder(&folder);
            }
        }
        Ok(())
    }

    /// Syncs the files of `work` (entry index, entry) from its start, on
    /// `workers` threads, until they are all done or have staged a full
    /// [`Batch`]; what each did, in `work`'s order. The files done are
    /// always a prefix of `work`.
    ///
    /// Errors: the first file's (in `work`'s order) that failed; the
    /// files staged in the window are then removed, none renamed.
    fn sync_window<'t, 'a>(
        &self,
        work: &[Work<'t, 'a>],
        folders: &Mutex<Folders>,
        workers: usize,
    ) -> Result<Vec<(Work<'t, 'a>, Synced)>, OutputError> {
        let claimed = AtomicUsize::new(0);
        let staged_files = AtomicUsize::new(0);
        let staged_bytes = AtomicU64::new(0);
        let failed = AtomicBool::new(false);
        let run = || {
            let mut done = Vec::new();
            while !failed.load(Ordering::Relaxed)
                && !Batch::is_full_at(
                    staged_files.load(Ordering::Relaxed),
                    staged_bytes.load(Ordering::Relaxed),
                )
            {
                let at = claimed.fetch_add(1, Ordering::Relaxed);
                let Some(&item) = work.get(at) else {
                    break;
                };
                let result = self.sync(item.1, folders);
                match &result {
                    Ok(Synced::Staged(file)) => {
                        staged_files.fetch_add(1, Ordering::Relaxed);
                        staged_bytes.fetch_add(file.bytes(), Ordering::Relaxed);
                    }
                    Ok(_) => {}
                    Err(_) => failed.store(true, Ordering::Relaxed),
                }
                done.push((at, item, result));
            }
            done
        };
        let mut done = if workers <= 1 {
            run()
        } else {
            std::thread::scope(|scope| {
                let helpers: Vec<_> = (1..workers).map(|_| scope.spawn(run)).collect();
                let mut done = run();
                for helper in helpers {
                    match helper.join() {
                        Ok(more) => done.extend(more),
                        Err(panic) => std::panic::resume_unwind(panic),
                    }
                }
                done
            })
        };
        done.sort_unstable_by_key(|&(at, _, _)| at);
        done.into_iter()
            .map(|(_, item, result)| result.map(|synced| (item, synced)))
            .collect()
    }

    /// Brings one file to its generated contents and mode, writing only
    /// what differs, compared as it renders; with the file's stamp as it
    /// now is (taken before reading an unchanged file, so a later edit is
    /// never recorded as stackc's).
    /// A file to write is staged (its stamp comes when its batch commits),
    /// except the manifest, written at once and durably.
    fn sync(&self, entry: &Entry<'_>, folders: &Mutex<Folders>) -> Result<Synced, OutputError> {
        let path = &entry.path;
        let full = self.roots.full(path);
        let place = self.ensure_folders(path, folders)?;
        if place.new {
            let staged = StagedFile::in_new_folder(
                &place.now,
                path.file_name(),
                full.clone(),
                entry.mode.bits(),
                &mut |out| entry.render_to(out),
            )
            .map_err(OutputError::io("write", full))?;
            return Ok(Synced::Staged(staged));
        }
        let stamp_now = || FileStamp::of(&full).map_err(OutputError::io("read", full.clone()));
        let (on_disk, before) =
            DiskEntry::inspect_stamped(&full).map_err(OutputError::io("read", full.clone()))?;
        match on_disk {
            DiskEntry::Absent => {}
            DiskEntry::File { executable } => {
                let held = entry
                    .is_held_at(&full)
                    .map_err(OutputError::io("read", full.clone()))?;
                if held {
                    if executable == entry.mode.is_executable() {
                        return Ok(Synced::Unchanged(before));
                    }
                    step()
                        .and_then(|()| chmod(&full, entry.mode.bits()))
                        .map_err(OutputError::io("set the mode of", full.clone()))?;
                    return Ok(Synced::Written(stamp_now()?));
                }
            }
            // An empty folder gives way (the plan allowed it); one that
            // holds anything now changed since the survey: refuse.
            DiskEntry::Folder => {
                if !self.give_way(&full)? {
                    return Err(self.in_the_way(path, ConflictKind::Folder));
                }
            }
            DiskEntry::Symlink => return Err(self.in_the_way(path, ConflictKind::Symlink)),
            DiskEntry::Special => return Err(self.in_the_way(path, ConflictKind::Special)),
        }
        if *path == Manifest::path() {
            self.write(path, entry.render().as_bytes(), entry.mode)?;
            return Ok(Synced::Written(stamp_now()?));
        }
        let staged = StagedFile::new(
            &place.now,
            path.file_name(),
            entry.mode.bits(),
            &mut |out| entry.render_to(out),
        )
        .map_err(OutputError::io("write", full))?;
        Ok(Synced::Staged(staged))
    }

    /// The folder `path` sits in.
    fn folder_of(&self, path: &GeneratedPath) -> camino::Utf8PathBuf {
        path.parent().map_or_else(
            || self.roots.folder(path.root).to_path_buf(),
            |folder| self.roots.full(&folder),
        )
    }

    /// Removes the folder `full` if it holds nothing but empty folders and
    /// stackc's own temporary files; true when it is gone. Never removes
    /// anything else: a folder that holds another file stays.
    fn give_way(&self, full: &Utf8Path) -> Result<bool, OutputError> {
        let entries =
            std::fs::read_dir(full).map_err(OutputError::io("read", full.to_path_buf()))?;
        for entry in entries {
            let entry = entry.map_err(OutputError::io("read", full.to_path_buf()))?;
            let Some(name) = entry.file_name().to_str().map(str::to_string) else {
                return Ok(false);
            };
            let child = full.join(&name);
            let gone = match DiskEntry::inspect(&child) {
                Ok(DiskEntry::Folder | DiskEntry::File { .. }) if is_temporary(&name) => {
                    step()
                        .and_then(|()| remove_leftover(&child))
                        .map_err(OutputError::io("delete", child.clone()))?;
                    true
                }
                Ok(DiskEntry::Folder) => self.give_way(&child)?,
                _ => false,
            };
            if !gone {
                return Ok(false);
            }
        }
        step()
            .and_then(|()| std::fs::remove_dir(full))
            .map_err(OutputError::io("remove", full.to_path_buf()))?;
        Ok(true)
    }

    fn in_the_way(&self, path: &GeneratedPath, kind: ConflictKind) -> OutputError {
        OutputError::Conflicts {
            roots: Box::new(self.roots.clone()),
            conflicts: vec![Conflict {
                path: path.clone(),
                kind,
            }],
            manifest_missing: false,
        }
    }

    /// Makes sure of the folders leading to `path`, one at a time,
    /// refusing any link or file met on the way (the plan checked; this
    /// closes the gap between looking and writing); where the file's folder
    /// is now. A folder is looked at once per build, for the first file
    /// written into it (`folders` holds those seen, behind one lock, so two
    /// threads never stage the same folder). A missing folder is staged
    /// (see the module docs), and the folders inside it are created there.
    fn ensure_folders(
        &self,
        path: &GeneratedPath,
        folders: &Mutex<Folders>,
    ) -> Result<Place, OutputError> {
        let mut folders = folders.lock().unwrap_or_else(PoisonError::into_inner);
        let mut place = Place {
            now: self.roots.folder(path.root).to_path_buf(),
            new: false,
        };
        for folder in path.ancestors() {
            if let Some(known) = folders.places.get(&folder) {
                place = known.clone();
                continue;
            }
            let name = folder.file_name();
            place = if place.new {
                let now = place.now.join(name);
                step()
                    .and_then(|()| std::fs::create_dir(&now))
                    .map_err(OutputError::io("create", now.clone()))?;
                Place { now, new: true }
            } else {
                let full = self.roots.full(&folder);
                let entry =
                    DiskEntry::inspect(&full).map_err(OutputError::io("read", full.clone()))?;
                match entry {
                    DiskEntry::Folder => Place {
                        now: full,
                        new: false,
                    },
                    DiskEntry::Absent => {
                        let now = step()
                            .and_then(|()| new_staged_folder(&place.now))
                            .map_err(OutputError::io("create", full.clone()))?;
                        folders.staged.push((now.clone(), full));
                        Place { now, new: true }
                    }
                    DiskEntry::Symlink => {
                        return Err(self.in_the_way(&folder, ConflictKind::Symlink))
                    }
                    DiskEntry::File { .. } => {
                        return Err(self.in_the_way(&folder, ConflictKind::NotAFolder))
                    }
                    DiskEntry::Special => {
                        return Err(self.in_the_way(&folder, ConflictKind::Special))
                    }
                }
            };
            folders.places.insert(folder, place.clone());
        }
        Ok(place)
    }

    /// Renames each staged folder into place (step 6), in path order. A
    /// folder that appeared at its place since the survey makes this fail
    /// (unless it is empty): the staged folder stays, a leftover the next
    /// build removes.
    ///
    /// Errors: a rename failed.
    fn rename_staged(
        &self,
        mut staged: Vec<(Utf8PathBuf, Utf8PathBuf)>,
    ) -> Result<(), OutputError> {
        staged.sort_by(|a, b| a.1.cmp(&b.1));
        for (now, target) in staged {
            step()
                .and_then(|()| std::fs::rename(&now, &target))
                .map_err(OutputError::io("write", target))?;
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "writer_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "recovery_tests.rs"]
mod recovery_tests;

#[cfg(test)]
#[path = "incremental_tests.rs"]
mod incremental_tests;
