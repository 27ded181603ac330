//! The files of a workspace and positions inside them.

mod line_index;

use std::path::PathBuf;
use std::sync::Arc;

pub use line_index::LineIndex;

/// Index of a file in a [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A byte range inside one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(end).unwrap_or(u32::MAX),
        }
    }

    /// A span covering `self` and `other` (same file assumed).
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// One loaded file: its path relative to the workspace root (with `/`
/// separators, so output never depends on the host), its text, and where
/// its lines start (computed once, when the file is added). The text and
/// its index are shared, not copied, by a map naming the same files
/// otherwise ([`SourceMap::renamed`]): a workspace's text can be tens of MB.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub absolute: PathBuf,
    pub text: Arc<String>,
    pub lines: Arc<LineIndex>,
}

/// Every file the loader read, in the order it read them.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    pub fn add(&mut self, path: String, absolute: PathBuf, text: String) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        let lines = Arc::new(LineIndex::new(&text));
        self.files.push(SourceFile {
            path,
            absolute,
            text: Arc::new(text),
            lines,
        });
        id
    }

    /// The same files, texts shared, each with the path `rename` gives it.
    pub fn renamed(&self, mut rename: impl FnMut(&SourceFile) -> String) -> SourceMap {
        SourceMap {
            files: self
                .files
                .iter()
                .map(|file| SourceFile {
                    path: rename(file),
                    absolute: file.absolute.clone(),
                    text: Arc::clone(&file.text),
                    lines: Arc::clone(&file.lines),
                })
                .collect(),
        }
    }

    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(u32::try_from(i).unwrap_or(u32::MAX)), f))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, file: FileId, offset: u32) -> (usize, usize) {
        let Some(source) = self.get(file) else {
            return (1, 1);
        };
        source.lines.line_col(&source.text, offset as usize)
    }
}

/// 1-based line and column (in characters) of a byte offset in `text`. A
/// byte-order mark starting the text takes no column, as in an editor.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let in_line = if line_start == 0 {
        without_byte_order_mark(before).0
    } else {
        &before[line_start..]
    };
    let column = in_line.chars().count() + 1;
    (line, column)
}

/// U+FEFF, which may start a file saved as "UTF-8 with BOM". stackc reads
/// past it; it is not part of the first line.
pub const BYTE_ORDER_MARK: char = '\u{feff}';

/// `text` without the byte-order mark that may start it, and the number of
/// bytes left out (0 or 3).
pub fn without_byte_order_mark(text: &str) -> (&str, usize) {
    match text.strip_prefix(BYTE_ORDER_MARK) {
        Some(rest) => (rest, BYTE_ORDER_MARK.len_utf8()),
        None => (text, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::{line_col, LineIndex};

    /// The index and the scan agree on every offset of `text`.
    fn agree(text: &str) {
        let index = LineIndex::new(text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(
                index.line_col(text, offset),
                line_col(text, offset),
                "offset {offset} of {text:?}"
            );
        }
    }

    #[test]
    fn the_line_index_finds_lines_and_columns() {
        let text = "ab\ncd\n\nef";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 0), (1, 1));
        assert_eq!(index.line_col(text, 2), (1, 3));
        assert_eq!(index.line_col(text, 3), (2, 1));
        assert_eq!(index.line_col(text, 6), (3, 1));
        // The last line has no newline; past the end is its end.
        assert_eq!(index.line_col(text, 8), (4, 2));
        assert_eq!(index.line_col(text, 99), (4, 3));
        assert_eq!(index.line_start(4), Some(7));
        assert_eq!(index.line_start(5), None);
        assert_eq!(index.line_start(0), None);
    }

    #[test]
    fn the_line_index_counts_characters_not_bytes() {
        // `é` is 2 bytes, `€` 3, `🦀` 4.
        let text = "é€x\n🦀y";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 5), (1, 3));
        assert_eq!(index.line_col(text, 6), (1, 4));
        assert_eq!(index.line_col(text, 11), (2, 2));
        // Inside a character: that character.
        assert_eq!(index.line_col(text, 3), (1, 2));
        assert_eq!(index.line_col(text, 9), (2, 1));
    }

    #[test]
    fn the_line_index_keeps_a_carriage_return_in_its_line() {
        let text = "a\r\nb\r\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 1), (1, 2));
        assert_eq!(index.line_col(text, 2), (1, 3));
        assert_eq!(index.line_col(text, 3), (2, 1));
        assert_eq!(index.line_col(text, 6), (3, 1));
    }

    #[test]
    fn the_line_index_agrees_with_the_scan() {
        for text in [
            "",
            "\n",
            "x",
            "\u{feff}",
            "\u{feff}a\nb",
            "a\r\n\u{feff}é\n\n🦀",
            "stack s { }\ncomponent api {\n  image = \"ü\"\n}",
        ] {
            agree(text);
        }
    }

    #[test]
    fn a_byte_order_mark_takes_no_column() {
        let text = "\u{feff}stack s { }\nx = 1";
        assert_eq!(line_col(text, 3), (1, 1));
        assert_eq!(line_col(text, 9), (1, 7));
        assert_eq!(line_col(text, 15), (2, 1));
        assert_eq!(line_col("a\n\u{feff}b", 5), (2, 2));
    }
}
