//! `pre_start`: init containers Compose runs before the service. Each hook
//! takes the container keys of a service, so each is checked with the same
//! table, in a hook's scope.

use super::fields::wrong_type;
use super::pass_through::lower_keys;
use super::pass_through_node::{NodeKind, PassNode};
use super::pass_through_scope::PassScope;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::PassValue;

/// The hooks as the Model keeps them; each hook's keys are checked as a
/// hook's. `None`, reported, when `pre_start` is not a list.
pub fn hooks(
    node: &PassNode,
    scope: &PassScope,
    diagnostics: &mut Diagnostics,
) -> Option<PassValue> {
    let NodeKind::List(items) = &node.kind else {
        diagnostics.push(
            Diagnostic::error(Code::WrongType, "`pre_start` takes a list of hooks")
                .at(node.span)
                .with_help("write `pre_start = [{ command = [\"...\"] }]`"),
        );
        return None;
    };
    let hook = PassScope {
        hook: true,
        ..*scope
    };
    let mut out = Vec::new();
    for item in items {
        match &item.kind {
            NodeKind::Map(entries) => {
                out.push(PassValue::Map(lower_keys(entries, &hook, diagnostics)));
            }
            NodeKind::Scalar(value) => {
                diagnostics.push(wrong_type(value, "a map of container keys"));
            }
            _ => diagnostics.push(
                Diagnostic::error(Code::WrongType, "a hook is a map of container keys")
                    .at(item.span)
                    .with_help("write `{ command = [\"...\"] }`"),
            ),
        }
    }
    Some(PassValue::List(out))
}
