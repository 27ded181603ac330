//! Real filesystem paths made comparable: absolute, links resolved where
//! they exist, `.` and `..` removed; and one folder seen from another.

use std::io;

use camino::{Utf8Path, Utf8PathBuf};

use crate::lexical_path::normalise;

/// `path` made absolute against the current folder, with links resolved in
/// the part that exists (the rest may be created later) and `.`/`..`
/// removed, so two spellings of one folder compare equal.
///
/// Errors: the current folder cannot be read or is not UTF-8 (only when
/// `path` is relative).
pub fn resolve(path: &Utf8Path) -> io::Result<Utf8PathBuf> {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        current_dir()?.join(path)
    };
    let mut existing = joined.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name().map(str::to_string), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut resolved = existing.canonicalize_utf8().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        resolved.push(name);
    }
    let normal = normalise(resolved.as_std_path());
    Ok(Utf8PathBuf::from_path_buf(normal).unwrap_or(resolved))
}

/// The current folder. Errors when it cannot be read or is not UTF-8.
pub fn current_dir() -> io::Result<Utf8PathBuf> {
    let cwd = std::env::current_dir()?;
    Utf8PathBuf::from_path_buf(cwd).map_err(|cwd| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("the current folder {} is not valid UTF-8", cwd.display()),
        )
    })
}

/// `to` as seen from `from`, `/`-separated and relative (`..`, `../w`,
/// `.` when they are the same folder); both already [`resolve`]d.
pub fn relative_dir(from: &Utf8Path, to: &Utf8Path) -> String {
    let from_parts: Vec<&str> = from.components().map(|c| c.as_str()).collect();
    let to_parts: Vec<&str> = to.components().map(|c| c.as_str()).collect();
    let common = from_parts
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<&str> = vec![".."; from_parts.len().saturating_sub(common)];
    parts.extend(to_parts.iter().skip(common));
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_dirs() {
        let rel = |a: &str, b: &str| relative_dir(Utf8Path::new(a), Utf8Path::new(b));
        assert_eq!(rel("/w/generated", "/w"), "..");
        assert_eq!(rel("/w/a/b", "/w"), "../..");
        assert_eq!(rel("/out", "/w"), "../w");
        assert_eq!(rel("/w", "/w"), ".");
        assert_eq!(rel("/r", "/r/apps/shop"), "apps/shop");
    }

    #[test]
    fn resolve_makes_spellings_of_one_folder_equal() {
        let dir = tempfile::tempdir().unwrap();
        let base = Utf8PathBuf::from_path_buf(dir.path().to_path_buf()).unwrap();
        std::fs::create_dir(base.join("a")).unwrap();
        let plain = resolve(&base.join("a/not-yet/x")).unwrap();
        let roundabout = resolve(&base.join("a/../a/./not-yet/x")).unwrap();
        assert_eq!(plain, roundabout);
        assert!(plain.is_absolute());
        assert!(plain.ends_with("a/not-yet/x"));
    }
}
