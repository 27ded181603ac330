//! stackc's temporary files: how they are named, and how a leftover one is
//! told apart from a file someone named alike.
//!
//! A temporary file is named `.stackc-tmp-RRRRRRRRRRRRRRRR-CCCCCCCC`: 16
//! random hexadecimal digits, then 8 that are a checksum (FNV-1a, 32 bits)
//! of the first 16 under a fixed key. Only a regular file whose name has
//! exactly this shape, with a matching checksum, is ever deleted as a
//! leftover of an interrupted build; `.stackc-tmp-notes`, or a name with a
//! wrong checksum, is the user's.

use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use super::TEMP_PREFIX;

const RANDOM_DIGITS: usize = 16;
const CHECK_DIGITS: usize = 8;
const KEY: &[u8] = b"stackc temporary file\n";

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A fresh temporary file name (no folder).
pub fn new_name() -> String {
    // `RandomState` is seeded randomly per process; the counter and the
    // process id keep names apart within and across processes.
    let mut hasher = std::hash::RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.write_u32(process_id());
    let random = format!("{:016x}", hasher.finish());
    format!("{TEMP_PREFIX}{random}-{:08x}", checksum(&random))
}

/// This process's id, asked once (it is a system call).
fn process_id() -> u32 {
    static ID: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    *ID.get_or_init(std::process::id)
}

/// True when `name` is one stackc made with [`new_name`].
pub fn is_temporary(name: &str) -> bool {
    let Some(rest) = name.strip_prefix(TEMP_PREFIX) else {
        return false;
    };
    let Some((random, check)) = rest.split_once('-') else {
        return false;
    };
    let hex = |text: &str, digits: usize| {
        text.len() == digits
            && text
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    hex(random, RANDOM_DIGITS)
        && hex(check, CHECK_DIGITS)
        && check == format!("{:08x}", checksum(random))
}

/// FNV-1a over the key and `random`.
fn checksum(random: &str) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in KEY.iter().chain(random.as_bytes()) {
        hash ^= u32::from(*byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_names_are_recognised_and_differ() {
        let a = new_name();
        let b = new_name();
        assert_ne!(a, b);
        assert!(is_temporary(&a), "{a}");
        assert!(is_temporary(&b), "{b}");
        assert_eq!(
            a.len(),
            TEMP_PREFIX.len() + RANDOM_DIGITS + 1 + CHECK_DIGITS
        );
    }

    #[test]
    fn names_that_only_look_alike_are_not_temporaries() {
        let real = new_name();
        let forged_check = format!("{}00000000", &real[..real.len() - CHECK_DIGITS]);
        let wrong = if forged_check == real {
            format!("{}11111111", &real[..real.len() - CHECK_DIGITS])
        } else {
            forged_check
        };
        for name in [
            ".stackc-tmp-notes".to_string(),
            ".stackc-tmp-1-2".to_string(),
            ".stackc-tmp-".to_string(),
            format!("{real}.bak"),
            real.to_uppercase(),
            format!("x{real}"),
            wrong,
        ] {
            assert!(!is_temporary(&name), "{name}");
        }
    }
}
