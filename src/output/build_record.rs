//! The record of the last complete build into one output folder: the
//! digest of its inputs ([`super::BuildInputs`]) and the [`FileStamp`] of
//! every file it left, in the order of the generated tree. A build whose
//! inputs have the same digest, and whose files all still have their
//! stamps, would write exactly what is there: it renders nothing.
//!
//! The record is not a generated file: it holds inodes and times of this
//! machine, which would change the committed tree on every build. It lives
//! in the user's cache folder (see [`record_folder`]), one file per output
//! folder, named by a hash of the output folder's resolved path:
//!
//! ```text
//! stackc build record 1
//! inputs 3f0c…
//! 2047 1764472800.123456789 1764472800.123456789 131 2049 100644 compose/test/api.yml
//! …
//! end
//! ```
//!
//! A record that is missing, unreadable, truncated (no `end`) or of
//! another format just means a full build. A build removes the record
//! before its first change to the disk and writes it again only when it
//! completed, so an interrupted or failed build never leaves one.

use std::io::Write as _;

use camino::{Utf8Path, Utf8PathBuf};
use sha2::{Digest, Sha256};

use super::build_inputs::hex;
use super::file_stamp::FileStamp;
use super::generated_tree::GeneratedTree;
use super::{Root, Roots};

const HEADER: &str = "stackc build record 1";
const INPUTS: &str = "inputs ";
const END: &str = "end";

/// Where the record of builds into one output folder lives, and the digest
/// of this build's inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildRecord {
    /// The record file.
    pub file: Utf8PathBuf,
    /// This build's [`super::BuildInputs::digest`].
    pub inputs: String,
}

impl BuildRecord {
    /// The record for builds into `roots` with the inputs `inputs`, in
    /// `folder` (see [`record_folder`]).
    pub fn new(folder: &Utf8Path, roots: &Roots, inputs: String) -> BuildRecord {
        let output = Sha256::digest(roots.resolved(Root::Output).as_str().as_bytes());
        let name = hex(output.get(..16).unwrap_or_default());
        BuildRecord {
            file: folder.join("builds").join(name),
            inputs,
        }
    }

    /// True when the record says a build with these inputs left `tree`
    /// and every file of it is still as that build left it. Reads the
    /// record and stats each file; renders nothing.
    pub fn proves_up_to_date(&self, tree: &GeneratedTree<'_>, roots: &Roots) -> bool {
        let Ok(text) = std::fs::read_to_string(&self.file) else {
            return false;
        };
        let mut lines = text.lines();
        if lines.next() != Some(HEADER)
            || lines.next().and_then(|line| line.strip_prefix(INPUTS)) != Some(&self.inputs)
        {
            return false;
        }
        for entry in tree.entries() {
            let Some((stamp, path)) = lines.next().and_then(split_stamp) else {
                return false;
            };
            let recorded = match entry.path.root {
                Root::Output => Some(path),
                Root::Repository => path.strip_prefix('/'),
            };
            if recorded != Some(entry.path.path.as_str()) {
                return false;
            }
            match FileStamp::of(&roots.full(&entry.path)) {
                Ok(Some(now)) if now == stamp => {}
                _ => return false,
            }
        }
        lines.next() == Some(END) && lines.next().is_none()
    }

    /// Removes the record, before a build changes anything. Best effort:
    /// a record that cannot be removed is one the stamps will refute.
    pub fn forget(&self) {
        let _ = std::fs::remove_file(&self.file);
    }

    /// Records that a build with these inputs left `tree` with `stamps`
    /// (one per entry, in order). Best effort: nothing is recorded when a
    /// file has no stamp or the cache folder cannot be written.
    pub fn remember(&self, tree: &GeneratedTree<'_>, stamps: &[Option<FileStamp>]) {
        if stamps.len() != tree.entries().len() {
            return;
        }
        let mut text = format!("{HEADER}\n{INPUTS}{}\n", self.inputs);
        for (entry, stamp) in tree.entries().iter().zip(stamps) {
            let Some(stamp) = stamp else {
                return;
            };
            text.push_str(&stamp.render());
            text.push(' ');
            text.push_str(&entry.path.to_string());
            text.push('\n');
        }
        text.push_str(END);
        text.push('\n');
        let _ = self.store(&text);
    }

    /// Writes the record atomically (a lost record is only a full build,
    /// so it is not synced).
    fn store(&self, text: &str) -> std::io::Result<()> {
        let folder = self
            .file
            .parent()
            .ok_or_else(|| std::io::Error::other("no folder"))?;
        std::fs::create_dir_all(folder)?;
        let mut temp = tempfile::NamedTempFile::new_in(folder)?;
        temp.write_all(text.as_bytes())?;
        temp.persist(&self.file).map_err(|error| error.error)?;
        Ok(())
    }
}

/// A record line: its stamp (six fields) and the path (the rest).
fn split_stamp(line: &str) -> Option<(FileStamp, &str)> {
    let mut end = 0;
    for field in 0..6 {
        let start = if field == 0 { 0 } else { end + 1 };
        end = start + line.get(start..)?.find(' ')?;
    }
    let stamp = FileStamp::parse(line.get(..end)?)?;
    Some((stamp, line.get(end + 1..)?))
}

/// The folder for build records: `$STACKC_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/stackc`, else `$HOME/.cache/stackc`; `None` (no
/// builds skipped) when none is set, or `STACKC_CACHE_DIR` is empty.
pub fn record_folder() -> Option<Utf8PathBuf> {
    let var = |name: &str| std::env::var(name).ok();
    if let Some(folder) = var("STACKC_CACHE_DIR") {
        return (!folder.is_empty()).then(|| Utf8PathBuf::from(folder));
    }
    if let Some(cache) = var("XDG_CACHE_HOME").filter(|folder| !folder.is_empty()) {
        return Some(Utf8PathBuf::from(cache).join("stackc"));
    }
    var("HOME")
        .filter(|home| !home.is_empty())
        .map(|home| Utf8PathBuf::from(home).join(".cache").join("stackc"))
}
