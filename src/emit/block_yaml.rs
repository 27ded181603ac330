//! A fast path for [`super::yaml::to_string`]: block-style YAML written
//! directly, byte for byte what serde-saphyr writes with stackc's options,
//! for the shapes the emitters produce (maps and structs, sequences, strings,
//! integers, booleans, options, unit variants).
//!
//! serde-saphyr checks every key and value against every YAML 1.1 and 1.2
//! reading before writing it plainly, which is most of a Compose file's
//! cost. Here a string that is plain by a cheap test (see [`plain_value`],
//! [`plain_key`]) is written as is; any other string is handed to
//! serde-saphyr alone, and anything this writer is not sure to lay out as
//! serde-saphyr does (floats, tuples, nested sequences, enum variants with
//! data, over-long keys, ...) is refused with [`Unsupported`], and the
//! caller serializes the whole value with serde-saphyr instead. Tests check
//! both agree.

use std::fmt;

use serde::ser::{self, Serialize, SerializeMap, Serializer};

/// Spaces per nesting level (stackc's `indent_step`).
const INDENT: usize = 2;

/// Keys longer than this are left to serde-saphyr (it writes over-long
/// keys in the explicit `? key` form).
const MAX_FAST_KEY: usize = 64;

/// A shape this writer does not lay out itself; the caller falls back to
/// serde-saphyr.
#[derive(Debug)]
pub struct Unsupported;

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("shape left to serde-saphyr")
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        Unsupported
    }
}

type Result<T> = std::result::Result<T, Unsupported>;

/// `value` (a map or struct at the top) as block YAML, or [`Unsupported`].
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    let mut out = String::with_capacity(256);
    value.serialize(ValueSer {
        out: &mut out,
        place: Place::Top,
    })?;
    Ok(out)
}

/// serde-saphyr's text for `pair`, with stackc's options.
fn saphyr(pair: &Pair<'_>) -> Result<String> {
    super::yaml::saphyr_to_string(pair).map_err(|_| Unsupported)
}

/// A map of one entry over borrowed parts: `key: value`, or `key: 0`
/// without a value. What serde-saphyr is asked about a single string.
struct Pair<'a>(&'a str, Option<&'a str>);

impl Serialize for Pair<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        match self.1 {
            Some(text) => map.serialize_entry(self.0, text)?,
            None => map.serialize_entry(self.0, &0)?,
        }
        map.end()
    }
}

/// Where a value is written.
#[derive(Debug, Clone, Copy)]
enum Place {
    /// The document itself.
    Top,
    /// After `key:` (no space yet); the key sits at column `indent`.
    MapValue { indent: usize },
    /// After `- ` ; the dash sits at column `dash`.
    SeqItem { dash: usize },
}

struct ValueSer<'o> {
    out: &'o mut String,
    place: Place,
}

impl<'o> ValueSer<'o> {
    /// Writes a scalar already in its YAML form.
    fn scalar(self, text: &str) -> Result<()> {
        self.scalar_between("", text, "")
    }

    /// Writes the scalar `before` `text` `after` (its quotes, when quoted),
    /// without assembling it first.
    fn scalar_between(self, before: &str, text: &str, after: &str) -> Result<()> {
        match self.place {
            Place::Top => return Err(Unsupported),
            Place::MapValue { .. } => self.out.push(' '),
            Place::SeqItem { .. } => {}
        }
        self.out.push_str(before);
        self.out.push_str(text);
        self.out.push_str(after);
        self.out.push('\n');
        Ok(())
    }

    /// Writes an integer in decimal, without allocating.
    fn integer(self, negative: bool, magnitude: u64) -> Result<()> {
        let mut digits = [0u8; 20];
        let text = decimal(magnitude, &mut digits)?;
        self.scalar_between(if negative { "-" } else { "" }, text, "")
    }

    fn string(self, text: &str) -> Result<()> {
        if plain_value(text) {
            return self.scalar(text);
        }
        if quoted_value(text) {
            return self.scalar_between("\"", text, "\"");
        }
        // serde-saphyr's own choice, from `k: VALUE\n`.
        let entry = saphyr(&Pair("k", Some(text)))?;
        let value = entry
            .strip_prefix("k: ")
            .and_then(|rest| rest.strip_suffix('\n'))
            .filter(|value| !value.contains('\n'))
            .ok_or(Unsupported)?;
        self.scalar(value)
    }

    fn map(self) -> MapSer<'o> {
        let (indent, inline_first, empty) = match self.place {
            Place::Top => (0, false, "{}\n"),
            Place::MapValue { indent } => (indent + INDENT, false, " {}\n"),
            Place::SeqItem { dash } => (dash + INDENT, true, "{}\n"),
        };
        MapSer {
            out: self.out,
            opener: match self.place {
                Place::MapValue { .. } => "\n",
                _ => "",
            },
            indent,
            inline_first,
            empty,
            entries: 0,
        }
    }
}

/// Spaces to indent with, a slice at a time.
const SPACES: &str = "                                ";

/// Writes `indent` spaces.
fn pad(out: &mut String, indent: usize) {
    let mut left = indent;
    while left > 0 {
        let run = left.min(SPACES.len());
        out.push_str(SPACES.get(..run).unwrap_or_default());
        left -= run;
    }
}

/// `value` in decimal, written at the end of `digits`.
fn decimal(mut value: u64, digits: &mut [u8; 20]) -> Result<&str> {
    let mut start = digits.len();
    loop {
        start -= 1;
        // `value % 10` is a digit; u64::MAX has 20 of them.
        if let Some(slot) = digits.get_mut(start) {
            *slot = b'0' + (value % 10) as u8;
        }
        value /= 10;
        if value == 0 || start == 0 {
            break;
        }
    }
    digits
        .get(start..)
        .and_then(|text| std::str::from_utf8(text).ok())
        .ok_or(Unsupported)
}

/// Whether every byte is printable ASCII (a space to `~`). No early exit,
/// so that it runs a vector at a time.
fn printable_ascii(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .fold(true, |ok, &b| ok & (b.wrapping_sub(0x20) < 0x5f))
}

/// Whether serde-saphyr writes `text`, a value in block context, plainly:
/// a conservative test (false sends the string to serde-saphyr). A
/// [`unit_number`], or printable ASCII starting with a letter, `/` or `$`
/// (never a number, a date, an indicator or a document marker), with no
/// `: `, ` #`, trailing space or trailing `:`, and not a word YAML 1.1 reads
/// as a boolean or null.
pub fn plain_value(text: &str) -> bool {
    let bytes = text.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    if first.is_ascii_digit() {
        return unit_number(bytes);
    }
    if !(first.is_ascii_alphabetic() || first == b'/' || first == b'$')
        || last == b' '
        || last == b':'
    {
        return false;
    }
    if !printable_ascii(bytes) {
        return false;
    }
    // `: ` and ` #`, found from their rarer byte.
    for at in memchr::memchr2_iter(b':', b'#', bytes) {
        let breaks = match bytes.get(at) {
            Some(b':') => bytes.get(at + 1) == Some(&b' '),
            _ => at > 0 && bytes.get(at - 1) == Some(&b' '),
        };
        if breaks {
            return false;
        }
    }
    !maybe_keyword(text)
}

/// A number with a unit (`2s`, `512m`, `1.5GB`): digits, dots and letters,
/// starting with a digit, with a letter that no number, date or time
/// spelling holds (`e` for exponents, `x`, `o`, `b` for radixes are not
/// enough), and none of the radix letters. Always plain.
fn unit_number(bytes: &[u8]) -> bool {
    let radix_or_exponent = |b: u8| matches!(b.to_ascii_lowercase(), b'e' | b'x' | b'o' | b'b');
    bytes
        .iter()
        .all(|&b| b.is_ascii_alphanumeric() || b == b'.')
        && !bytes
            .iter()
            .any(|&b| matches!(b.to_ascii_lowercase(), b'x' | b'o' | b'b'))
        && bytes
            .iter()
            .any(|&b| b.is_ascii_alphabetic() && !radix_or_exponent(b))
}

/// Whether serde-saphyr writes `text`, a value, double-quoted with no
/// escape: a word YAML 1.1 reads as a boolean or null (`false`, `on`,
/// `Null`, ...), or digits and dots (an integer, or a YAML 1.1 float:
/// `8080`, `127.0.0.1`). False sends the string to serde-saphyr.
pub fn quoted_value(text: &str) -> bool {
    maybe_keyword(text)
        || text.as_bytes().first().is_some_and(u8::is_ascii_digit)
            && text.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

/// Whether serde-saphyr writes `text`, a map key, plainly: a conservative
/// test. ASCII letters, digits, `_`, `-`, `.` and `/`, starting with a
/// letter, at most [`MAX_FAST_KEY`] long, and not a word YAML 1.1 reads as a
/// boolean or null.
pub fn plain_key(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.first().is_some_and(u8::is_ascii_alphabetic)
        && bytes.len() <= MAX_FAST_KEY
        && bytes.iter().fold(true, |ok, &b| {
            ok & KEY_BYTES.get(usize::from(b)).copied().unwrap_or(false)
        })
        && !maybe_keyword(text)
}

/// The bytes [`plain_key`] lets through, by value: ASCII letters, digits,
/// `_`, `-`, `.` and `/` (a table: one load a byte, no branch).
const KEY_BYTES: [bool; 256] = key_bytes();

const fn key_bytes() -> [bool; 256] {
    let mut table = [false; 256];
    let mut byte: u8 = 0;
    loop {
        table[byte as usize] =
            byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-' | b'.' | b'/');
        if byte == u8::MAX {
            return table;
        }
        byte += 1;
    }
}

/// Letters only and five or fewer: possibly `null`, `true`, `false`, `nan`,
/// `inf` or a YAML 1.1 boolean (`y`, `no`, `on`, `off`, ...), in any case.
#[inline]
fn maybe_keyword(text: &str) -> bool {
    text.len() <= 5
        // Every word starts with one of these.
        && text.as_bytes().first().is_some_and(|b| {
            matches!(b.to_ascii_lowercase(), b'n' | b't' | b'f' | b'i' | b'y' | b'o')
        })
        && text.bytes().all(|b| b.is_ascii_alphabetic())
        && [
            "null", "true", "false", "nan", "inf", "y", "n", "yes", "no", "on", "off",
        ]
        .iter()
        .any(|word| text.eq_ignore_ascii_case(word))
}

impl<'o> Serializer for ValueSer<'o> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = SeqSer<'o>;
    type SerializeTuple = ser::Impossible<(), Unsupported>;
    type SerializeTupleStruct = ser::Impossible<(), Unsupported>;
    type SerializeTupleVariant = ser::Impossible<(), Unsupported>;
    type SerializeMap = MapSer<'o>;
    type SerializeStruct = MapSer<'o>;
    type SerializeStructVariant = ser::Impossible<(), Unsupported>;

    fn serialize_bool(self, v: bool) -> Result<()> {
        self.scalar(if v { "true" } else { "false" })
    }
    fn serialize_i8(self, v: i8) -> Result<()> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<()> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<()> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<()> {
        self.integer(v < 0, v.unsigned_abs())
    }
    fn serialize_u8(self, v: u8) -> Result<()> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<()> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<()> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u64(self, v: u64) -> Result<()> {
        self.integer(false, v)
    }
    fn serialize_f32(self, _v: f32) -> Result<()> {
        Err(Unsupported)
    }
    fn serialize_f64(self, _v: f64) -> Result<()> {
        Err(Unsupported)
    }
    fn serialize_char(self, v: char) -> Result<()> {
        self.string(v.encode_utf8(&mut [0u8; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<()> {
        self.string(v)
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<()> {
        Err(Unsupported)
    }
    fn serialize_none(self) -> Result<()> {
        self.scalar("null")
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<()> {
        self.scalar("null")
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<()> {
        self.scalar("null")
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<()> {
        self.string(variant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<()> {
        // serde-saphyr's wrappers (flow style, block strings, tags, ...)
        // are newtypes with reserved names.
        if name.starts_with("__") {
            return Err(Unsupported);
        }
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<()> {
        Err(Unsupported)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<SeqSer<'o>> {
        let (dash, opener, empty) = match self.place {
            Place::Top => (0, "", "[]\n"),
            Place::MapValue { indent } => (indent + INDENT, "\n", " []\n"),
            // `- - x`: laid out by serde-saphyr's own rules.
            Place::SeqItem { .. } => return Err(Unsupported),
        };
        Ok(SeqSer {
            out: self.out,
            dash,
            opener,
            empty,
            items: 0,
        })
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple> {
        Err(Unsupported)
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Err(Unsupported)
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(Unsupported)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<MapSer<'o>> {
        Ok(self.map())
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<MapSer<'o>> {
        Ok(self.map())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(Unsupported)
    }
}

/// A block sequence: `- item` lines with the dash at column `dash`.
pub struct SeqSer<'o> {
    out: &'o mut String,
    dash: usize,
    /// Written before the first item (the newline after `key:`).
    opener: &'static str,
    /// Written instead, when there is no item.
    empty: &'static str,
    items: usize,
}

impl ser::SerializeSeq for SeqSer<'_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        if self.items == 0 {
            self.out.push_str(self.opener);
        }
        self.items += 1;
        pad(self.out, self.dash);
        self.out.push_str("- ");
        value.serialize(ValueSer {
            out: self.out,
            place: Place::SeqItem { dash: self.dash },
        })
    }

    fn end(self) -> Result<()> {
        if self.items == 0 {
            self.out.push_str(self.empty);
        }
        Ok(())
    }
}

/// A block mapping: `key: value` lines with keys at column `indent`.
pub struct MapSer<'o> {
    out: &'o mut String,
    /// Written before the first entry (the newline after `key:`).
    opener: &'static str,
    indent: usize,
    /// The first key goes on the current line (after a sequence's dash).
    inline_first: bool,
    /// Written instead, when there is no entry.
    empty: &'static str,
    entries: usize,
}

impl MapSer<'_> {
    fn key_text(&mut self, key: &str) -> Result<()> {
        if self.entries == 0 {
            self.out.push_str(self.opener);
        }
        if !(self.inline_first && self.entries == 0) {
            pad(self.out, self.indent);
        }
        self.entries += 1;
        if plain_key(key) {
            self.out.push_str(key);
        } else {
            // serde-saphyr's own choice, from `KEY: 0\n`.
            let entry = saphyr(&Pair(key, None))?;
            let text = entry.strip_suffix(": 0\n").ok_or(Unsupported)?;
            if text.contains('\n') || text.starts_with('?') {
                return Err(Unsupported);
            }
            self.out.push_str(text);
        }
        self.out.push(':');
        Ok(())
    }

    fn value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        value.serialize(ValueSer {
            out: self.out,
            place: Place::MapValue {
                indent: self.indent,
            },
        })
    }

    fn finish(self) -> Result<()> {
        if self.entries == 0 {
            self.out.push_str(self.empty);
        }
        Ok(())
    }
}

impl SerializeMap for MapSer<'_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<()> {
        key.serialize(KeySer(self))
    }

    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        self.value(value)
    }

    fn end(self) -> Result<()> {
        self.finish()
    }
}

impl ser::SerializeStruct for MapSer<'_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.key_text(key)?;
        self.value(value)
    }

    fn end(self) -> Result<()> {
        self.finish()
    }
}

/// Writes a map key into its map, without copying it first; anything but
/// a string (or a unit variant) is left to serde-saphyr.
struct KeySer<'k, 'o>(&'k mut MapSer<'o>);

impl Serializer for KeySer<'_, '_> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = ser::Impossible<(), Unsupported>;
    type SerializeTuple = ser::Impossible<(), Unsupported>;
    type SerializeTupleStruct = ser::Impossible<(), Unsupported>;
    type SerializeTupleVariant = ser::Impossible<(), Unsupported>;
    type SerializeMap = ser::Impossible<(), Unsupported>;
    type SerializeStruct = ser::Impossible<(), Unsupported>;
    type SerializeStructVariant = ser::Impossible<(), Unsupported>;

    fn serialize_bool(self, _v: bool) -> Result<()> {
        Err(Unsupported)
    }
    fn serialize_i8(self, _v: i8) -> Result<()> {
        Err(Unsupported)
    }
    fn serialize_i16(self, _v: i16) -> Result<()> {
        Err(Unsupported)
    }
    fn serialize_i32(self, _v: i32) -> Result<()> {
        Err(Unsupported)
    }
    fn serialize_i64(self, _v: i64) -> Result<()> {
        Err(Unsupported)
    }
    fn serialize_u8(self, _v: u8) -> Result<()> {
        Err(Unsupported)
    }
    fn serialize_u16(self, _v: u16) -> Result<()> {
        Err(Unsupported)
    }
    fn serialize_u32(self, _v: u32) -> Result<()> {
        Err(Unsupported)
    }
    fn serialize_u64(self, _v: u64) -> Result<()> {
        Err(Unsupported)
    }
    fn serialize_f32(self, _v: f32) -> Result<()> {
        Err(Unsupported)
    }
    fn serialize_f64(self, _v: f64) -> Result<()> {
        Err(Unsupported)
    }
    fn serialize_char(self, v: char) -> Result<()> {
        self.0.key_text(v.encode_utf8(&mut [0u8; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<()> {
        self.0.key_text(v)
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<()> {
        Err(Unsupported)
    }
    fn serialize_none(self) -> Result<()> {
        Err(Unsupported)
    }
    fn serialize_some<T: ?Sized + Serialize>(self, _value: &T) -> Result<()> {
        Err(Unsupported)
    }
    fn serialize_unit(self) -> Result<()> {
        Err(Unsupported)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<()> {
        Err(Unsupported)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<()> {
        self.0.key_text(variant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<()> {
        if name.starts_with("__") {
            return Err(Unsupported);
        }
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<()> {
        Err(Unsupported)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(Unsupported)
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple> {
        Err(Unsupported)
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Err(Unsupported)
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(Unsupported)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Err(Unsupported)
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct> {
        Err(Unsupported)
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(Unsupported)
    }
}

#[cfg(test)]
mod tests;
