//! `stackc build --check`: how the committed files differ from what the
//! specs produce, as unified diffs and lists.

use std::fmt::Write as _;
use std::path::Path;

use similar::TextDiff;

use super::plan::{Change, ManifestPolicy, Plan};
use super::{ArtifactPath, Conflict, ConflictKind, GeneratedTree, OutputError};

/// A generated file whose committed contents differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleFile {
    pub path: ArtifactPath,
    /// On disk (CRLF read as LF; invalid UTF-8 replaced).
    pub committed: String,
    pub generated: String,
    /// Not listed in the manifest: `stackc build` will refuse to replace it.
    pub hand_written: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckReport {
    pub stale: Vec<StaleFile>,
    /// Right contents, wrong executable bit: `(path, should be executable)`.
    pub modes: Vec<(ArtifactPath, bool)>,
    pub missing: Vec<ArtifactPath>,
    /// Generated before, listed in the manifest, no longer generated.
    pub unexpected: Vec<ArtifactPath>,
    /// Links, folders and other things where a generated file goes.
    pub in_the_way: Vec<Conflict>,
    pub up_to_date: usize,
}

impl CheckReport {
    /// Compares `tree` with `out` without writing anything.
    pub fn compare(tree: &GeneratedTree, out: &Path) -> Result<CheckReport, OutputError> {
        let plan = Plan::survey(tree, out, ManifestPolicy::Lenient)?;
        let mut report = CheckReport {
            up_to_date: plan.unchanged.len(),
            unexpected: plan.deletes.clone(),
            ..CheckReport::default()
        };
        let generated = |path: &ArtifactPath| {
            tree.get(path)
                .map(|f| f.contents.clone())
                .unwrap_or_default()
        };
        for write in &plan.writes {
            match &write.change {
                Change::Create => report.missing.push(write.path.clone()),
                Change::Replace { old } => report.stale.push(StaleFile {
                    path: write.path.clone(),
                    committed: as_text(old),
                    generated: generated(&write.path),
                    hand_written: false,
                }),
            }
        }
        for conflict in &plan.conflicts {
            match (conflict.kind, plan.hand_written.get(&conflict.path)) {
                (ConflictKind::HandWritten, Some(old)) => report.stale.push(StaleFile {
                    path: conflict.path.clone(),
                    committed: as_text(old),
                    generated: generated(&conflict.path),
                    hand_written: true,
                }),
                _ => report.in_the_way.push(conflict.clone()),
            }
        }
        report.stale.sort_by(|a, b| a.path.cmp(&b.path));
        for path in &plan.modes {
            let executable = tree.get(path).is_some_and(|f| f.executable);
            report.modes.push((path.clone(), executable));
        }
        Ok(report)
    }

    pub fn is_clean(&self) -> bool {
        self.stale.is_empty()
            && self.modes.is_empty()
            && self.missing.is_empty()
            && self.unexpected.is_empty()
            && self.in_the_way.is_empty()
    }

    /// Files that differ, in any way.
    pub fn differences(&self) -> usize {
        self.stale.len()
            + self.modes.len()
            + self.missing.len()
            + self.unexpected.len()
            + self.in_the_way.len()
    }

    /// The unified diffs and lists, naming files as `out/path`.
    pub fn render(&self, out: &Path) -> String {
        let name = |path: &ArtifactPath| path.under(out).display().to_string();
        let mut text = String::new();
        for stale in &self.stale {
            let shown = name(&stale.path);
            let diff = TextDiff::from_lines(&stale.committed, &stale.generated);
            let _ = write!(
                text,
                "{}",
                diff.unified_diff().context_radius(3).header(
                    &format!("{shown} (committed)"),
                    &format!("{shown} (generated)")
                )
            );
            if stale.hand_written {
                let _ = writeln!(
                    text,
                    "note: {shown} is not in the manifest, so `stackc build` will refuse to \
                     replace it; move it away first"
                );
            }
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
        text
    }
}

/// Disk bytes as text with CRLF read as LF, so the diff shows real changes.
fn as_text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).replace("\r\n", "\n")
}
