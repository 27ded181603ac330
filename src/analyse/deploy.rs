//! A component's `deploy { }` block: how a new version takes traffic.

use super::closed_set;
use super::fields::{wrong_type, Fields, Schema};
use super::values::{is_share, not_a_share, positive_duration, HUNDRED_PERCENT};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{Deploy, Strategy};
use crate::source::Span;
use crate::syntax::ast::{Block, Value, ValueKind};

const DEPLOY: Schema = Schema {
    what: "`deploy`",
    attributes: &["strategy", "steps", "interval"],
    blocks: &[],
};

/// The block's deploy; a wrong strategy or steps fall back to the defaults
/// (canary, `[10%, 50%, 100%]` for a canary, `[100%]` otherwise).
pub fn deploy(block: &Block, diagnostics: &mut Diagnostics) -> Option<Deploy> {
    let fields = Fields::read(&block.items, block.span(), &DEPLOY, diagnostics);
    let strategy = match fields.name("strategy", diagnostics) {
        None => Strategy::Canary,
        Some(ident) => Strategy::from_name(&ident.name).unwrap_or_else(|| {
            let mut diagnostic = Diagnostic::error(
                Code::OutOfRange,
                format!("`{}` is not a deploy strategy", ident.name),
            )
            .at(ident.span);
            let names = Strategy::ALL.map(Strategy::as_str);
            if let Some(help) = closed_set::help(&ident.name, &names, "strategies") {
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

/// `steps = [10%, 50%, 100%]`: shares, strictly increasing, ending at 100 %.
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
        if !is_share(weight) {
            diagnostics.push(not_a_share(item, "a step"));
            ok = false;
        } else if let Some((_, span)) = previous.filter(|(before, _)| weight <= *before) {
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
    ok &= ends_at_a_hundred(value, items.is_empty(), previous, ok, diagnostics);
    ok.then_some(steps)
}

/// Reports empty steps, and (when the steps are otherwise right) a last
/// step below 100 %. Returns false when it reported one.
fn ends_at_a_hundred(
    value: &Value,
    empty: bool,
    last: Option<(u64, Span)>,
    ok: bool,
    diagnostics: &mut Diagnostics,
) -> bool {
    match last {
        None if empty => {
            diagnostics.push(
                Diagnostic::error(Code::OutOfRange, "deploy steps cannot be empty")
                    .at(value.span)
                    .with_help("for example `steps = [10%, 50%, 100%]`"),
            );
            false
        }
        Some((last, span)) if last != HUNDRED_PERCENT && ok => {
            diagnostics.push(
                Diagnostic::error(Code::OutOfRange, "deploy steps must end at 100%")
                    .at(span)
                    .with_label("the last step")
                    .with_help("add `100%` as the last step, so the new version takes all traffic"),
            );
            false
        }
        _ => true,
    }
}
