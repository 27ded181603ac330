//! Block labels: `component api { }` needs one, `health { }` takes none.

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::syntax::ast::{Block, Ident};

/// The block's label; reports a missing one, showing `example`.
pub fn required<'a>(
    block: &'a Block,
    example: &str,
    diagnostics: &mut Diagnostics,
) -> Option<&'a Ident> {
    if block.label.is_none() {
        diagnostics.push(
            Diagnostic::error(
                Code::MissingAttribute,
                format!("a `{}` block needs a name", block.kind.name),
            )
            .at(block.kind.span)
            .with_help(format!("write `{example}`")),
        );
    }
    block.label.as_ref()
}

/// Reports a label on a block that takes none.
pub fn forbidden(block: &Block, diagnostics: &mut Diagnostics) {
    if let Some(label) = &block.label {
        diagnostics.push(
            Diagnostic::error(
                Code::UnknownAttribute,
                format!("a `{}` block takes no name", block.kind.name),
            )
            .at(label.span)
            .with_help(format!("write `{} {{ ... }}`", block.kind.name)),
        );
    }
}

/// Reports the second and later blocks of a kind that may appear once.
pub fn at_most_once<'a>(
    blocks: &[&'a Block],
    kind: &str,
    diagnostics: &mut Diagnostics,
) -> Option<&'a Block> {
    let mut matching = blocks.iter().filter(|b| b.kind.name == kind);
    let first = matching.next().copied();
    if let Some(first) = first {
        for again in matching {
            diagnostics.push(
                Diagnostic::error(Code::Duplicate, format!("`{kind}` is given twice"))
                    .at(again.kind.span)
                    .with_label("given again here")
                    .also(first.kind.span, "first given here")
                    .with_help(format!("merge the two `{kind}` blocks")),
            );
        }
    }
    first
}
