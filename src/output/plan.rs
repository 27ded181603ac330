//! Compares the files to generate with what is on disk, without writing:
//! what to create or compare, what to delete, and what stands in the way.
//! `build` executes a plan; `build --check` reports one.
//!
//! The survey holds paths and file kinds, never contents: a file the
//! manifest lists is compared when it is written. Only an unlisted file in
//! the way is rendered here (streamed alongside the file on disk), to learn
//! whether it already holds exactly what stackc would write (then it is
//! adopted) or is someone else's.

use std::collections::{BTreeMap, BTreeSet};

use camino::Utf8Path;

use super::disk_entry::DiskEntry;
use super::generated_tree::{Entry, GeneratedTree};
use super::manifest::Manifest;
use super::{ArtifactPath, Conflict, ConflictKind, GeneratedPath, OutputError, Root, Roots};

/// How a manifest line that is not a path inside its root is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManifestPolicy {
    /// Refuse to go on (before writing).
    Strict,
    /// Ignore the manifest's paths (when only reading, for `--check`).
    Lenient,
}

/// What a build does with one generated file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Nothing is there yet (or a folder of stale files that gives way).
    Create,
    /// A file stackc owns: listed in the manifest, or unlisted with exactly
    /// the contents stackc would write. Compared (and written if it
    /// differs) one file at a time.
    Update,
    /// Something stands in the way: see [`Plan::conflicts`].
    Blocked,
}

/// What writing a [`GeneratedTree`] would do.
#[derive(Debug, Default)]
pub struct Plan {
    /// One per entry of the tree, in the same order.
    pub actions: Vec<Action>,
    /// Files the manifest lists that are no longer generated, sorted.
    pub deletes: Vec<GeneratedPath>,
    /// Folders of files no longer generated, deepest first: removed when
    /// they end up empty.
    pub prune: Vec<GeneratedPath>,
    /// What stands in the way, sorted by path; a build refuses them all.
    pub conflicts: Vec<Conflict>,
    /// The manifest on disk, less the repository-root files recorded for
    /// another repository root (those are left alone).
    pub previous: Manifest,
    /// The manifest file's bytes, when there is one.
    pub manifest_on_disk: Option<Vec<u8>>,
    /// The output folder exists but holds no manifest (a first build into
    /// a folder of other files, or a lost manifest).
    pub manifest_lost: bool,
}

impl Plan {
    /// Looks at the roots and decides what writing `tree` there would do.
    pub fn survey(
        tree: &GeneratedTree<'_>,
        roots: &Roots,
        policy: ManifestPolicy,
    ) -> Result<Plan, OutputError> {
        let mut survey = Survey {
            roots,
            folders: BTreeMap::new(),
            exists: BTreeMap::new(),
        };
        let mut plan = Plan::default();
        if survey.root_exists(Root::Output)? {
            let (manifest, bytes) = read_manifest(roots, policy)?;
            plan.previous = effective(manifest, roots);
            plan.manifest_lost = bytes.is_none();
            plan.manifest_on_disk = bytes;
        }

        // Stale files first: a generated file may now need their place.
        let mut deletes = BTreeSet::new();
        let mut prune = BTreeSet::new();
        for path in &plan.previous.paths {
            if tree.contains(path) || !survey.root_exists(path.root)? {
                continue;
            }
            let folders = survey.real_folders_to(path)?;
            let all_real = folders.len() == path.ancestors().len();
            prune.extend(folders);
            // Only regular files are deleted, and only through real folders;
            // a link or folder the user put there is theirs.
            if all_real && matches!(survey.inspect(path)?, DiskEntry::File { .. }) {
                deletes.insert(path.clone());
            }
        }

        let mut conflicts = BTreeMap::new();
        for entry in tree.entries() {
            let action = match survey.action(entry, &plan.previous, &deletes)? {
                Ok(action) => action,
                Err(conflict) => {
                    conflicts.insert(conflict.path.clone(), conflict);
                    Action::Blocked
                }
            };
            plan.actions.push(action);
        }
        plan.deletes = deletes.into_iter().collect();
        plan.prune = prune.into_iter().rev().collect();
        plan.conflicts = conflicts.into_values().collect();
        Ok(plan)
    }
}

impl Plan {
    /// True when files the manifest does not list are in the way and there
    /// is no manifest at all: stackc cannot tell whose they are.
    pub fn manifest_missing(&self) -> bool {
        self.manifest_lost && self.conflicts.iter().any(|c| c.kind.is_unlisted())
    }
}

/// The manifest on disk and its bytes; an empty manifest when there is none.
fn read_manifest(
    roots: &Roots,
    policy: ManifestPolicy,
) -> Result<(Manifest, Option<Vec<u8>>), OutputError> {
    let path = roots.full(&Manifest::path());
    let entry = DiskEntry::inspect(&path).map_err(OutputError::io("read", path.clone()))?;
    if !matches!(entry, DiskEntry::File { .. }) {
        return Ok((Manifest::default(), None));
    }
    let bytes = std::fs::read(&path).map_err(OutputError::io("read", path.clone()))?;
    let text = String::from_utf8_lossy(&bytes);
    let manifest = match (Manifest::parse(&text), policy) {
        (Ok(manifest), _) => manifest,
        (Err(_), ManifestPolicy::Lenient) => Manifest::default(),
        (Err(error), ManifestPolicy::Strict) => {
            return Err(OutputError::BadManifest {
                manifest: path,
                line: error.line,
                text: error.text,
                reason: error.reason,
            })
        }
    };
    Ok((manifest, Some(bytes)))
}

/// `manifest` without the repository-root files it recorded for another
/// repository root (or none), or at paths no longer allowed there: stackc
/// cannot know those are its files at the current root, so it neither
/// deletes nor replaces them.
fn effective(manifest: Manifest, roots: &Roots) -> Manifest {
    let current = roots.repository_from_output();
    let same_root = manifest.repository_root.as_deref() == Some(current.as_str());
    let paths = manifest
        .paths
        .into_iter()
        .filter(|path| {
            path.root == Root::Output
                || (same_root && roots.refuses_at_repository(&path.path).is_none())
        })
        .collect();
    Manifest::new(paths, Some(current))
}

/// What stands between a root and a generated file.
enum Way {
    /// Every folder exists: the file itself can be looked at.
    Open,
    /// A folder is missing or about to give way: the file will be created.
    ToCreate,
    Blocked(Conflict),
}

/// Looks at the disk, remembering what it saw of roots and folders.
struct Survey<'a> {
    roots: &'a Roots,
    folders: BTreeMap<GeneratedPath, DiskEntry>,
    exists: BTreeMap<Root, bool>,
}

impl Survey<'_> {
    fn inspect(&self, path: &GeneratedPath) -> Result<DiskEntry, OutputError> {
        let full = self.roots.full(path);
        DiskEntry::inspect(&full).map_err(OutputError::io("read", full))
    }

    /// Whether the root folder exists (it may be a link: the user's
    /// choice). A root that is a file is an error.
    fn root_exists(&mut self, root: Root) -> Result<bool, OutputError> {
        if let Some(exists) = self.exists.get(&root) {
            return Ok(*exists);
        }
        let folder = self.roots.folder(root);
        let exists = match std::fs::metadata(folder) {
            Ok(metadata) if metadata.is_dir() => true,
            Ok(_) => {
                return Err(OutputError::RootNotAFolder {
                    root,
                    folder: folder.to_path_buf(),
                })
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => false,
            Err(error) => return Err(OutputError::io("read", folder.to_path_buf())(error)),
        };
        self.exists.insert(root, exists);
        Ok(exists)
    }

    fn folder_entry(&mut self, folder: &GeneratedPath) -> Result<DiskEntry, OutputError> {
        if let Some(entry) = self.folders.get(folder) {
            return Ok(*entry);
        }
        let entry = self.inspect(folder)?;
        self.folders.insert(folder.clone(), entry);
        Ok(entry)
    }

    /// The folders leading to `path`, outermost first, up to the first that
    /// is not a real folder (a link, a file, missing): those that can be
    /// looked into safely. All of them when `path` itself can be.
    fn real_folders_to(&mut self, path: &GeneratedPath) -> Result<Vec<GeneratedPath>, OutputError> {
        let mut real = Vec::new();
        for folder in path.ancestors() {
            if self.folder_entry(&folder)? != DiskEntry::Folder {
                break;
            }
            real.push(folder);
        }
        Ok(real)
    }

    /// What to do with `entry`, or what is in its way.
    fn action(
        &mut self,
        entry: &Entry<'_>,
        previous: &Manifest,
        deletes: &BTreeSet<GeneratedPath>,
    ) -> Result<Result<Action, Conflict>, OutputError> {
        let path = &entry.path;
        if !self.root_exists(path.root)? {
            return Ok(Ok(Action::Create));
        }
        match self.way_to(path, deletes)? {
            Way::Open => {}
            Way::ToCreate => return Ok(Ok(Action::Create)),
            Way::Blocked(conflict) => return Ok(Err(conflict)),
        }
        let kind = match self.inspect(path)? {
            DiskEntry::Absent => return Ok(Ok(Action::Create)),
            // The manifest is stackc's by name: it is never listed in itself.
            DiskEntry::File { .. } if previous.contains(path) || *path == Manifest::path() => {
                return Ok(Ok(Action::Update))
            }
            DiskEntry::File { .. } if self.holds(entry)? => return Ok(Ok(Action::Update)),
            DiskEntry::File { .. } => ConflictKind::HandWritten,
            DiskEntry::Folder if self.holds_only(path, deletes)? => return Ok(Ok(Action::Create)),
            DiskEntry::Folder => ConflictKind::Folder,
            DiskEntry::Symlink => ConflictKind::Symlink,
            DiskEntry::Special => ConflictKind::Special,
        };
        Ok(Err(Conflict {
            path: path.clone(),
            kind,
        }))
    }

    /// True when the file at `entry`'s path holds exactly what stackc would
    /// write there (line endings compared by the entry's rule).
    fn holds(&self, entry: &Entry<'_>) -> Result<bool, OutputError> {
        let full = self.roots.full(&entry.path);
        entry
            .is_held_at(&full)
            .map_err(OutputError::io("read", full))
    }

    /// Whether the folders leading to `path` exist, will be created, or are
    /// blocked by a link (never followed) or a file not about to be deleted.
    fn way_to(
        &mut self,
        path: &GeneratedPath,
        deletes: &BTreeSet<GeneratedPath>,
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
    /// deleted, stackc's own temporary files, and folders of them, so it
    /// may give way to a file.
    fn holds_only(
        &self,
        path: &GeneratedPath,
        deletes: &BTreeSet<GeneratedPath>,
    ) -> Result<bool, OutputError> {
        let full = self.roots.full(path);
        let entries = std::fs::read_dir(&full).map_err(OutputError::io("read", full.clone()))?;
        for entry in entries {
            let entry = entry.map_err(OutputError::io("read", full.clone()))?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else {
                return Ok(false);
            };
            if super::temporary::is_temporary(name) && is_file(&full.join(name)) {
                continue;
            }
            let Ok(child) = ArtifactPath::new(&format!("{}/{name}", path.path)) else {
                return Ok(false);
            };
            let child = GeneratedPath::new(path.root, child);
            let ok = match self.inspect(&child)? {
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

fn is_file(path: &Utf8Path) -> bool {
    matches!(DiskEntry::inspect(path), Ok(DiskEntry::File { .. }))
}
