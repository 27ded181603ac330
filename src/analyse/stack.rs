//! The `stack` block: the stack's name, its registry and its `ci` block.

use super::ci::{self, CiDraft};
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
    blocks: &["ci"],
};

/// The checked `stack` block: the Model's part, and the `ci` block checked
/// on its own ([`ci::check`] checks the rest once components are known).
pub struct StackDecl {
    /// With `ci: None`; the analyser sets it after [`ci::check`].
    pub model: Stack,
    pub ci: Option<CiDraft>,
}

/// The workspace's one `stack` block; reports none or more than one.
pub fn stack(blocks: &[&Block], diagnostics: &mut Diagnostics) -> Option<StackDecl> {
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
    let fields = Fields::read(&first.items, first.span(), &STACK, diagnostics);
    let registry = fields
        .string("registry", diagnostics)
        .and_then(|s| registry(s, diagnostics));
    let ci = labels::at_most_once(&fields.blocks, "ci", diagnostics).map(|block| {
        labels::forbidden(block, diagnostics);
        ci::lower(block, diagnostics)
    });
    Some(StackDecl {
        model: Stack {
            name: name.name.to_string(),
            registry,
            ci: None,
        },
        ci,
    })
}
