//! Line diffs for snapshots and failure messages. Hunks are headed by the
//! shell function they sit in, not by line numbers, so a snapshot of what a
//! model changes does not churn when unrelated template lines move.

use similar::{ChangeTag, TextDiff};

/// Unchanged lines shown around each change.
const CONTEXT: usize = 2;

/// The changes from `old` to `new`, as hunks of ` `, `-` and `+` lines, each
/// headed `@@ NAME() @@` with the shell function in `old` its first change is
/// in, or `@@ top level @@`. Empty when the texts are equal.
pub fn hunks(old: &str, new: &str) -> String {
    let diff = TextDiff::from_lines(old, new);
    let old_lines: Vec<&str> = old.lines().collect();
    let mut out = String::new();
    for group in diff.grouped_ops(CONTEXT) {
        let start = group
            .iter()
            .find(|op| op.tag() != similar::DiffTag::Equal)
            .map_or(0, |op| op.old_range().start);
        out.push_str(&format!(
            "@@ {} @@\n",
            enclosing_function(&old_lines, start)
        ));
        for op in &group {
            for change in diff.iter_changes(op) {
                out.push(match change.tag() {
                    ChangeTag::Equal => ' ',
                    ChangeTag::Delete => '-',
                    ChangeTag::Insert => '+',
                });
                out.push_str(change.value());
                if change.missing_newline() {
                    out.push_str("\n\\ no newline at the end\n");
                }
            }
        }
    }
    out
}

/// The function whose body holds line `index`: the nearest definition
/// (`name() {` at the start of a line) above it with no closing `}` at the
/// start of a line in between; `top level` when there is none.
fn enclosing_function(lines: &[&str], index: usize) -> String {
    let is_name = |name: &str| {
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_:-".contains(c))
    };
    for line in lines.iter().take(index).rev() {
        if *line == "}" {
            break;
        }
        if let Some(name) = line.strip_suffix("() {").filter(|name| is_name(name)) {
            return format!("{name}()");
        }
    }
    "top level".to_string()
}
