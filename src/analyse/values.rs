//! Value checks shared by the block analysers: durations, percentages,
//! counts and port numbers, each with the diagnostic for a value out of
//! range.

use super::fields::{wrong_type, Fields};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::syntax::ast::{Value, ValueKind};

pub use crate::model::HUNDRED_PERCENT;

/// The duration `key` in milliseconds: `default` when absent, wrongly typed
/// or zero (zero is reported).
pub fn positive_duration(
    fields: &Fields,
    key: &str,
    default: u64,
    diagnostics: &mut Diagnostics,
) -> u64 {
    let Some(value) = fields.duration(key, diagnostics) else {
        return default;
    };
    if value == 0 {
        if let Some(attribute) = fields.attribute(key) {
            diagnostics.push(
                Diagnostic::error(
                    Code::OutOfRange,
                    format!("`{key}` must be longer than zero"),
                )
                .at(attribute.value.span)
                .with_label("zero"),
            );
        }
        return default;
    }
    value
}

/// Whether a percentage (in thousandths of a percent) is a share of traffic
/// or requests: more than 0 % and at most 100 %.
pub fn is_share(thousandths: u64) -> bool {
    thousandths > 0 && thousandths <= HUNDRED_PERCENT
}

/// `what` (`a step`, `an error rate`) is not a share: see [`is_share`].
pub fn not_a_share(value: &Value, what: &str) -> Diagnostic {
    Diagnostic::error(
        Code::OutOfRange,
        format!("{what} must be more than 0% and at most 100%"),
    )
    .at(value.span)
}

/// The number `key`: `default` when absent, wrongly typed or below
/// `minimum` (reported).
pub fn count_at_least(
    fields: &Fields,
    key: &str,
    minimum: i64,
    default: u64,
    diagnostics: &mut Diagnostics,
) -> u64 {
    match fields.integer(key, diagnostics) {
        None => default,
        Some((n, span)) if n < minimum => {
            diagnostics.push(
                Diagnostic::error(
                    Code::OutOfRange,
                    format!("`{key}` must be at least {minimum}"),
                )
                .at(span),
            );
            default
        }
        Some((n, _)) => u64::try_from(n).unwrap_or(default),
    }
}

/// A port number, 1 to 65535.
pub fn port_number(value: &Value, diagnostics: &mut Diagnostics) -> Option<u16> {
    match value.kind {
        ValueKind::Integer(n) => match u16::try_from(n) {
            Ok(port) if port > 0 => Some(port),
            _ => {
                diagnostics.push(
                    Diagnostic::error(Code::OutOfRange, format!("{n} is not a port number"))
                        .at(value.span)
                        .with_help("ports are numbers from 1 to 65535"),
                );
                None
            }
        },
        _ => {
            let mut diagnostic = wrong_type(value, "a port number");
            if matches!(value.kind, ValueKind::String(_)) {
                diagnostic = diagnostic.with_help(
                    "write `http = 8080`, or `http = { container = 80  publish = 8080 }` to publish it on another host port",
                );
            }
            diagnostics.push(diagnostic);
            None
        }
    }
}
