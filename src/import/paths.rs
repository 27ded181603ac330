//! Host paths of a Compose file, which Compose reads relative to the
//! file's folder, rewritten relative to the workspace root (where stackc
//! reads them), lexically: `..` is resolved against the path written, not
//! against symbolic links.

/// Where a rebased path ends up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rebased {
    /// Inside the root: the path relative to it (`.` for the root itself),
    /// `/`-separated.
    Inside(String),
    /// Above the root.
    Outside,
    /// Absolute (or `~`): kept as written.
    Absolute,
}

/// Rebases `path`, relative to `folder`, onto `root` (both absolute,
/// `/`-separated).
pub fn rebase(path: &str, folder: &str, root: &str) -> Rebased {
    if path.starts_with('/') || path.starts_with('~') {
        return Rebased::Absolute;
    }
    let Some(absolute) = normalise(&format!("{folder}/{path}")) else {
        return Rebased::Outside;
    };
    match inside(&absolute, root) {
        Some(relative) => Rebased::Inside(relative),
        None => Rebased::Outside,
    }
}

/// `absolute` relative to `root` (`.` for the root itself), when inside it.
pub fn inside(absolute: &str, root: &str) -> Option<String> {
    let absolute = normalise(absolute)?;
    let root = normalise(root)?;
    if absolute == root {
        return Some(".".into());
    }
    let prefix = if root == "/" {
        "/".to_string()
    } else {
        format!("{root}/")
    };
    absolute.strip_prefix(&prefix).map(str::to_string)
}

/// An absolute path with `.`, empty parts and `..` resolved; `None` when
/// `..` climbs above `/`.
pub fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(format!("/{}", parts.join("/")))
}

/// The folder part of an absolute `/`-separated path.
pub fn parent(path: &str) -> String {
    match path.rfind('/') {
        Some(0) | None => "/".into(),
        Some(at) => path.get(..at).unwrap_or("/").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rebases() {
        assert_eq!(
            rebase("./data", "/w/api", "/w"),
            Rebased::Inside("api/data".into())
        );
        assert_eq!(rebase(".", "/w", "/w"), Rebased::Inside(".".into()));
        assert_eq!(rebase("../x", "/w", "/w"), Rebased::Outside);
        assert_eq!(
            rebase("../db/init", "/w/api", "/w"),
            Rebased::Inside("db/init".into())
        );
        assert_eq!(rebase("/etc/x", "/w", "/w"), Rebased::Absolute);
        assert_eq!(rebase("x", "/wx", "/w"), Rebased::Outside);
        assert_eq!(parent("/w/api/fig.yml"), "/w/api");
    }
}
