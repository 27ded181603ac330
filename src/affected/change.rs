//! One changed file, as `git diff --name-status` reports it.

use serde::Serialize;

/// How a file changed. git's other letters are folded into these: a type
/// change (`T`, a file became a symbolic link), an unmerged path (`U`) and
/// anything newer count as modified; a copy (`C`) as added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ChangeStatus {
    #[serde(rename = "M")]
    Modified,
    /// Added, or untracked (not ignored) in the working tree.
    #[serde(rename = "A")]
    Added,
    #[serde(rename = "D")]
    Deleted,
    /// Renamed from [`Change::from`]; both paths count.
    #[serde(rename = "R")]
    Renamed,
}

/// A changed file; paths are `/`-separated, relative to the repository
/// root as git gives them, or to the workspace root once
/// [`Change::within`] has mapped them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub status: ChangeStatus,
    pub path: String,
    /// The old path of a rename.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
}

impl Change {
    /// Every path the change touches: the old path of a rename first.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.from.as_deref().into_iter().chain([self.path.as_str()])
    }

    /// The change seen from the folder `prefix` of the repository
    /// (`apps/shop/`, ending in `/`, or empty for the repository root):
    /// paths made relative to it; a rename with one side outside becomes
    /// the deletion or addition of the side inside; `None` when no path is
    /// inside.
    pub fn within(&self, prefix: &str) -> Option<Change> {
        let inside = |path: &str| path.strip_prefix(prefix).map(str::to_string);
        let path = inside(&self.path);
        let from = self.from.as_deref().and_then(inside);
        match (self.status, path, from) {
            (ChangeStatus::Renamed, Some(path), Some(from)) => Some(Change {
                status: ChangeStatus::Renamed,
                path,
                from: Some(from),
            }),
            (ChangeStatus::Renamed, Some(path), None) => Some(Change {
                status: ChangeStatus::Added,
                path,
                from: None,
            }),
            (ChangeStatus::Renamed, None, Some(from)) => Some(Change {
                status: ChangeStatus::Deleted,
                path: from,
                from: None,
            }),
            (status, Some(path), _) => Some(Change {
                status,
                path,
                from: None,
            }),
            (_, None, _) => None,
        }
    }
}

/// Parses `git diff -z --name-status -M`: per change, a status field
/// (`M`, `A`, `D`, `T`, `U`, `X`, or `R`/`C` with a score such as `R087`)
/// then one path, or two (old, new) for `R` and `C`, every field ended by
/// a NUL. Paths are taken as UTF-8, invalid bytes replaced (such a path
/// can name no build context or spec file, which are UTF-8). `None` when
/// the output ends early: git's output is then not what was asked for.
pub fn parse_name_status(output: &[u8]) -> Option<Vec<Change>> {
    let mut changes = Vec::new();
    if output.is_empty() {
        return Some(changes);
    }
    let mut fields = output
        .strip_suffix(b"\0")?
        .split(|b| *b == 0)
        .map(|f| String::from_utf8_lossy(f).into_owned());
    while let Some(status) = fields.next() {
        let letter = status.chars().next()?;
        let first = fields.next()?;
        let change = match letter {
            'R' => Change {
                status: ChangeStatus::Renamed,
                path: fields.next()?,
                from: Some(first),
            },
            'C' => Change {
                status: ChangeStatus::Added,
                path: fields.next()?,
                from: None,
            },
            'A' => Change {
                status: ChangeStatus::Added,
                path: first,
                from: None,
            },
            'D' => Change {
                status: ChangeStatus::Deleted,
                path: first,
                from: None,
            },
            _ => Change {
                status: ChangeStatus::Modified,
                path: first,
                from: None,
            },
        };
        changes.push(change);
    }
    Some(changes)
}

/// Parses `git ls-files -z`: one path per NUL-ended field, each an
/// added file.
pub fn parse_untracked(output: &[u8]) -> Vec<Change> {
    output
        .split(|b| *b == 0)
        .filter(|f| !f.is_empty())
        .map(|f| Change {
            status: ChangeStatus::Added,
            path: String::from_utf8_lossy(f).into_owned(),
            from: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(status: ChangeStatus, path: &str, from: Option<&str>) -> Change {
        Change {
            status,
            path: path.into(),
            from: from.map(str::to_string),
        }
    }

    #[test]
    fn name_status_records_are_read_with_their_odd_paths() {
        let output = b"M\0a b/\xc3\xa9 \"q\".txt\0R087\0old/x\0new/x\0D\0gone\0T\0link\0C100\0src\0copy\0A\0new\0";
        let changes = parse_name_status(output).expect("complete");
        assert_eq!(
            changes,
            [
                change(ChangeStatus::Modified, "a b/é \"q\".txt", None),
                change(ChangeStatus::Renamed, "new/x", Some("old/x")),
                change(ChangeStatus::Deleted, "gone", None),
                change(ChangeStatus::Modified, "link", None),
                change(ChangeStatus::Added, "copy", None),
                change(ChangeStatus::Added, "new", None),
            ]
        );
        assert_eq!(parse_name_status(b""), Some(vec![]));
        assert_eq!(parse_name_status(b"R100\0only-one\0"), None);
        assert_eq!(parse_name_status(b"M\0"), None);
        assert_eq!(parse_name_status(b"M\0x"), None);
    }

    #[test]
    fn untracked_files_are_added() {
        assert_eq!(
            parse_untracked(b"x y\0z\0"),
            [
                change(ChangeStatus::Added, "x y", None),
                change(ChangeStatus::Added, "z", None)
            ]
        );
    }

    #[test]
    fn a_change_is_seen_from_the_workspace() {
        let rename = change(ChangeStatus::Renamed, "ws/b", Some("ws/a"));
        assert_eq!(
            rename.within("ws/"),
            Some(change(ChangeStatus::Renamed, "b", Some("a")))
        );
        let into = change(ChangeStatus::Renamed, "ws/b", Some("other/a"));
        assert_eq!(
            into.within("ws/"),
            Some(change(ChangeStatus::Added, "b", None))
        );
        let out = change(ChangeStatus::Renamed, "other/b", Some("ws/a"));
        assert_eq!(
            out.within("ws/"),
            Some(change(ChangeStatus::Deleted, "a", None))
        );
        assert_eq!(
            change(ChangeStatus::Modified, "wsx/a", None).within("ws/"),
            None
        );
        assert_eq!(
            change(ChangeStatus::Modified, "a", None).within(""),
            Some(change(ChangeStatus::Modified, "a", None))
        );
        assert_eq!(rename.paths().collect::<Vec<_>>(), ["ws/a", "ws/b"]);
    }
}
