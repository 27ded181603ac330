//! A component's `kpi { }` block: the tolerances that roll a deploy back.
//!
//! A tolerance is an absolute ceiling (`error_rate < 5%`), a margin over
//! the stable slot (`error_rate < stable + 0.5%`), or both, each on its own
//! line. The other attributes are read through the block's schema.

use super::fields::{set_twice, wrong_type, Fields, Schema};
use super::values::{count_at_least, is_share, not_a_share, HUNDRED_PERCENT};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{Kpi, Tolerance};
use crate::syntax::ast::{
    Attribute, Block, Item, Operator, Relative, RelativeOperator, Value, ValueKind,
};

const KPI: Schema = Schema {
    what: "`kpi`",
    attributes: &[
        "error_rate",
        "response_time",
        "min_requests",
        "failures",
        "inconclusive_limit",
    ],
    blocks: &[],
};

/// The base a relative tolerance is measured against: the slot serving the
/// current version.
const STABLE: &str = "stable";

/// The two KPIs a deploy judges, and what their values are.
#[derive(Clone, Copy)]
enum Measure {
    /// `error_rate`: a percentage.
    ErrorRate,
    /// `response_time`: a duration.
    ResponseTime,
}

impl Measure {
    const ALL: [Measure; 2] = [Measure::ErrorRate, Measure::ResponseTime];

    fn key(self) -> &'static str {
        match self {
            Measure::ErrorRate => "error_rate",
            Measure::ResponseTime => "response_time",
        }
    }

    fn of_key(key: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.key() == key)
    }

    /// An example tolerance of each form, for help texts.
    fn example(self, relative: bool) -> &'static str {
        match (self, relative) {
            (Measure::ErrorRate, false) => "error_rate < 1%",
            (Measure::ErrorRate, true) => "error_rate < stable + 0.5%",
            (Measure::ResponseTime, false) => "response_time < 300ms",
            (Measure::ResponseTime, true) => "response_time < stable + 50ms",
        }
    }
}

/// The block's tolerances; it needs at least one of `error_rate` and
/// `response_time`.
pub fn kpi(block: &Block, diagnostics: &mut Diagnostics) -> Option<Kpi> {
    // Tolerances may be written twice (once in each form) and percentile
    // keys get their own message: both are kept from the schema's reading,
    // which would call them "set twice" and "unknown".
    let mut tolerances: Vec<&Attribute> = Vec::new();
    let mut others: Vec<Item> = Vec::new();
    let mut percentile = false;
    for item in &block.items {
        match item {
            Item::Attribute(a) if Measure::of_key(&a.key.name).is_some() => tolerances.push(a),
            Item::Attribute(a) if names_a_percentile(&a.key.name) => {
                diagnostics.push(percentile_refused(a));
                percentile = true;
            }
            _ => others.push(item.clone()),
        }
    }
    let fields = Fields::read(&others, block.span(), &KPI, diagnostics);
    let error_rate = tolerance(&tolerances, Measure::ErrorRate, diagnostics);
    let response_time = tolerance(&tolerances, Measure::ResponseTime, diagnostics);
    let min_requests = count_at_least(&fields, "min_requests", 0, 20, diagnostics);
    let failures = count_at_least(&fields, "failures", 1, 1, diagnostics);
    let inconclusive_limit = count_at_least(&fields, "inconclusive_limit", 1, 10, diagnostics);
    // A misspelt or percentile tolerance is already reported: say nothing more.
    if tolerances.is_empty() && !fields.has_unknown() && !percentile {
        diagnostics.push(
            Diagnostic::error(Code::MissingAttribute, "`kpi` needs at least one tolerance")
                .at(block.kind.span)
                .with_help("for example `error_rate < 1%` or `response_time < 300ms`"),
        );
    }
    Some(Kpi {
        error_rate,
        response_time,
        min_requests,
        failures,
        inconclusive_limit,
    })
}

/// The tolerance on `measure` from its lines among `attributes`: at most
/// one absolute and one relative; `None` when neither is valid.
fn tolerance(
    attributes: &[&Attribute],
    measure: Measure,
    diagnostics: &mut Diagnostics,
) -> Option<Tolerance> {
    let key = measure.key();
    let mut absolute: Option<&Attribute> = None;
    let mut relative: Option<&Attribute> = None;
    for attribute in attributes.iter().copied().filter(|a| a.key.name == key) {
        if attribute.operator != Operator::Less {
            diagnostics.push(wrong_operator(attribute, measure));
            continue;
        }
        let form = match attribute.value.kind {
            ValueKind::Relative(_) => &mut relative,
            _ => &mut absolute,
        };
        match form {
            Some(first) => diagnostics.push(set_twice(key, attribute.key.span, first.key.span)),
            None => *form = Some(attribute),
        }
    }
    let limit = absolute.and_then(|a| limit(&a.value, measure, diagnostics));
    let over_stable = relative.and_then(|a| match &a.value.kind {
        ValueKind::Relative(r) => margin(r, measure, diagnostics),
        _ => None,
    });
    (limit.is_some() || over_stable.is_some()).then_some(Tolerance { limit, over_stable })
}

/// `error_rate <= 1%` or `error_rate = 1%`.
fn wrong_operator(attribute: &Attribute, measure: Measure) -> Diagnostic {
    let key = measure.key();
    Diagnostic::error(
        Code::WrongOperator,
        format!("`{key}` is a tolerance: it takes `<`"),
    )
    .at(attribute.operator_span())
    .with_help(format!(
        "write `{key} < ...`: the deploy rolls back when it is reached"
    ))
}

/// The absolute ceiling: a share of responses, or a response time longer
/// than zero.
fn limit(value: &Value, measure: Measure, diagnostics: &mut Diagnostics) -> Option<u64> {
    match (measure, &value.kind) {
        (Measure::ErrorRate, ValueKind::Percent(rate)) if is_share(*rate) => Some(*rate),
        (Measure::ErrorRate, ValueKind::Percent(_)) => {
            diagnostics.push(not_a_share(value, "an error rate"));
            None
        }
        (Measure::ErrorRate, _) => {
            diagnostics.push(wrong_type(value, "a percentage such as `1%`"));
            None
        }
        (Measure::ResponseTime, ValueKind::Duration(ms)) if *ms > 0 => Some(*ms),
        (Measure::ResponseTime, ValueKind::Duration(_)) => {
            diagnostics.push(
                Diagnostic::error(Code::OutOfRange, "a response time must be longer than zero")
                    .at(value.span),
            );
            None
        }
        (Measure::ResponseTime, _) => {
            diagnostics.push(wrong_type(value, "a duration such as `300ms`"));
            None
        }
    }
}

/// `stable + AMOUNT`: the margin over the stable slot, in the KPI's unit
/// (thousandths of a percent, or milliseconds). Reports another base,
/// `-`, and an amount of another kind.
fn margin(relative: &Relative, measure: Measure, diagnostics: &mut Diagnostics) -> Option<u64> {
    let key = measure.key();
    let mut ok = true;
    if relative.base.name != STABLE {
        diagnostics.push(
            Diagnostic::error(
                Code::OutOfRange,
                format!(
                    "a tolerance is relative to `{STABLE}`, not to `{}`",
                    relative.base.name
                ),
            )
            .at(relative.base.span)
            .with_label("not a base a deploy measures")
            .with_help(format!(
                "`{STABLE}` is the slot serving the current version, measured over the same window as the canary: write `{}`",
                measure.example(true)
            )),
        );
        ok = false;
    }
    if relative.operator == RelativeOperator::Minus {
        diagnostics.push(
            Diagnostic::error(
                Code::WrongOperator,
                format!("a relative tolerance adds a margin to `{STABLE}`: it takes `+`"),
            )
            .at(relative.operator_span)
            .with_label("not `+`")
            .with_help(format!(
                "write `{}`: the window is bad when the canary exceeds the stable slot by the margin; a canary better than the stable slot is never held against it",
                measure.example(true)
            )),
        );
        ok = false;
    }
    let amount = &relative.amount;
    let margin = match (measure, &amount.kind) {
        (Measure::ErrorRate, ValueKind::Percent(p)) if *p <= HUNDRED_PERCENT => Some(*p),
        (Measure::ErrorRate, ValueKind::Percent(_)) => {
            diagnostics.push(
                Diagnostic::error(
                    Code::OutOfRange,
                    "the margin of an error rate must be at most 100%",
                )
                .at(amount.span)
                .with_help("an error rate is at most 100%: a larger margin could never be reached"),
            );
            None
        }
        (Measure::ResponseTime, ValueKind::Duration(ms)) => Some(*ms),
        (Measure::ErrorRate, _) => {
            diagnostics.push(wrong_unit(
                amount,
                key,
                "a percentage such as `0.5%`",
                measure,
            ));
            None
        }
        (Measure::ResponseTime, _) => {
            diagnostics.push(wrong_unit(
                amount,
                key,
                "a duration such as `50ms`",
                measure,
            ));
            None
        }
    };
    margin.filter(|_| ok)
}

/// A margin that is not in the KPI's unit: `error_rate < stable + 50ms`.
fn wrong_unit(amount: &Value, key: &str, expected: &str, measure: Measure) -> Diagnostic {
    let what = match measure {
        Measure::ErrorRate => "a share of responses: its margin is a percentage",
        Measure::ResponseTime => "a duration: its margin is one too",
    };
    wrong_type(amount, expected).with_help(format!(
        "`{key}` is {what}, as in `{}`",
        measure.example(true)
    ))
}

/// Whether a key names a percentile: one of its words (split at `_`, `-`
/// and `.`) is `p` and digits (`p99`, `p999`), digits and `th` (`99th`),
/// or `percentile`, `quantile`, `median` or `pctl`. `response_time_p99`,
/// `latency_p95`, `p99`, `response_time.p99`, `99th_percentile`.
fn names_a_percentile(key: &str) -> bool {
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    key.to_ascii_lowercase().split(['_', '-', '.']).any(|word| {
        word.strip_prefix('p').is_some_and(all_digits)
            || word.strip_suffix("th").is_some_and(all_digits)
            || matches!(
                word,
                "percentile" | "percentiles" | "quantile" | "quantiles" | "median" | "pctl"
            )
    })
}

/// A percentile tolerance: HAProxy gives no percentile to judge.
fn percentile_refused(attribute: &Attribute) -> Diagnostic {
    Diagnostic::error(
        Code::UnknownAttribute,
        format!(
            "`{}` is a percentile, which a deploy cannot judge: HAProxy measures an average response time (`rtime`, over the last 1,024 responses)",
            attribute.key.name
        ),
    )
    .at(attribute.key.span)
    .with_label("a percentile")
    .with_help("use `response_time < 300ms`, a ceiling on that average (or `response_time < stable + 50ms`, a margin over the stable slot's)")
}

#[cfg(test)]
mod tests {
    use super::names_a_percentile;
    use crate::analyse::tests::{codes, model};
    use crate::model::{Kpi, Tolerance};

    /// The KPIs of a routed component whose `kpi` block holds `body`.
    fn kpi_of(body: &str) -> Option<Kpi> {
        model(&routed(body))
            .component("api")
            .and_then(|c| c.kpi.clone())
    }

    fn routed(body: &str) -> String {
        format!(
            "stack s {{ }}\ncomponent api {{\n  ports = {{ http = 8080 }}\n  health {{ http = \"/health\" }}\n  route public {{ host = \"api.example\" }}\n  kpi {{\n{body}\n  }}\n}}\n"
        )
    }

    #[test]
    fn a_kpi_written_in_both_forms_fills_both_limits() {
        let kpi =
            kpi_of("error_rate < stable + 0.5%\nerror_rate < 5%\nresponse_time < stable + 50ms")
                .expect("kpi");
        assert_eq!(
            kpi.error_rate,
            Some(Tolerance {
                limit: Some(5_000),
                over_stable: Some(500),
            })
        );
        assert_eq!(
            kpi.response_time,
            Some(Tolerance {
                limit: None,
                over_stable: Some(50),
            })
        );
        // The order of the two lines does not matter.
        let swapped = kpi_of("error_rate < 5%\nerror_rate < stable + 0.5%").expect("kpi");
        assert_eq!(swapped.error_rate.and_then(|t| t.over_stable), Some(500));
    }

    #[test]
    fn counts_default_and_are_read() {
        let defaults = kpi_of("response_time < 300ms").expect("kpi");
        assert_eq!(defaults.error_rate, None);
        assert_eq!(defaults.response_time, Some(Tolerance::limit(300)));
        assert_eq!(
            (
                defaults.min_requests,
                defaults.failures,
                defaults.inconclusive_limit
            ),
            (20, 1, 10)
        );
        let set = kpi_of("error_rate < 1%\nmin_requests = 0\nfailures = 3\ninconclusive_limit = 4")
            .expect("kpi");
        assert_eq!(
            (set.min_requests, set.failures, set.inconclusive_limit),
            (0, 3, 4)
        );
    }

    #[test]
    fn a_margin_may_be_zero_but_not_beyond_a_whole_error_rate() {
        let kpi = kpi_of("error_rate < stable + 0%\nresponse_time < stable + 0ms").expect("kpi");
        assert_eq!(kpi.error_rate.and_then(|t| t.over_stable), Some(0));
        assert_eq!(kpi.response_time.and_then(|t| t.over_stable), Some(0));
        assert_eq!(
            codes(&routed("error_rate < stable + 100%")),
            Vec::<&str>::new()
        );
        assert_eq!(codes(&routed("error_rate < stable + 100.001%")), ["E0108"]);
    }

    #[test]
    fn every_wrong_relative_tolerance_is_one_diagnostic() {
        for (body, expected) in [
            ("error_rate < canary + 1%", "E0108"),
            ("error_rate < stable - 1%", "E0117"),
            ("error_rate < stable + \"x\"", "E0110"),
            ("error_rate < stable + 50ms", "E0110"),
            ("response_time < stable + 1%", "E0110"),
            ("response_time < stable + 5", "E0110"),
            ("error_rate <= stable + 1%", "E0117"),
            (
                "error_rate < stable + 1%\nerror_rate < stable + 2%",
                "E0101",
            ),
            ("error_rate < 1%\nerror_rate < 2%", "E0101"),
            ("error_rate < 1%\nfailures = stable + 1", "E0110"),
            ("response_time_p99 < 300ms", "E0109"),
            ("error_rate < 1%\ninconclusive_limit = 0", "E0108"),
        ] {
            assert_eq!(codes(&routed(body)), [expected], "{body}");
        }
    }

    #[test]
    fn percentile_keys_are_told_from_the_kpis() {
        for key in [
            "response_time_p99",
            "latency_p95",
            "p99",
            "P50",
            "response_time.p99",
            "response_time-p999",
            "99th_percentile",
            "response_time_percentile",
            "median_latency",
            "latency.quantile",
        ] {
            assert!(names_a_percentile(key), "{key}");
        }
        for key in [
            "error_rate",
            "response_time",
            "min_requests",
            "failures",
            "inconclusive_limit",
            "p",
            "pth",
            "throughput",
            "latency",
            "p99x",
        ] {
            assert!(!names_a_percentile(key), "{key}");
        }
    }
}
