//! A component's `fixtures DEPENDENCY { }` blocks: one-shot loaders that
//! put test data into a dependency once it is up.

use super::build_context::build_context;
use super::fields::{Fields, Schema};
use super::images::{default_image_problem, image};
use super::names::{is_valid_name, NAME_MAX};
use super::runtime::split;
use super::template::reject_template;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::Fixture;
use crate::syntax::ast::{Block, Ident};
use camino::Utf8Path;

const FIXTURES: Schema = Schema {
    what: "a fixtures loader",
    attributes: &["image", "build", "command"],
    blocks: &[],
};

/// The component a loader belongs to.
#[derive(Clone, Copy)]
pub struct Owner<'a> {
    /// Its name.
    pub component: &'a str,
    /// The stack's name.
    pub stack: &'a str,
    /// The workspace root, where build contexts are looked up.
    pub root: &'a Utf8Path,
}

/// The loader `owner` runs against `target`; `None` when it has neither an
/// image nor a build. Its image defaults to `STACK/SERVICE` when it is
/// built.
pub fn fixture(
    owner: Owner,
    target: &Ident,
    block: &Block,
    diagnostics: &mut Diagnostics,
) -> Option<Fixture> {
    let Owner {
        component, stack, ..
    } = owner;
    let fields = Fields::read(&block.items, block.span(), &FIXTURES, diagnostics);
    let image = fields
        .string("image", diagnostics)
        .and_then(|s| image(s, diagnostics));
    let build = fields
        .string("build", diagnostics)
        .and_then(|s| build_context(s, owner.root, true, diagnostics));
    let command = fields.string("command", diagnostics).map(|s| {
        reject_template(s, diagnostics);
        s.value.to_string()
    });
    let service = format!("{component}-fixtures-{}", target.name);
    if service.len() > NAME_MAX && component.len() <= NAME_MAX && target.name.len() <= NAME_MAX {
        diagnostics.push(
            Diagnostic::error(
                Code::InvalidName,
                format!(
                    "the loader's service name `{component}-fixtures-{}` is {} bytes long, more than {NAME_MAX}",
                    target.name,
                    service.len()
                ),
            )
            .at(target.span)
            .with_help("the loader is the Compose service `COMPONENT-fixtures-DEPENDENCY`, a host name on the stack's network (a DNS label holds at most 63 bytes); shorten the component's or the dependency's name"),
        );
    }
    let image = match (image, &build) {
        (Some(image), _) => image,
        (None, Some(_)) => {
            let image = format!("{stack}/{service}");
            let names_valid = [stack, component, target.name.as_str()]
                .into_iter()
                .all(is_valid_name);
            if let Some(problem) = default_image_problem(&image).filter(|_| names_valid) {
                diagnostics.push(
                    Diagnostic::error(
                        Code::InvalidName,
                        format!("the loader's default image `{image}` is not one Docker takes"),
                    )
                    .at(target.span)
                    .with_label(problem)
                    .with_help("give the loader an `image`"),
                );
            }
            image
        }
        // A misspelt or invalid `image` or `build` is reported already.
        (None, None)
            if fields.misspelt("image")
                || fields.misspelt("build")
                || fields.attribute("image").is_some()
                || fields.attribute("build").is_some() =>
        {
            return None
        }
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
        target: target.name.to_string(),
        image: split(&image),
        build,
        command,
    })
}
