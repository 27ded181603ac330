//! Durations as the spec writes them, for every emitter.

/// `90s`, `1500ms`, `2m`, `1h`: the largest unit that divides evenly; the
/// form the spec uses, and one Compose (Go) and humans both read.
pub fn format_duration(ms: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(3_600_000, "h"), (60_000, "m"), (1_000, "s")];
    if ms == 0 {
        return "0s".to_string();
    }
    for (size, unit) in UNITS {
        if ms.is_multiple_of(size) {
            return format!("{}{unit}", ms / size);
        }
    }
    format!("{ms}ms")
}

#[cfg(test)]
mod tests {
    use super::format_duration;

    #[test]
    fn largest_unit_that_divides() {
        assert_eq!(format_duration(0), "0s");
        assert_eq!(format_duration(300), "300ms");
        assert_eq!(format_duration(1_500), "1500ms");
        assert_eq!(format_duration(90_000), "90s");
        assert_eq!(format_duration(120_000), "2m");
        assert_eq!(format_duration(3_600_000), "1h");
    }
}
