//! A component's `resources { requests { } limits { } }`: CPU and memory
//! per replica, for clusters.

use super::fields::{wrong_type, Fields, Schema};
use super::labels;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{Amounts, Resources};
use crate::syntax::ast::{Block, Value, ValueKind};

const RESOURCES: Schema = Schema {
    what: "`resources`",
    attributes: &[],
    blocks: &["requests", "limits"],
};
const AMOUNTS: Schema = Schema {
    what: "an amount block",
    attributes: &["cpu", "memory"],
    blocks: &[],
};

/// The block's resources; a bad amount is reported and left out. A request
/// above its limit is reported (Kubernetes refuses such a Pod).
pub fn resources(block: &Block, diagnostics: &mut Diagnostics) -> Resources {
    let fields = Fields::read(&block.items, block.span(), &RESOURCES, diagnostics);
    let block_amounts = |kind: &str, diagnostics: &mut Diagnostics| {
        let Some(block) = labels::at_most_once(&fields.blocks, kind, diagnostics) else {
            return (Amounts::default(), Spans::default());
        };
        labels::forbidden(block, diagnostics);
        amounts(block, diagnostics)
    };
    let (requests, request_spans) = block_amounts("requests", diagnostics);
    let (limits, limit_spans) = block_amounts("limits", diagnostics);
    let checks = [
        (
            "CPU",
            requests.cpu_millis,
            limits.cpu_millis,
            request_spans.cpu,
            limit_spans.cpu,
        ),
        (
            "memory",
            requests.memory_bytes,
            limits.memory_bytes,
            request_spans.memory,
            limit_spans.memory,
        ),
    ];
    for (what, request, limit, request_span, limit_span) in checks {
        if let (Some(request), Some(limit), Some(span), Some(limit_span)) =
            (request, limit, request_span, limit_span)
        {
            if request > limit {
                diagnostics.push(above_limit(what, span, limit_span));
            }
        }
    }
    Resources { requests, limits }
}

/// Where each amount was written, for the request-above-limit check.
#[derive(Default)]
struct Spans {
    cpu: Option<crate::source::Span>,
    memory: Option<crate::source::Span>,
}

fn amounts(block: &Block, diagnostics: &mut Diagnostics) -> (Amounts, Spans) {
    let fields = Fields::read(&block.items, block.span(), &AMOUNTS, diagnostics);
    let cpu = fields.value("cpu", diagnostics);
    let memory = fields.value("memory", diagnostics);
    let amounts = Amounts {
        cpu_millis: cpu.and_then(|v| cpu_millis(v, diagnostics)),
        memory_bytes: memory.and_then(|v| memory_bytes(v, diagnostics)),
    };
    let spans = Spans {
        cpu: cpu.map(|v| v.span),
        memory: memory.map(|v| v.span),
    };
    (amounts, spans)
}

fn above_limit(what: &str, span: crate::source::Span, limit: crate::source::Span) -> Diagnostic {
    Diagnostic::error(
        Code::ResourceAmount,
        format!("the {what} request is above the {what} limit"),
    )
    .at(span)
    .with_label("the request")
    .also(limit, "the limit")
    .with_help("Kubernetes refuses a request above its limit; raise the limit or lower the request")
}

/// `cpu = "0.5"`, `"2"`, `"250m"` or `2`: thousandths of a CPU, more than 0.
fn cpu_millis(value: &Value, diagnostics: &mut Diagnostics) -> Option<u64> {
    let text = match &value.kind {
        ValueKind::String(s) => s.value.as_str(),
        ValueKind::Integer(n) if *n > 0 => {
            return u64::try_from(*n).ok().and_then(|n| n.checked_mul(1000));
        }
        ValueKind::Integer(_) => {
            diagnostics.push(bad_cpu(value, "not more than zero"));
            return None;
        }
        // `cpu = 250m` reads as 250 minutes.
        ValueKind::Duration(_) => {
            diagnostics.push(
                wrong_type(value, "a number of CPUs such as `\"0.5\"`").with_help(
                    "CPU amounts are strings: write millicores in quotes, `cpu = \"250m\"`",
                ),
            );
            return None;
        }
        _ => {
            diagnostics.push(wrong_type(value, "a number of CPUs such as `\"0.5\"`"));
            return None;
        }
    };
    let parsed = match parse_cpu(text) {
        Ok(0) => Err("not more than zero"),
        other => other,
    };
    parsed
        .map_err(|problem| diagnostics.push(bad_cpu(value, problem)))
        .ok()
}

/// `"1.25"` → 1250, `"250m"` → 250; the problem in words otherwise.
fn parse_cpu(text: &str) -> Result<u64, &'static str> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some(millis) = text.strip_suffix('m') {
        if !digits(millis) {
            return Err("not a number of millicores");
        }
        return millis.parse().map_err(|_| "too large");
    }
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if !digits(whole) || !(fraction.is_empty() || digits(fraction)) || text.ends_with('.') {
        return Err("not a decimal number of CPUs");
    }
    if fraction.len() > 3 {
        return Err("finer than a thousandth of a CPU, which Kubernetes cannot express");
    }
    let whole: u64 = whole.parse().map_err(|_| "too large")?;
    let fraction: u64 = format!("{fraction:0<3}").parse().map_err(|_| "too large")?;
    whole
        .checked_mul(1000)
        .and_then(|w| w.checked_add(fraction))
        .ok_or("too large")
}

fn bad_cpu(value: &Value, problem: &str) -> Diagnostic {
    Diagnostic::error(Code::ResourceAmount, "not a CPU amount")
        .at(value.span)
        .with_label(problem)
        .with_help("write CPUs as a decimal string such as `\"0.5\"` or `\"2\"`, or millicores such as `\"250m\"`")
}

/// The binary units a memory amount may take, and their factors.
const MEMORY_UNITS: [(&str, u64); 4] = [
    ("Ki", 1 << 10),
    ("Mi", 1 << 20),
    ("Gi", 1 << 30),
    ("Ti", 1 << 40),
];

/// `memory = "256Mi"`: bytes, more than 0. A unit that Compose and
/// Kubernetes read differently (`M`: 2^20 bytes to Docker, 10^6 to
/// Kubernetes) is refused, with the binary unit to write instead.
fn memory_bytes(value: &Value, diagnostics: &mut Diagnostics) -> Option<u64> {
    let ValueKind::String(literal) = &value.kind else {
        diagnostics.push(wrong_type(value, "an amount of memory such as `\"256Mi\"`"));
        return None;
    };
    let text = literal.value.as_str();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let bad = |label: String, help: String| {
        Diagnostic::error(Code::ResourceAmount, "not an amount of memory")
            .at(value.span)
            .with_label(label)
            .with_help(help)
    };
    let usage = "write a number of bytes, or one with `Ki`, `Mi`, `Gi` or `Ti` (powers of 1,024), such as `\"256Mi\"`";
    if number.is_empty() {
        diagnostics.push(bad("no number".to_string(), usage.to_string()));
        return None;
    }
    let factor = if unit.is_empty() {
        Some(1)
    } else {
        MEMORY_UNITS
            .iter()
            .find(|(u, _)| *u == unit)
            .map(|(_, f)| *f)
    };
    let Some(factor) = factor else {
        let binary = match unit.to_ascii_lowercase().trim_end_matches('b') {
            "k" | "ki" => Some("Ki"),
            "m" | "mi" => Some("Mi"),
            "g" | "gi" => Some("Gi"),
            "t" | "ti" => Some("Ti"),
            _ => None,
        };
        let diagnostic = match binary {
            Some(binary) => bad(
                format!("`{unit}` means a power of 1,024 to Docker and of 1,000 to Kubernetes"),
                format!(
                    "write `\"{number}{binary}\"` for {number} × 1,024{}, or the number of bytes",
                    match binary {
                        "Ki" => "",
                        "Mi" => "²",
                        "Gi" => "³",
                        _ => "⁴",
                    }
                ),
            ),
            None => bad(
                format!("`{unit}` is not a unit of memory"),
                usage.to_string(),
            ),
        };
        diagnostics.push(diagnostic);
        return None;
    };
    match number
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(factor))
    {
        Some(0) => {
            diagnostics.push(bad("not more than zero".to_string(), usage.to_string()));
            None
        }
        Some(bytes) => Some(bytes),
        None => {
            diagnostics.push(bad("too large".to_string(), usage.to_string()));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_cpu;

    #[test]
    fn cpus_read_as_decimals_or_millicores() {
        assert_eq!(parse_cpu("0.5"), Ok(500));
        assert_eq!(parse_cpu("2"), Ok(2000));
        assert_eq!(parse_cpu("1.25"), Ok(1250));
        assert_eq!(parse_cpu("0.001"), Ok(1));
        assert_eq!(parse_cpu("250m"), Ok(250));
        assert!(parse_cpu("0.0005").is_err());
        assert!(parse_cpu(".5").is_err());
        assert!(parse_cpu("1.").is_err());
        assert!(parse_cpu("-1").is_err());
        assert!(parse_cpu("1e3").is_err());
        assert!(parse_cpu("m").is_err());
        assert!(parse_cpu("99999999999999999999").is_err());
    }
}
