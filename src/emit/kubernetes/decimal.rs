//! Exact decimal numbers for the analysis conditions.

/// `value` / 10^`scale` written in decimal, without trailing zeros:
/// `decimal(1_000, 5)` (1 %, in thousandths of a percent, as a fraction) is
/// `0.01`; `decimal(300, 3)` (300 ms in seconds) is `0.3`; `decimal(2_000,
/// 3)` is `2`. No floating point: the condition holds the spec's value.
pub fn decimal(value: u64, scale: u32) -> String {
    let divisor = 10u64.pow(scale);
    let (whole, fraction) = (value / divisor, value % divisor);
    if fraction == 0 {
        return whole.to_string();
    }
    let digits = format!("{fraction:0width$}", width = scale as usize);
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::decimal;

    #[test]
    fn exact_and_short() {
        assert_eq!(decimal(1_000, 5), "0.01");
        assert_eq!(decimal(500, 5), "0.005");
        assert_eq!(decimal(1, 5), "0.00001");
        assert_eq!(decimal(100_000, 5), "1");
        assert_eq!(decimal(300, 3), "0.3");
        assert_eq!(decimal(1_250, 3), "1.25");
        assert_eq!(decimal(0, 3), "0");
    }
}
