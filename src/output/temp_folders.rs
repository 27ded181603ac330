//! The folders where an interrupted build may have left temporary files:
//! the output folder and every folder of a file this build generates or the
//! manifest lists (a build writes files only after listing them), and the
//! repository root with its folders when repository-root files are involved.

use std::collections::BTreeSet;

use camino::Utf8PathBuf;

use super::disk_entry::DiskEntry;
use super::generated_tree::GeneratedTree;
use super::manifest::Manifest;
use super::{ArtifactPath, GeneratedPath, Root, Roots};

/// Those folders that exist as real folders (never through a link, apart
/// from the roots themselves), parents first.
pub fn temp_folders(
    tree: &GeneratedTree<'_>,
    previous: &Manifest,
    roots: &Roots,
) -> Vec<Utf8PathBuf> {
    // `(root, None)` is the root itself; it sorts before its folders, and a
    // folder sorts before the folders inside it.
    let mut candidates: BTreeSet<(Root, Option<ArtifactPath>)> = BTreeSet::new();
    candidates.insert((Root::Output, None));
    let paths = tree
        .entries()
        .iter()
        .map(|entry| &entry.path)
        .chain(previous.paths.iter());
    for path in paths {
        candidates.insert((path.root, None));
        candidates.extend(
            path.ancestors()
                .into_iter()
                .map(|folder| (folder.root, Some(folder.path))),
        );
    }
    let mut real: BTreeSet<(Root, Option<ArtifactPath>)> = BTreeSet::new();
    let mut folders = Vec::new();
    for (root, folder) in candidates {
        let full = match &folder {
            // A root may be a link: that is the user's choice.
            None => roots.folder(root).to_path_buf(),
            Some(inner) => {
                if !real.contains(&(root, inner.parent())) {
                    continue;
                }
                let full = roots.full(&GeneratedPath::new(root, inner.clone()));
                if !matches!(DiskEntry::inspect(&full), Ok(DiskEntry::Folder)) {
                    continue;
                }
                full
            }
        };
        real.insert((root, folder));
        folders.push(full);
    }
    folders
}
