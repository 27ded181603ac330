//! Compares the files to generate with what is on disk, without writing:
//! what to create, replace, re-mode or delete, and what stands in the way.
//! `build` executes a plan; `build --check` reports one.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::disk_entry::{same_text, DiskEntry};
use super::manifest::Manifest;
use super::{ArtifactPath, Conflict, ConflictKind, GeneratedTree, OutputError};

/// How a manifest line that is not a path inside the folder is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManifestPolicy {
    /// Refuse to go on (before writing).
    Strict,
    /// Ignore the manifest's paths (when only reading, for `--check`).
    Lenient,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Nothing is there yet.
    Create,
    /// A generated file with other contents; `old` is what is on disk.
    Replace { old: Vec<u8> },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedWrite {
    pub path: ArtifactPath,
    pub change: Change,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// Files whose contents must be written, in path order.
    pub writes: Vec<PlannedWrite>,
    /// Files with the right contents but the wrong executable bit.
    pub modes: Vec<ArtifactPath>,
    /// Files the manifest lists that are no longer generated.
    pub deletes: Vec<ArtifactPath>,
    /// Files already as they should be.
    pub unchanged: Vec<ArtifactPath>,
    /// What stands in the way, sorted by path; a build refuses them all.
    pub conflicts: Vec<Conflict>,
    /// The contents of hand-written files in the way, for `--check` diffs.
    pub hand_written: BTreeMap<ArtifactPath, Vec<u8>>,
    /// The manifest found on disk (empty when there is none).
    pub previous: Manifest,
}

impl Plan {
    /// Looks at `out` and decides what writing `tree` there would do.
    pub fn survey(
        tree: &GeneratedTree,
        out: &Path,
        policy: ManifestPolicy,
    ) -> Result<Plan, OutputError> {
        let mut plan = Plan::default();
        match std::fs::metadata(out) {
            Ok(metadata) if metadata.is_dir() => {}
            Ok(_) => {
                return Err(OutputError::OutNotAFolder {
                    out: out.to_path_buf(),
                })
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                plan.writes = tree
                    .files()
                    .map(|(path, _)| PlannedWrite {
                        path: path.clone(),
                        change: Change::Create,
                    })
                    .collect();
                return Ok(plan);
            }
            Err(error) => return Err(OutputError::io("read", out.to_path_buf())(error)),
        }

        let mut survey = Survey {
            out,
            folders: BTreeMap::new(),
        };
        plan.previous = read_manifest(out, policy)?;

        // Stale files first: a generated file may now need their place.
        let mut deletes = BTreeSet::new();
        for path in &plan.previous.paths {
            if tree.contains(path) || !survey.ancestors_are_folders(path)? {
                continue;
            }
            // Only regular files are deleted; a link or folder the user put
            // there is theirs.
            if let DiskEntry::File { .. } = survey.inspect(path, false)? {
                deletes.insert(path.clone());
            }
        }

        let mut conflicts = BTreeMap::new();
        for (path, file) in tree.files() {
            let entry = match survey.way_to(path, &deletes)? {
                Way::Open => survey.inspect(path, true)?,
                Way::ToCreate => DiskEntry::Absent,
                Way::Blocked(conflict) => {
                    conflicts.insert(conflict.path.clone(), conflict);
                    continue;
                }
            };
            let kind = match entry {
                DiskEntry::Absent => {
                    plan.writes.push(PlannedWrite {
                        path: path.clone(),
                        change: Change::Create,
                    });
                    continue;
                }
                DiskEntry::File { bytes, executable } => {
                    if same_text(&bytes, &file.contents) {
                        if executable == file.executable {
                            plan.unchanged.push(path.clone());
                        } else {
                            plan.modes.push(path.clone());
                        }
                        continue;
                    }
                    // The manifest is stackc's by name: it is never listed in itself.
                    if plan.previous.contains(path) || *path == Manifest::path() {
                        plan.writes.push(PlannedWrite {
                            path: path.clone(),
                            change: Change::Replace { old: bytes },
                        });
                        continue;
                    }
                    plan.hand_written.insert(path.clone(), bytes);
                    ConflictKind::HandWritten
                }
                DiskEntry::Folder => {
                    if survey.holds_only(path, &deletes)? {
                        plan.writes.push(PlannedWrite {
                            path: path.clone(),
                            change: Change::Create,
                        });
                        continue;
                    }
                    ConflictKind::Folder
                }
                DiskEntry::Symlink => ConflictKind::Symlink,
                DiskEntry::Special => ConflictKind::Special,
            };
            conflicts.insert(
                path.clone(),
                Conflict {
                    path: path.clone(),
                    kind,
                },
            );
        }
        plan.deletes = deletes.into_iter().collect();
        plan.conflicts = conflicts.into_values().collect();
        Ok(plan)
    }
}

fn read_manifest(out: &Path, policy: ManifestPolicy) -> Result<Manifest, OutputError> {
    let path = Manifest::path().under(out);
    let DiskEntry::File { bytes, .. } =
        DiskEntry::inspect(&path, true).map_err(OutputError::io("read", path.clone()))?
    else {
        return Ok(Manifest::default());
    };
    let text = String::from_utf8_lossy(&bytes);
    match (Manifest::parse(&text), policy) {
        (Ok(manifest), _) => Ok(manifest),
        (Err(_), ManifestPolicy::Lenient) => Ok(Manifest::default()),
        (Err(error), ManifestPolicy::Strict) => Err(OutputError::BadManifest {
            manifest: path,
            line: error.line,
            text: error.text,
            reason: error.reason,
        }),
    }
}

/// What stands between the output folder and a generated file.
enum Way {
    /// Every folder exists: the file itself can be looked at.
    Open,
    /// A folder is missing or about to give way: the file will be created.
    ToCreate,
    Blocked(Conflict),
}

/// Looks at the disk under `out`, remembering what it saw of folders.
struct Survey<'a> {
    out: &'a Path,
    folders: BTreeMap<ArtifactPath, DiskEntry>,
}

impl Survey<'_> {
    fn inspect(&self, path: &ArtifactPath, read: bool) -> Result<DiskEntry, OutputError> {
        let full = path.under(self.out);
        DiskEntry::inspect(&full, read).map_err(OutputError::io("read", full))
    }

    fn folder_entry(&mut self, folder: &ArtifactPath) -> Result<DiskEntry, OutputError> {
        if let Some(entry) = self.folders.get(folder) {
            return Ok(entry.clone());
        }
        let entry = match self.inspect(folder, false)? {
            // Folders are remembered without contents.
            DiskEntry::File { executable, .. } => DiskEntry::File {
                bytes: Vec::new(),
                executable,
            },
            other => other,
        };
        self.folders.insert(folder.clone(), entry.clone());
        Ok(entry)
    }

    /// True when every folder leading to `path` is a real folder (not a
    /// link, not missing), so the path can be read and deleted safely.
    fn ancestors_are_folders(&mut self, path: &ArtifactPath) -> Result<bool, OutputError> {
        for folder in path.ancestors() {
            if self.folder_entry(&folder)? != DiskEntry::Folder {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Whether the folders leading to `path` exist, will be created, or are
    /// blocked by a link (never followed) or a file not about to be deleted.
    fn way_to(
        &mut self,
        path: &ArtifactPath,
        deletes: &BTreeSet<ArtifactPath>,
    ) -> Result<Way, OutputError> {
        for folder in path.ancestors() {
            let kind = match self.folder_entry(&folder)? {
                DiskEntry::Folder => continue,
                // Everything below is missing too, or will be.
                DiskEntry::Absent => return Ok(Way::ToCreate),
                DiskEntry::File { .. } if deletes.contains(&folder) => return Ok(Way::ToCreate),
                DiskEntry::File { .. } => ConflictKind::NotAFolder,
                DiskEntry::Symlink => ConflictKind::Symlink,
                DiskEntry::Special => ConflictKind::Special,
            };
            return Ok(Way::Blocked(Conflict { path: folder, kind }));
        }
        Ok(Way::Open)
    }

    /// True when the folder at `path` holds nothing but files about to be
    /// deleted (and folders of them), so it may give way to a file.
    fn holds_only(
        &self,
        path: &ArtifactPath,
        deletes: &BTreeSet<ArtifactPath>,
    ) -> Result<bool, OutputError> {
        let full = path.under(self.out);
        let entries = std::fs::read_dir(&full).map_err(OutputError::io("read", full.clone()))?;
        for entry in entries {
            let entry = entry.map_err(OutputError::io("read", full.clone()))?;
            let name = entry.file_name();
            let Some(child) = name
                .to_str()
                .and_then(|name| ArtifactPath::new(&format!("{path}/{name}")).ok())
            else {
                return Ok(false);
            };
            let ok = match self.inspect(&child, false)? {
                DiskEntry::File { .. } => deletes.contains(&child),
                DiskEntry::Folder => self.holds_only(&child, deletes)?,
                _ => false,
            };
            if !ok {
                return Ok(false);
            }
        }
        Ok(true)
    }
}
