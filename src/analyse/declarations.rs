//! The top level of every file: which blocks exist, and where.

use super::closed_set;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::load::Workspace;
use crate::source::FileId;
use crate::syntax::ast::{Block, Item};

/// Top-level blocks of the whole workspace, in load order.
#[derive(Default)]
pub struct Declarations<'a> {
    pub stacks: Vec<&'a Block>,
    pub environments: Vec<&'a Block>,
    pub toggles: Vec<&'a Block>,
    pub networks: Vec<&'a Block>,
    /// With the file that declares each.
    pub components: Vec<(FileId, &'a Block)>,
    pub secrets: Vec<&'a Block>,
    pub configs: Vec<&'a Block>,
}

const TOP_LEVEL: &[&str] = &[
    "stack",
    "environment",
    "toggle",
    "component",
    "secret",
    "config",
    "network",
    "include",
];

/// Sorts the top-level blocks of every file by kind; reports top-level
/// attributes and unknown blocks.
pub fn collect<'a>(workspace: &'a Workspace, diagnostics: &mut Diagnostics) -> Declarations<'a> {
    let mut declarations = Declarations::default();
    for (file, document) in &workspace.documents {
        for item in &document.items {
            match item {
                Item::Include(_) => {}
                Item::Attribute(attribute) => diagnostics.push(
                    Diagnostic::error(
                        Code::UnknownAttribute,
                        format!("`{}` cannot be set at the top level", attribute.key.name),
                    )
                    .at(attribute.key.span)
                    .with_help("top-level items are `stack`, `environment`, `toggle`, `component`, `secret`, `config`, `network` blocks and `include`"),
                ),
                Item::Block(block) => match block.kind.name.as_str() {
                    "stack" => declarations.stacks.push(block),
                    "environment" => declarations.environments.push(block),
                    "toggle" => declarations.toggles.push(block),
                    "network" => declarations.networks.push(block),
                    "component" => declarations.components.push((*file, block)),
                    "secret" => declarations.secrets.push(block),
                    "config" => declarations.configs.push(block),
                    other => {
                        let mut diagnostic = Diagnostic::error(
                            Code::UnknownAttribute,
                            format!("unknown block `{other}`"),
                        )
                        .at(block.kind.span)
                        .with_label("not a top-level block");
                        if other == "ci" {
                            diagnostic = diagnostic.with_help(
                                "`ci { }` goes inside the `stack` block: `stack NAME { ci { providers = [github] } }`",
                            );
                        } else if let Some(help) =
                            closed_set::help(other, TOP_LEVEL, "top-level items")
                        {
                            diagnostic = diagnostic.with_help(help);
                        }
                        diagnostics.push(diagnostic);
                    }
                },
            }
        }
    }
    declarations
}
