//! Where the lines of one text start, so a byte offset finds its line by a
//! binary search instead of a scan of the text.

/// The byte offset at which every line of a text starts. Lines end at
/// `\n` (a `\r` before it belongs to the line), as editors count them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LineIndex {
    /// Ascending; the first is 0. `u32`, as spans' offsets are: half the
    /// room of `usize` for a line index kept as long as the file.
    starts: Vec<u32>,
}

impl LineIndex {
    /// Indexes `text` (one pass, by memchr's vectorised search: every file
    /// of a workspace is indexed when it is loaded).
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(
            memchr::memchr_iter(b'\n', text.as_bytes())
                .map(|i| u32::try_from(i + 1).unwrap_or(u32::MAX)),
        );
        LineIndex { starts }
    }

    /// The 1-based line holding byte `offset` (an offset past the end is on
    /// the last line).
    pub fn line(&self, offset: usize) -> usize {
        // The number of lines starting at or before `offset`; at least 1,
        // since the first starts at 0.
        self.starts
            .partition_point(|&start| start as usize <= offset)
            .max(1)
    }

    /// The byte offset at which 1-based `line` starts; `None` past the last.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts
            .get(line.checked_sub(1)?)
            .map(|&start| start as usize)
    }

    /// 1-based line and column (in characters) of byte `offset` in `text`,
    /// the text this index was built from. An offset inside a character
    /// counts as that character; a byte-order mark starting the text takes
    /// no column, as in an editor.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line(offset);
        let start = self.line_start(line).unwrap_or(0).min(offset);
        let in_line = text.get(start..offset).unwrap_or("");
        let in_line = if start == 0 {
            super::without_byte_order_mark(in_line).0
        } else {
            in_line
        };
        (line, in_line.chars().count() + 1)
    }
}
