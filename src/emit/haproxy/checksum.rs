//! The checksum Compose is given of a configuration, so that `docker
//! compose up` recreates the `haproxy` service when its configuration
//! changes (a bind-mounted file replaced by a new one is not seen by a
//! running container).

use std::hash::Hasher;

/// FNV-1a, 64 bits (the `fnv` crate), of `bytes`, as `fnv1a64:` and 16
/// hexadecimal digits. Not a defence against anyone: a change detector,
/// stable across platforms and releases.
pub fn checksum(bytes: &[u8]) -> String {
    let mut hasher = fnv::FnvHasher::default();
    hasher.write(bytes);
    format!("fnv1a64:{:016x}", hasher.finish())
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
