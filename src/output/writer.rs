//! Executes a [`Plan`]: the only code that changes the output folder.
//!
//! Order matters for what a crash leaves behind:
//! 1. nothing is written while anything stands in the way;
//! 2. the manifest is first widened to list both the old and the new files,
//!    so a file written in step 4 is always one stackc will recognise;
//! 3. files no longer generated are deleted (they may hold a new file's place);
//! 4. changed and new files are written, each atomically; unchanged files are
//!    not touched, so their modification time stays;
//! 5. the manifest is narrowed to exactly the new files.

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

use super::atomic_file::{chmod, remove_leftovers, write_atomic};
use super::disk_entry::DiskEntry;
use super::manifest::Manifest;
use super::plan::{Change, ManifestPolicy, Plan};
use super::{ArtifactPath, Conflict, ConflictKind, GeneratedTree, OutputError};

/// What a build did, for the one-line summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteReport {
    pub created: Vec<ArtifactPath>,
    pub updated: Vec<ArtifactPath>,
    pub deleted: Vec<ArtifactPath>,
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

/// Writes `tree` into `out` (created if missing).
pub fn write_tree(tree: &GeneratedTree, out: &Path) -> Result<WriteReport, OutputError> {
    let plan = Plan::survey(tree, out, ManifestPolicy::Strict)?;
    if !plan.conflicts.is_empty() {
        return Err(OutputError::Conflicts {
            out: out.to_path_buf(),
            conflicts: plan.conflicts,
        });
    }
    std::fs::create_dir_all(out).map_err(OutputError::io("create", out.to_path_buf()))?;
    let writer = Writer { out };
    writer.remove_leftovers(tree, &plan)?;

    let manifest_path = Manifest::path();
    let final_manifest = tree.manifest();
    let widened = plan.previous.union(&final_manifest);
    if widened != plan.previous && widened != final_manifest {
        writer.write(&manifest_path, widened.render().as_bytes(), 0o644)?;
    }

    let mut report = WriteReport {
        unchanged: plan.unchanged.len(),
        ..WriteReport::default()
    };
    for path in &plan.deletes {
        writer.delete(path)?;
        report.deleted.push(path.clone());
    }
    writer.remove_empty_folders(&plan.deletes);

    // The manifest goes last (step 5).
    let (manifest_writes, file_writes): (Vec<_>, Vec<_>) = plan
        .writes
        .iter()
        .partition(|write| write.path == manifest_path);
    for write in file_writes.into_iter().chain(manifest_writes) {
        let Some(file) = tree.get(&write.path) else {
            continue;
        };
        writer.ensure_folders(&write.path)?;
        writer.write(&write.path, file.contents.as_bytes(), file.mode())?;
        match write.change {
            Change::Create => report.created.push(write.path.clone()),
            Change::Replace { .. } => report.updated.push(write.path.clone()),
        }
    }
    for path in &plan.modes {
        if let Some(file) = tree.get(path) {
            let full = path.under(out);
            chmod(&full, file.mode()).map_err(OutputError::io("set the mode of", full))?;
            report.updated.push(path.clone());
        }
    }
    Ok(report)
}

struct Writer<'a> {
    out: &'a Path,
}

impl Writer<'_> {
    fn write(&self, path: &ArtifactPath, bytes: &[u8], mode: u32) -> Result<(), OutputError> {
        let folder = path
            .parent()
            .map_or_else(|| self.out.to_path_buf(), |p| p.under(self.out));
        write_atomic(&folder, path.file_name(), bytes, mode)
            .map_err(OutputError::io("write", path.under(self.out)))
    }

    fn delete(&self, path: &ArtifactPath) -> Result<(), OutputError> {
        let full = path.under(self.out);
        match std::fs::remove_file(&full) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                Err(OutputError::io("delete", full)(error))
            }
            _ => Ok(()),
        }
    }

    /// Creates the folders leading to `path` one at a time, refusing any
    /// link or file met on the way (the plan checked; this closes the gap
    /// between looking and writing).
    fn ensure_folders(&self, path: &ArtifactPath) -> Result<(), OutputError> {
        for folder in path.ancestors() {
            let full = folder.under(self.out);
            let entry =
                DiskEntry::inspect(&full, false).map_err(OutputError::io("read", full.clone()))?;
            let kind = match entry {
                DiskEntry::Folder => continue,
                DiskEntry::Absent => {
                    match std::fs::create_dir(&full) {
                        Err(error) if error.kind() != std::io::ErrorKind::AlreadyExists => {
                            return Err(OutputError::io("create", full)(error));
                        }
                        _ => {}
                    }
                    if DiskEntry::inspect(&full, false).ok() == Some(DiskEntry::Folder) {
                        continue;
                    }
                    ConflictKind::NotAFolder
                }
                DiskEntry::Symlink => ConflictKind::Symlink,
                DiskEntry::File { .. } => ConflictKind::NotAFolder,
                DiskEntry::Special => ConflictKind::Special,
            };
            return Err(OutputError::Conflicts {
                out: self.out.to_path_buf(),
                conflicts: vec![Conflict { path: folder, kind }],
            });
        }
        Ok(())
    }

    /// Removes folders left empty by deletions, deepest first. A folder that
    /// still holds anything stays (removing a non-empty folder fails).
    fn remove_empty_folders(&self, deleted: &[ArtifactPath]) {
        let folders: BTreeSet<ArtifactPath> =
            deleted.iter().flat_map(ArtifactPath::ancestors).collect();
        for folder in folders.iter().rev() {
            let _ = std::fs::remove_dir(folder.under(self.out));
        }
    }

    /// Removes temporary files of an earlier, interrupted build from every
    /// folder this build uses.
    fn remove_leftovers(&self, tree: &GeneratedTree, plan: &Plan) -> Result<(), OutputError> {
        let mut folders: BTreeSet<Option<ArtifactPath>> = BTreeSet::new();
        folders.insert(None);
        for path in tree
            .files()
            .map(|(p, _)| p)
            .chain(plan.previous.paths.iter())
        {
            folders.extend(path.ancestors().into_iter().map(Some));
        }
        // Parents sort before their children, so a folder is looked at only
        // when every folder above it is known to be real, not a link.
        let mut real: BTreeSet<Option<ArtifactPath>> = BTreeSet::new();
        for folder in folders {
            if let Some(inner) = &folder {
                if !real.contains(&inner.parent()) {
                    continue;
                }
            }
            let full = folder
                .as_ref()
                .map_or_else(|| self.out.to_path_buf(), |f| f.under(self.out));
            // The output folder itself may be a link: that is the user's choice.
            let is_real = folder.is_none()
                || DiskEntry::inspect(&full, false).ok() == Some(DiskEntry::Folder);
            if is_real {
                remove_leftovers(&full).map_err(OutputError::io("clean", full))?;
                real.insert(folder);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "writer_tests.rs"]
mod tests;
