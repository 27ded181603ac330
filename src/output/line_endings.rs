//! Which line endings on disk count as the generated contents.
//!
//! stackc writes LF. A CRLF copy counts as unchanged only where git may
//! have made it and nothing breaks: a regular (not executable) file at the
//! repository root, which the output folder's `.gitattributes` (`text
//! eol=lf`) does not cover, so a `core.autocrlf` checkout converts it.
//! In the output folder `.gitattributes` keeps every checkout LF, so CRLF
//! there came from an editor or a tool, and would break the files shells
//! read: the `stack` script (`/usr/bin/env: 'bash\r'`) and the completion
//! files that bash and zsh source. Executables are compared byte for byte
//! in every root.

use super::{FileMode, Root};

/// How the bytes on disk are compared with the generated contents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEndings {
    /// Byte for byte: CRLF is a difference.
    Exact,
    /// CRLF read as LF.
    CrlfTolerated,
}

impl LineEndings {
    /// The rule for a file in `root` with `mode` (see the module docs).
    pub fn for_file(root: Root, mode: FileMode) -> LineEndings {
        match (root, mode) {
            (Root::Repository, FileMode::Regular) => LineEndings::CrlfTolerated,
            _ => LineEndings::Exact,
        }
    }

    /// True when `disk` counts as holding `generated`. Compares in place,
    /// without copying either side.
    pub fn same(self, disk: &[u8], generated: &str) -> bool {
        match self {
            LineEndings::Exact => disk == generated.as_bytes(),
            LineEndings::CrlfTolerated => same_text(disk, generated),
        }
    }
}

/// Contents compared as text with CRLF line endings read as LF: true when
/// `disk` differs from `generated` at most in its line endings.
pub fn same_text(disk: &[u8], generated: &str) -> bool {
    lf_only(disk).eq(lf_only(generated.as_bytes()))
}

/// The bytes with every CR that starts a CRLF dropped.
fn lf_only(bytes: &[u8]) -> impl Iterator<Item = u8> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(move |&(at, &byte)| !(byte == b'\r' && bytes.get(at + 1) == Some(&b'\n')))
        .map(|(_, &byte)| byte)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_is_the_same_text() {
        assert!(same_text(b"a\r\nb\r\n", "a\nb\n"));
        assert!(same_text(b"a\nb\n", "a\r\nb\n"));
        assert!(!same_text(b"a\rb\n", "a\nb\n"));
        assert!(!same_text(b"a\nb", "a\nb\n"));
    }

    #[test]
    fn crlf_is_tolerated_only_for_regular_files_at_the_repository_root() {
        let crlf = b"a\r\nb\r\n";
        let tolerated = LineEndings::for_file(Root::Repository, FileMode::Regular);
        assert!(tolerated.same(crlf, "a\nb\n"));
        for (root, mode) in [
            (Root::Repository, FileMode::Executable),
            (Root::Output, FileMode::Executable),
            (Root::Output, FileMode::Regular),
        ] {
            let rule = LineEndings::for_file(root, mode);
            assert!(!rule.same(crlf, "a\nb\n"), "{root:?} {mode:?}");
            assert!(rule.same(b"a\nb\n", "a\nb\n"), "{root:?} {mode:?}");
        }
    }
}
