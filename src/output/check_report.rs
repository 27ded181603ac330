//! `stackc build --check`: how the files on disk differ from what the specs
//! produce. Each file is compared as it renders, alongside the file on disk
//! (memory holds neither); only a file that differs is then held whole,
//! rendered and as on disk, for its unified diff. Diffs are handed out one
//! file at a time as they are found; the lists follow.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use camino::Utf8PathBuf;
use similar::TextDiff;

use super::atomic_file::find_leftovers;
use super::build_record::BuildRecord;
use super::disk_entry::DiskEntry;
use super::generated_tree::{Entry, GeneratedTree};
use super::line_endings::same_text;
use super::manifest::Manifest;
use super::plan::{Action, ManifestPolicy, Plan};
use super::temp_folders::temp_folders;
use super::{Artifact, Conflict, ConflictKind, GeneratedPath, OutputError, Roots};

/// Everything that differs, by kind; empty lists when up to date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckReport {
    /// Files stackc owns whose contents differ (their diffs went to the
    /// caller).
    pub stale: Vec<GeneratedPath>,
    /// Files stackc owns that differ only in CRLF line endings where the
    /// file must be LF (see [`super::LineEndings`]).
    pub line_endings: Vec<GeneratedPath>,
    /// Right contents, wrong executable bit: `(path, should be executable)`.
    pub modes: Vec<(GeneratedPath, bool)>,
    /// Generated files not on disk (or an empty folder where one goes).
    pub missing: Vec<GeneratedPath>,
    /// Generated before, listed in the manifest, no longer generated.
    pub unexpected: Vec<GeneratedPath>,
    /// Everything `stackc build` would refuse to replace: files the
    /// manifest does not list (their diffs went to the caller too), links,
    /// folders and other things where a generated file goes.
    pub in_the_way: Vec<Conflict>,
    /// Files the manifest does not list are in the way and the output
    /// folder has no manifest at all.
    pub manifest_missing: bool,
    /// Temporary files and staged folders an interrupted build left
    /// (`stackc build` removes them), as paths to show.
    pub leftovers: Vec<Utf8PathBuf>,
    /// Files as they should be.
    pub up_to_date: usize,
}

/// Compares every artifact with what is on disk, writing nothing. Each
/// stale file's unified diff (`path (committed)` → `path (generated)`,
/// CRLF read as LF) is passed to `diffs` as soon as it is found, in path
/// order; the returned report lists everything (see [`CheckReport::render`]).
///
/// Errors: an invalid artifact path (a bug), a root that is a file, or an
/// unreadable file.
pub fn check_all(
    artifacts: &[Artifact<'_>],
    roots: &Roots,
    diffs: &mut dyn FnMut(&str),
) -> Result<CheckReport, OutputError> {
    check_tracked(artifacts, roots, diffs, None)
}

/// [`check_all`], skipping the comparisons when `record` proves every file
/// exactly as a build with the same inputs left it (see
/// `build_record.rs`): then nothing is rendered, and only leftover
/// temporaries are looked for. Never writes, not even the record.
///
/// Errors: as [`check_all`].
pub fn check_tracked(
    artifacts: &[Artifact<'_>],
    roots: &Roots,
    diffs: &mut dyn FnMut(&str),
    record: Option<&BuildRecord>,
) -> Result<CheckReport, OutputError> {
    let tree = GeneratedTree::new(artifacts, roots)?;
    if record.is_some_and(|record| record.proves_up_to_date(&tree, roots)) {
        let mut report = CheckReport {
            up_to_date: tree.entries().len(),
            ..CheckReport::default()
        };
        report.find_leftovers(&tree, tree.manifest(), roots)?;
        return Ok(report);
    }
    let plan = Plan::survey(&tree, roots, ManifestPolicy::Lenient)?;
    let hand_written: BTreeSet<&GeneratedPath> = plan
        .conflicts
        .iter()
        .filter(|c| c.kind == ConflictKind::HandWritten)
        .map(|c| &c.path)
        .collect();
    let mut report = CheckReport {
        unexpected: plan.deletes.clone(),
        in_the_way: plan.conflicts.clone(),
        manifest_missing: plan.manifest_missing(),
        ..CheckReport::default()
    };
    for (entry, action) in tree.entries().iter().zip(&plan.actions) {
        match action {
            Action::Create => report.missing.push(entry.path.clone()),
            Action::Update => report.compare(entry, roots, diffs)?,
            Action::Blocked if hand_written.contains(&entry.path) => {
                let bytes = read(roots, &entry.path)?;
                diffs(&stale_diff(roots, entry, &bytes, &entry.render()));
            }
            Action::Blocked => {}
        }
    }
    report.find_leftovers(&tree, &plan.previous, roots)?;
    Ok(report)
}

fn read(roots: &Roots, path: &GeneratedPath) -> Result<Vec<u8>, OutputError> {
    let full = roots.full(path);
    std::fs::read(&full).map_err(OutputError::io("read", full))
}

/// The unified diff of one file (CRLF read as LF), `generated` being its
/// rendered contents.
fn stale_diff(roots: &Roots, entry: &Entry<'_>, committed: &[u8], generated: &str) -> String {
    let shown = roots.full(&entry.path);
    let committed = String::from_utf8_lossy(committed).replace("\r\n", "\n");
    let diff = TextDiff::from_lines(committed.as_str(), generated);
    diff.unified_diff()
        .context_radius(3)
        .header(
            &format!("{shown} (committed)"),
            &format!("{shown} (generated)"),
        )
        .to_string()
}

impl CheckReport {
    /// Lists the temporaries an interrupted build left in the folders of
    /// `tree` and `previous`.
    fn find_leftovers(
        &mut self,
        tree: &GeneratedTree<'_>,
        previous: &Manifest,
        roots: &Roots,
    ) -> Result<(), OutputError> {
        for folder in temp_folders(tree, previous, roots) {
            let names = find_leftovers(&folder).map_err(OutputError::io("read", folder.clone()))?;
            self.leftovers
                .extend(names.iter().map(|name| folder.join(name)));
        }
        Ok(())
    }

    /// Compares one file stackc owns with its generated contents.
    fn compare(
        &mut self,
        entry: &Entry<'_>,
        roots: &Roots,
        diffs: &mut dyn FnMut(&str),
    ) -> Result<(), OutputError> {
        let full = roots.full(&entry.path);
        let on_disk = DiskEntry::inspect(&full).map_err(OutputError::io("read", full.clone()))?;
        let DiskEntry::File { executable } = on_disk else {
            self.missing.push(entry.path.clone());
            return Ok(());
        };
        let held = entry
            .is_held_at(&full)
            .map_err(OutputError::io("read", full.clone()))?;
        if held {
            if executable == entry.mode.is_executable() {
                self.up_to_date += 1;
            } else {
                self.modes
                    .push((entry.path.clone(), entry.mode.is_executable()));
            }
            return Ok(());
        }
        // A file that differs is held whole, on disk and rendered, for its
        // diff: the one place a file's contents are in memory.
        let bytes = read(roots, &entry.path)?;
        let contents = entry.render();
        if same_text(&bytes, &contents) {
            self.line_endings.push(entry.path.clone());
        } else {
            diffs(&stale_diff(roots, entry, &bytes, &contents));
            self.stale.push(entry.path.clone());
        }
        Ok(())
    }

    /// True when nothing differs.
    pub fn is_clean(&self) -> bool {
        self.differences() == 0
    }

    /// Files that differ, in any way, and leftovers.
    pub fn differences(&self) -> usize {
        self.files_differing() + self.leftovers.len()
    }

    /// The line `build --check` ends with when something differs, for the
    /// output folder shown as `output`: `N generated files in OUT differ
    /// from what the specs produce`, then (or alone) `; N leftovers of an
    /// interrupted build in OUT`.
    pub fn summary(&self, output: &str) -> String {
        let count = self.files_differing();
        let leftovers = self.leftovers.len();
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let mut parts = Vec::new();
        if count > 0 || leftovers == 0 {
            parts.push(format!(
                "{count} generated file{} in {output} differ{} from what the specs produce",
                plural(count),
                if count == 1 { "s" } else { "" }
            ));
        }
        if leftovers > 0 {
            parts.push(format!(
                "{leftovers} leftover{} of an interrupted build in {output}",
                plural(leftovers)
            ));
        }
        parts.join("; ")
    }

    /// Generated files (or paths where one goes) that differ, in any way:
    /// [`CheckReport::differences`] without the leftovers.
    pub fn files_differing(&self) -> usize {
        self.stale.len()
            + self.line_endings.len()
            + self.modes.len()
            + self.missing.len()
            + self.unexpected.len()
            + self.in_the_way.len()
    }

    /// The lists that follow the diffs (`line endings:`, `mode:`,
    /// `missing:`, `unexpected:`, `in the way:`, `leftover:` lines, and a
    /// `note:` when the manifest is missing), naming files by their paths
    /// under `roots` as given.
    pub fn render(&self, roots: &Roots) -> String {
        let name = |path: &GeneratedPath| roots.full(path);
        let mut text = String::new();
        for path in &self.line_endings {
            let _ = writeln!(
                text,
                "line endings: {} has CRLF line endings; it must have LF, as generated",
                name(path)
            );
        }
        for (path, executable) in &self.modes {
            let _ = writeln!(
                text,
                "mode: {} should {}be executable",
                name(path),
                if *executable { "" } else { "not " }
            );
        }
        for path in &self.missing {
            let _ = writeln!(text, "missing: {} (not generated yet)", name(path));
        }
        for path in &self.unexpected {
            let _ = writeln!(
                text,
                "unexpected: {} (generated before, no longer produced by the specs)",
                name(path)
            );
        }
        for conflict in &self.in_the_way {
            let _ = writeln!(
                text,
                "in the way: {}: {}",
                name(&conflict.path),
                conflict.kind
            );
        }
        for leftover in &self.leftovers {
            let _ = writeln!(
                text,
                "leftover: {leftover} (a temporary file or staged folder of an interrupted build; `stackc build` removes it)"
            );
        }
        if self.manifest_missing {
            let _ = writeln!(
                text,
                "note: the manifest {} is missing, so stackc cannot tell the files it \
                 generated from anyone else's",
                name(&super::Manifest::path())
            );
        }
        text
    }
}
