//! The one lexical path normaliser of the crate: `.` and `..` resolved
//! without touching the file system, for file-system paths (the loader, the
//! CLI) and for `/`-separated paths written in specs (build contexts, test
//! paths, pass-through host paths, which the analyser and the Compose
//! emitter both judge).

use std::path::{Component, Path, PathBuf};

/// One step of a path, as the normaliser sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part<T> {
    /// A root or drive prefix (`/`, `C:`): `..` never removes it.
    Root(T),
    /// `.` (or an empty part, as in `a//b`): no step at all.
    Current,
    /// `..`: removes the name before it.
    Parent,
    /// Any other name.
    Name(T),
}

/// A path with `.` and `..` resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved<T> {
    /// Roots and names left, in order.
    pub parts: Vec<T>,
    /// Some `..` had no name before it to remove (it was dropped): the path
    /// climbs above where it starts, or above its root.
    pub climbs: bool,
}

/// Resolves `.` and `..` over the parts of a path.
pub fn resolve<T>(parts: impl IntoIterator<Item = Part<T>>) -> Resolved<T> {
    let mut out: Vec<Part<T>> = Vec::new();
    let mut climbs = false;
    for part in parts {
        match part {
            Part::Current => {}
            Part::Parent => match out.last() {
                Some(Part::Name(_)) => {
                    out.pop();
                }
                _ => climbs = true,
            },
            other => out.push(other),
        }
    }
    let parts = out
        .into_iter()
        .filter_map(|part| match part {
            Part::Root(value) | Part::Name(value) => Some(value),
            Part::Current | Part::Parent => None,
        })
        .collect();
    Resolved { parts, climbs }
}

/// The parts of a relative `/`-separated path (`./services/../api`) with
/// `.`, `..` and empty parts resolved (`["api"]`); `None` when a `..`
/// climbs above where the path starts.
pub fn relative_parts(path: &str) -> Option<Vec<&str>> {
    let resolved = resolve(path.split('/').map(|part| match part {
        "" | "." => Part::Current,
        ".." => Part::Parent,
        name => Part::Name(name),
    }));
    (!resolved.climbs).then_some(resolved.parts)
}

/// A file-system path with `.` and `..` resolved lexically (symbolic links
/// are not followed); a `..` at the root stays at the root.
pub fn normalise(path: &Path) -> PathBuf {
    let parts = path.components().map(|component| match component {
        Component::Prefix(_) | Component::RootDir => Part::Root(component.as_os_str()),
        Component::CurDir => Part::Current,
        Component::ParentDir => Part::Parent,
        Component::Normal(name) => Part::Name(name),
    });
    resolve(parts).parts.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_parts_resolve_dots_and_empty_parts() {
        let cases: [(&str, &[&str]); 7] = [
            ("services/api", &["services", "api"]),
            ("./services/../api", &["api"]),
            ("a//b/", &["a", "b"]),
            (".", &[]),
            ("", &[]),
            ("a/..", &[]),
            ("./a/./b/../c", &["a", "c"]),
        ];
        for (path, parts) in cases {
            assert_eq!(relative_parts(path).as_deref(), Some(parts), "{path}");
        }
    }

    #[test]
    fn relative_parts_refuse_a_path_that_climbs_above_its_start() {
        for path in ["..", "../x", "./a/../../x", "a/../../a", "/.."] {
            assert_eq!(relative_parts(path), None, "{path}");
        }
    }

    #[test]
    fn file_system_paths_resolve_and_stop_at_the_root() {
        let cases = [
            ("/ws/a/../b", "/ws/b"),
            ("/ws/./a/./b", "/ws/a/b"),
            ("/ws/a/../../..", "/"),
            ("/..", "/"),
            ("a/../../b", "b"),
            ("a/b/..", "a"),
        ];
        for (path, want) in cases {
            assert_eq!(normalise(Path::new(path)), PathBuf::from(want), "{path}");
        }
    }

    #[test]
    fn climbing_is_reported_for_every_kind_of_path() {
        let parts = [Part::Root("/"), Part::Parent, Part::Name("a")];
        assert_eq!(
            resolve(parts),
            Resolved {
                parts: vec!["/", "a"],
                climbs: true
            }
        );
        let parts = [Part::Name("a"), Part::Parent, Part::Current];
        assert_eq!(
            resolve(parts),
            Resolved {
                parts: Vec::new(),
                climbs: false
            }
        );
    }
}
