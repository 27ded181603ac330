//! What a component asks of a cluster node: CPU and memory, requested and
//! at most.

/// A component's `resources { requests { } limits { } }`, in Kubernetes'
/// words: what the scheduler reserves for each replica (`requests`; Swarm's
/// `reservations`) and what a replica may use at most (`limits`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Resources {
    #[serde(skip_serializing_if = "Amounts::is_empty")]
    pub requests: Amounts,
    #[serde(skip_serializing_if = "Amounts::is_empty")]
    pub limits: Amounts,
}

impl Resources {
    /// Whether the spec gives no amount at all.
    pub fn is_empty(&self) -> bool {
        self.requests.is_empty() && self.limits.is_empty()
    }
}

/// CPU and memory for one replica; `None` where the spec gives none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Amounts {
    /// In thousandths of a CPU (Kubernetes' millicores): `"0.5"` is 500.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu_millis: Option<u64>,
    /// In bytes: `"256Mi"` is 268,435,456.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory_bytes: Option<u64>,
}

impl Amounts {
    /// Whether neither amount is given.
    pub fn is_empty(&self) -> bool {
        self.cpu_millis.is_none() && self.memory_bytes.is_none()
    }
}

/// `millis` thousandths of a CPU as a decimal number of CPUs, with no
/// trailing zeros: 500 → `0.5`, 2000 → `2`, 1250 → `1.25`, 1 → `0.001`
/// (Compose's `cpus`).
pub fn cpus_decimal(millis: u64) -> String {
    let (whole, fraction) = (millis / 1000, millis % 1000);
    if fraction == 0 {
        return whole.to_string();
    }
    let digits = format!("{fraction:03}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

/// `millis` thousandths of a CPU in Kubernetes' quantity notation: whole
/// CPUs as a number (`2`), anything else in millicores (`500m`).
pub fn cpus_kubernetes(millis: u64) -> String {
    if millis.is_multiple_of(1000) {
        (millis / 1000).to_string()
    } else {
        format!("{millis}m")
    }
}

/// The binary units both notations share, largest first: Kubernetes'
/// suffix, Compose's suffix (Docker reads `k`, `m`, `g` as powers of 1,024:
/// `RAMInBytes` in github.com/docker/go-units) and the factor.
const BINARY_UNITS: [(&str, &str, u64); 3] = [
    ("Gi", "g", 1 << 30),
    ("Mi", "m", 1 << 20),
    ("Ki", "k", 1 << 10),
];

/// `bytes` in Kubernetes' quantity notation, in the largest binary unit
/// that divides it: 268,435,456 → `256Mi`; a number of bytes otherwise.
pub fn memory_kubernetes(bytes: u64) -> String {
    match binary_unit(bytes) {
        Some((count, (kubernetes, _, _))) => format!("{count}{kubernetes}"),
        None => bytes.to_string(),
    }
}

/// `bytes` in Compose's byte notation, in the largest binary unit that
/// divides it: 268,435,456 → `256m`; a number of bytes with `b` otherwise.
pub fn memory_compose(bytes: u64) -> String {
    match binary_unit(bytes) {
        Some((count, (_, compose, _))) => format!("{count}{compose}"),
        None => format!("{bytes}b"),
    }
}

/// The largest binary unit that divides `bytes`, and how many of it.
fn binary_unit(bytes: u64) -> Option<(u64, (&'static str, &'static str, u64))> {
    BINARY_UNITS
        .into_iter()
        .find(|(_, _, factor)| bytes > 0 && bytes.is_multiple_of(*factor))
        .map(|unit| (bytes / unit.2, unit))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpus_are_written_without_trailing_zeros() {
        assert_eq!(cpus_decimal(500), "0.5");
        assert_eq!(cpus_decimal(2000), "2");
        assert_eq!(cpus_decimal(1250), "1.25");
        assert_eq!(cpus_decimal(1), "0.001");
        assert_eq!(cpus_decimal(10), "0.01");
        assert_eq!(cpus_kubernetes(500), "500m");
        assert_eq!(cpus_kubernetes(3000), "3");
        assert_eq!(cpus_kubernetes(1250), "1250m");
    }

    #[test]
    fn memory_takes_the_largest_binary_unit_that_divides_it() {
        assert_eq!(memory_kubernetes(256 << 20), "256Mi");
        assert_eq!(memory_kubernetes(2 << 30), "2Gi");
        assert_eq!(memory_kubernetes(1536 << 20), "1536Mi");
        assert_eq!(memory_kubernetes(1000), "1000");
        assert_eq!(memory_compose(256 << 20), "256m");
        assert_eq!(memory_compose(3 << 10), "3k");
        assert_eq!(memory_compose(1000), "1000b");
    }
}
