//! `deploy { }` and `kpi { }`: how a new version takes traffic, and the
//! tolerances that roll it back.

use super::component::positive_duration;
use super::fields::{wrong_type, Fields, Schema};
use crate::diagnostic::{suggestion, Code, Diagnostic, Diagnostics};
use crate::model::{Deploy, Kpi, Strategy};
use crate::source::Span;
use crate::syntax::ast::{Block, Item, Operator, Value, ValueKind};

const DEPLOY: Schema = Schema {
    what: "`deploy`",
    attributes: &["strategy", "steps", "interval"],
    blocks: &[],
};
const KPI: Schema = Schema {
    what: "`kpi`",
    attributes: &["error_rate", "response_time", "min_requests", "failures"],
    blocks: &[],
};

const HUNDRED_PERCENT: u64 = 100_000;

pub fn deploy(block: &Block, diagnostics: &mut Diagnostics) -> Option<Deploy> {
    let fields = Fields::read(&block.items, block.span, &DEPLOY, diagnostics);
    let strategy = match fields.name("strategy", diagnostics) {
        None => Strategy::Canary,
        Some(ident) => Strategy::from_name(&ident.name).unwrap_or_else(|| {
            let mut diagnostic = Diagnostic::error(
                Code::OutOfRange,
                format!("`{}` is not a deploy strategy", ident.name),
            )
            .at(ident.span);
            let names = Strategy::ALL.map(Strategy::as_str);
            if let Some(help) = suggestion(&ident.name, &names, "strategies") {
                diagnostic = diagnostic.with_help(help);
            }
            diagnostics.push(diagnostic);
            Strategy::Canary
        }),
    };
    let interval_ms = positive_duration(&fields, "interval", 30_000, diagnostics);
    let default_steps = match strategy {
        Strategy::Canary => vec![10_000, 50_000, HUNDRED_PERCENT],
        Strategy::BlueGreen | Strategy::Recreate => vec![HUNDRED_PERCENT],
    };
    let steps = match fields.value("steps", diagnostics) {
        None => default_steps,
        Some(value) => steps(value, diagnostics).unwrap_or(default_steps),
    };
    Some(Deploy {
        strategy,
        steps,
        interval_ms,
    })
}

fn steps(value: &Value, diagnostics: &mut Diagnostics) -> Option<Vec<u64>> {
    let ValueKind::List(items) = &value.kind else {
        diagnostics.push(wrong_type(
            value,
            "a list of percentages such as `[10%, 50%, 100%]`",
        ));
        return None;
    };
    let mut steps = Vec::new();
    let mut previous: Option<(u64, Span)> = None;
    let mut ok = true;
    for item in items {
        let ValueKind::Percent(weight) = item.kind else {
            diagnostics.push(wrong_type(item, "a percentage such as `25%`"));
            ok = false;
            continue;
        };
        if weight == 0 || weight > HUNDRED_PERCENT {
            diagnostics.push(
                Diagnostic::error(
                    Code::OutOfRange,
                    "a step must be more than 0% and at most 100%",
                )
                .at(item.span),
            );
            ok = false;
        } else if let Some((before, span)) = previous.filter(|(before, _)| weight <= *before) {
            let _ = before;
            diagnostics.push(
                Diagnostic::error(Code::OutOfRange, "deploy steps must be strictly increasing")
                    .at(item.span)
                    .with_label("not more than the step before")
                    .also(span, "previous step")
                    .with_help(
                        "each step shifts more traffic to the new version, ending at `100%`",
                    ),
            );
            ok = false;
        }
        previous = Some((weight, item.span));
        steps.push(weight);
    }
    match previous {
        None if items.is_empty() => {
            diagnostics.push(
                Diagnostic::error(Code::OutOfRange, "deploy steps cannot be empty")
                    .at(value.span)
                    .with_help("for example `steps = [10%, 50%, 100%]`"),
            );
            ok = false;
        }
        Some((last, span)) if last != HUNDRED_PERCENT && ok => {
            diagnostics.push(
                Diagnostic::error(Code::OutOfRange, "deploy steps must end at 100%")
                    .at(span)
                    .with_label("the last step")
                    .with_help("add `100%` as the last step, so the new version takes all traffic"),
            );
            ok = false;
        }
        _ => {}
    }
    ok.then_some(steps)
}

pub fn kpi(block: &Block, diagnostics: &mut Diagnostics) -> Option<Kpi> {
    let fields = Fields::read(&block.items, block.span, &KPI, diagnostics);
    let tolerance = |key: &str, diagnostics: &mut Diagnostics| -> Option<&Value> {
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
    };
    let error_rate = tolerance("error_rate", diagnostics).and_then(|value| match value.kind {
        ValueKind::Percent(rate) if rate > 0 && rate <= HUNDRED_PERCENT => Some(rate),
        ValueKind::Percent(_) => {
            diagnostics.push(
                Diagnostic::error(
                    Code::OutOfRange,
                    "an error rate must be more than 0% and at most 100%",
                )
                .at(value.span),
            );
            None
        }
        _ => {
            diagnostics.push(wrong_type(value, "a percentage such as `1%`"));
            None
        }
    });
    let response_time_ms =
        tolerance("response_time", diagnostics).and_then(|value| match value.kind {
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
    let count = |key: &str, minimum: i64, default: u64, diagnostics: &mut Diagnostics| -> u64 {
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
    };
    let min_requests = count("min_requests", 0, 20, diagnostics);
    let failures = count("failures", 1, 1, diagnostics);
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
    Some(Kpi {
        error_rate,
        response_time_ms,
        min_requests,
        failures,
    })
}
