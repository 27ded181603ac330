//! Compares a file being rendered with the file on disk, as the bytes come:
//! an [`io::Write`] that reads the file alongside, so neither side is ever
//! held whole. The first difference stops the render (the write fails with
//! [`DiskComparison::differs`] set); the caller then renders again, into a
//! temporary file, only if the file is to be written.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};

use camino::Utf8Path;

use super::line_endings::LineEndings;

/// How many bytes of the file on disk are read at a time.
const READ_BUFFER: usize = 64 << 10;

/// A writer that compares everything written with a file on disk, under a
/// [`LineEndings`] rule.
pub struct DiskComparison {
    disk: BufReader<File>,
    rule: LineEndings,
    differs: bool,
    /// A CR written last, not yet known to start a CRLF (text rule only).
    pending_cr: bool,
}

impl DiskComparison {
    /// Compares with the file at `path`.
    ///
    /// Errors: the file cannot be opened.
    pub fn open(path: &Utf8Path, rule: LineEndings) -> io::Result<DiskComparison> {
        Ok(DiskComparison {
            disk: BufReader::with_capacity(READ_BUFFER, File::open(path)?),
            rule,
            differs: false,
            pending_cr: false,
        })
    }

    /// True once a difference was found (the writes fail from then on).
    pub fn differs(&self) -> bool {
        self.differs
    }

    /// After the whole render was written: true when the file on disk held
    /// exactly that (under the rule), nothing more.
    ///
    /// Errors: the file could not be read.
    pub fn finish(mut self) -> io::Result<bool> {
        if self.differs {
            return Ok(false);
        }
        if std::mem::take(&mut self.pending_cr) && self.expect(b'\r').is_err() {
            return Ok(false);
        }
        Ok(self.next_on_disk()?.is_none())
    }

    /// Marks a difference; the error that stops the render.
    fn differ(&mut self) -> io::Result<()> {
        self.differs = true;
        Err(io::Error::other("the file on disk differs"))
    }

    /// Byte for byte, a buffer at a time.
    fn compare_exact(&mut self, mut data: &[u8]) -> io::Result<()> {
        while !data.is_empty() {
            let disk = self.disk.fill_buf()?;
            let length = disk.len().min(data.len());
            if length == 0 || disk.get(..length) != data.get(..length) {
                return self.differ();
            }
            self.disk.consume(length);
            data = data.get(length..).unwrap_or_default();
        }
        Ok(())
    }

    /// As text, every CR that starts a CRLF dropped on both sides (see
    /// [`super::line_endings::same_text`]).
    fn compare_text(&mut self, data: &[u8]) -> io::Result<()> {
        for &byte in data {
            if std::mem::take(&mut self.pending_cr) && byte != b'\n' {
                self.expect(b'\r')?;
            }
            if byte == b'\r' {
                self.pending_cr = true;
            } else {
                self.expect(byte)?;
            }
        }
        Ok(())
    }

    /// The next byte on disk must be `byte`.
    fn expect(&mut self, byte: u8) -> io::Result<()> {
        if self.next_on_disk()? == Some(byte) {
            Ok(())
        } else {
            self.differ()
        }
    }

    /// The next byte on disk under the text rule (a CRLF reads as LF).
    fn next_on_disk(&mut self) -> io::Result<Option<u8>> {
        let Some(&byte) = self.disk.fill_buf()?.first() else {
            return Ok(None);
        };
        self.disk.consume(1);
        if byte == b'\r'
            && self.rule == LineEndings::CrlfTolerated
            && self.disk.fill_buf()?.first() == Some(&b'\n')
        {
            self.disk.consume(1);
            return Ok(Some(b'\n'));
        }
        Ok(Some(byte))
    }
}

impl Write for DiskComparison {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.differs {
            return self.differ().map(|()| 0);
        }
        match self.rule {
            LineEndings::Exact => self.compare_exact(data)?,
            LineEndings::CrlfTolerated => self.compare_text(data)?,
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use camino::Utf8PathBuf;

    use super::super::line_endings::same_text;
    use super::*;

    /// Compares `generated`, written in pieces of `piece` bytes, with a
    /// file holding `disk`.
    fn same(disk: &[u8], generated: &[u8], rule: LineEndings, piece: usize) -> bool {
        let dir = tempfile::tempdir().unwrap();
        let path = Utf8PathBuf::from_path_buf(dir.path().join("f")).unwrap();
        std::fs::write(&path, disk).unwrap();
        let mut comparison = DiskComparison::open(&path, rule).unwrap();
        for chunk in generated.chunks(piece.max(1)) {
            if comparison.write_all(chunk).is_err() {
                assert!(comparison.differs());
                break;
            }
        }
        comparison.finish().unwrap()
    }

    #[test]
    fn agrees_with_the_in_memory_comparison_in_any_pieces() {
        let texts: &[&[u8]] = &[
            b"",
            b"a\n",
            b"a\nb\n",
            b"a\r\nb\r\n",
            b"a\rb\n",
            b"a\r",
            b"a\r\r\n",
            b"a\nb",
            b"a\nb\nc",
        ];
        for disk in texts {
            for generated in texts {
                let text = std::str::from_utf8(generated).unwrap();
                for piece in [1, 2, 3, 100] {
                    assert_eq!(
                        same(disk, generated, LineEndings::Exact, piece),
                        disk == generated,
                        "{disk:?} {generated:?} {piece}"
                    );
                    assert_eq!(
                        same(disk, generated, LineEndings::CrlfTolerated, piece),
                        same_text(disk, text),
                        "{disk:?} {generated:?} {piece}"
                    );
                }
            }
        }
    }

    #[test]
    fn compares_files_larger_than_its_buffer() {
        let big: Vec<u8> = (0..READ_BUFFER * 3 + 17).map(|i| (i % 251) as u8).collect();
        assert!(same(&big, &big, LineEndings::Exact, 4000));
        let mut changed = big.clone();
        *changed.last_mut().unwrap() ^= 1;
        assert!(!same(&big, &changed, LineEndings::Exact, 4000));
        assert!(!same(&big, &big[..big.len() - 1], LineEndings::Exact, 4000));
    }
}
