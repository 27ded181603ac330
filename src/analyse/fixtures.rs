//! A component's `fixtures DEPENDENCY { }` blocks: one-shot loaders that
//! put test data into a dependency once it is up.

use super::fields::{Fields, Schema};
use super::images::image;
use super::paths::relative_path;
use super::runtime::split;
use super::template::reject_template;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::Fixture;
use crate::syntax::ast::{Block, Ident};

const FIXTURES: Schema = Schema {
    what: "a fixtures loader",
    attributes: &["image", "build", "command"],
    blocks: &[],
};

/// The loader `component` runs against `target`; `None` when it has
/// neither an image nor a build. Its image defaults to `STACK/SERVICE`
/// when it is built.
pub fn fixture(
    component: &str,
    target: &Ident,
    block: &Block,
    stack: &str,
    diagnostics: &mut Diagnostics,
) -> Option<Fixture> {
    let fields = Fields::read(&block.items, block.span, &FIXTURES, diagnostics);
    let image = fields
        .string("image", diagnostics)
        .and_then(|s| image(s, diagnostics));
    let build = fields
        .string("build", diagnostics)
        .and_then(|s| relative_path(s, "build context", diagnostics));
    let command = fields.string("command", diagnostics).map(|s| {
        reject_template(s, diagnostics);
        s.value.clone()
    });
    let service = format!("{component}-fixtures-{}", target.name);
    let image = match (image, &build) {
        (Some(image), _) => image,
        (None, Some(_)) => format!("{stack}/{service}"),
        (None, None) => {
            diagnostics.push(
                Diagnostic::error(
                    Code::MissingAttribute,
                    "a fixtures loader needs an `image` or a `build`",
                )
                .at(block.kind.span)
                .with_help("add `image = \"team/fixtures\"`"),
            );
            return None;
        }
    };
    Some(Fixture {
        service,
        target: target.name.clone(),
        image: split(&image),
        build,
        command,
    })
}
