//! A component's `kpi { }` block: the tolerances that roll a deploy back.

use super::fields::{wrong_type, Fields, Schema};
use super::values::{count_at_least, is_share, not_a_share};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{Kpi, Tolerance};
use crate::syntax::ast::{Block, Item, Operator, Value, ValueKind};

const KPI: Schema = Schema {
    what: "`kpi`",
    attributes: &["error_rate", "response_time", "min_requests", "failures"],
    blocks: &[],
};

/// The block's tolerances; it needs at least one of `error_rate` and
/// `response_time`.
pub fn kpi(block: &Block, diagnostics: &mut Diagnostics) -> Option<Kpi> {
    let fields = Fields::read(&block.items, block.span, &KPI, diagnostics);
    let error_rate =
        tolerance(&fields, "error_rate", diagnostics).and_then(|value| match value.kind {
            ValueKind::Percent(rate) if is_share(rate) => Some(rate),
            ValueKind::Percent(_) => {
                diagnostics.push(not_a_share(value, "an error rate"));
                None
            }
            _ => {
                diagnostics.push(wrong_type(value, "a percentage such as `1%`"));
                None
            }
        });
    let response_time_ms =
        tolerance(&fields, "response_time", diagnostics).and_then(|value| match value.kind {
            ValueKind::Duration(ms) if ms > 0 => Some(ms),
            ValueKind::Duration(_) => {
                diagnostics.push(
                    Diagnostic::error(Code::OutOfRange, "a response time must be longer than zero")
                        .at(value.span),
                );
                None
            }
            _ => {
                diagnostics.push(wrong_type(value, "a duration such as `300ms`"));
                None
            }
        });
    let min_requests = count_at_least(&fields, "min_requests", 0, 20, diagnostics);
    let failures = count_at_least(&fields, "failures", 1, 1, diagnostics);
    require_a_tolerance(&fields, block, diagnostics);
    Some(Kpi {
        error_rate: error_rate.map(Tolerance::limit),
        response_time: response_time_ms.map(Tolerance::limit),
        min_requests,
        failures,
        inconclusive_limit: 10,
    })
}

/// The value of tolerance `key`, which takes `<`.
fn tolerance<'a>(
    fields: &Fields<'a>,
    key: &str,
    diagnostics: &mut Diagnostics,
) -> Option<&'a Value> {
    let attribute = fields.attribute(key)?;
    if attribute.operator != Operator::Less {
        diagnostics.push(
            Diagnostic::error(
                Code::WrongOperator,
                format!("`{key}` is a tolerance: it takes `<`"),
            )
            .at(attribute.operator_span)
            .with_help(format!(
                "write `{key} < ...`: the deploy rolls back when it is reached"
            )),
        );
        return None;
    }
    Some(&attribute.value)
}

fn require_a_tolerance(fields: &Fields, block: &Block, diagnostics: &mut Diagnostics) {
    // A misspelt tolerance is already reported as unknown: say nothing more.
    let misspelt = block.items.iter().any(
        |item| matches!(item, Item::Attribute(a) if !KPI.attributes.contains(&a.key.name.as_str())),
    );
    if fields.attribute("error_rate").is_none()
        && fields.attribute("response_time").is_none()
        && !misspelt
    {
        diagnostics.push(
            Diagnostic::error(Code::MissingAttribute, "`kpi` needs at least one tolerance")
                .at(block.kind.span)
                .with_help("for example `error_rate < 1%` or `response_time < 300ms`"),
        );
    }
}
