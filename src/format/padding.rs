//! The spaces that line up keys, inserted into the formatted text in one
//! pass once everything is printed.

/// Spaces to insert into the output, by byte offset.
#[derive(Default)]
pub(super) struct Padding {
    /// `(offset, spaces)`, in any order until [`Padding::apply`].
    inserts: Vec<(usize, usize)>,
    /// Bytes of the output copied by the last [`Padding::apply`]: each byte
    /// once, so the length of the output (a test reads it: inserting the
    /// spaces of each key in place shifted the rest of the text, copying a
    /// file of 10,000 components about 50,000 times).
    copied: usize,
}

impl Padding {
    /// Inserts `spaces` spaces at byte `at` of the output.
    pub fn insert(&mut self, at: usize, spaces: usize) {
        self.inserts.push((at, spaces));
    }

    /// `out` with every insertion made; an offset that is not on a
    /// character boundary (or past the end) is skipped. Linear in the
    /// length of `out` plus the spaces inserted.
    pub fn apply(&mut self, out: String) -> String {
        if self.inserts.is_empty() {
            self.copied = 0;
            return out;
        }
        self.inserts.sort_unstable();
        let spaces: usize = self.inserts.iter().map(|&(_, spaces)| spaces).sum();
        let mut padded = String::with_capacity(out.len() + spaces);
        let mut from = 0;
        let mut copied = 0;
        let mut copy = |padded: &mut String, part: &str| {
            padded.push_str(part);
            copied += part.len();
        };
        for &(at, spaces) in &self.inserts {
            if !out.is_char_boundary(at) {
                continue;
            }
            copy(&mut padded, out.get(from..at).unwrap_or_default());
            padded.extend(std::iter::repeat_n(' ', spaces));
            from = at;
        }
        copy(&mut padded, out.get(from..).unwrap_or_default());
        self.copied = copied;
        padded
    }

    /// Bytes of the output the last [`Padding::apply`] copied.
    #[cfg(test)]
    pub fn copied(&self) -> usize {
        self.copied
    }
}
