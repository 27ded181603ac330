//! The checksum Compose is given of a configuration, so that `docker
//! compose up` recreates the `haproxy` service when its configuration
//! changes (a bind-mounted file replaced by a new one is not seen by a
//! running container).

/// FNV-1a, 64 bits, of `bytes`, as `fnv1a64:` and 16 hexadecimal digits
/// (the output layer names its temporary files with the same function, at
/// 32 bits). Not a defence against anyone: a change detector, stable across
/// platforms and releases.
pub fn checksum(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("fnv1a64:{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::checksum;

    #[test]
    fn known_values() {
        // The reference values of the FNV specification.
        assert_eq!(checksum(b""), "fnv1a64:cbf29ce484222325");
        assert_eq!(checksum(b"a"), "fnv1a64:af63dc4c8601ec8c");
        assert_ne!(checksum(b"ab"), checksum(b"ba"));
    }
}
