//! The `stack` block: the stack's name and its registry.

use super::fields::{Fields, Schema};
use super::images::registry;
use super::labels;
use super::names::check_name;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::Stack;
use crate::source::{FileId, Span};
use crate::syntax::ast::Block;

const STACK: Schema = Schema {
    what: "the stack",
    attributes: &["registry"],
    blocks: &[],
};

/// The workspace's one `stack` block; reports none or more than one.
pub fn stack(blocks: &[&Block], diagnostics: &mut Diagnostics) -> Option<Stack> {
    let Some(first) = blocks.first() else {
        diagnostics.push(
            Diagnostic::error(Code::MissingStack, "the workspace has no `stack` block")
                .at(Span::new(FileId(0), 0, 0)).with_help(
                "add `stack NAME { }` to the Stackfile; its name prefixes Compose project names",
            ),
        );
        return None;
    };
    for again in blocks.iter().skip(1) {
        diagnostics.push(
            Diagnostic::error(
                Code::MissingStack,
                "the workspace has more than one `stack` block",
            )
            .at(again.kind.span)
            .with_label("another stack here")
            .also(first.kind.span, "first stack here")
            .with_help("a workspace describes one stack; keep one `stack` block"),
        );
    }
    labels::required(first, "stack NAME { }", diagnostics);
    let name = first.label.as_ref()?;
    // An invalid name is reported; the stack is kept all the same, so
    // templates reading `stack.name` say nothing more (there is no model).
    check_name(name, "stack", diagnostics);
    let fields = Fields::read(&first.items, first.span, &STACK, diagnostics);
    let registry = fields
        .string("registry", diagnostics)
        .and_then(|s| registry(s, diagnostics));
    Some(Stack {
        name: name.name.clone(),
        registry,
        ci: None,
    })
}
