//! Image references and the registry prefixed to them.

use super::image_reference;
use super::runtime::{reference_value, split};
use super::template::reject_template;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{TextPart, VarOperator};
use crate::syntax::ast::StringLit;

/// An image reference as written: `[registry/]name[:tag]`, where any part
/// may be a run-time reference such as `${VERSION:-latest}` (a tag from CI).
/// Returns it as written; the registry is prefixed later ([`with_registry`]).
pub fn image(literal: &StringLit, diagnostics: &mut Diagnostics) -> Option<String> {
    if !reject_template(literal, diagnostics) {
        return None;
    }
    let value = reference_value(
        literal,
        |c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/' | ':' | '@'),
        "image reference",
        IMAGE_FORM,
        diagnostics,
    )?;
    let digest_known = value.split_once('@').is_none_or(|(_, d)| !d.contains('$'));
    if let Some(problem) = image_reference::problem(&as_docker_sees_it(&value), digest_known) {
        diagnostics.push(
            Diagnostic::error(
                Code::InvalidName,
                format!("`{value}` is not an image reference Docker takes"),
            )
            .at(literal.span)
            .with_label(problem)
            .with_help(IMAGE_FORM),
        );
        return None;
    }
    Some(value)
}

const REGISTRY_FORM: &str =
    "a registry is written `host[:port][/path]`, such as `registry.example.com:5000`";

/// The image stackc names for `name` when the spec gives none: it must be
/// one Docker takes (`web_` would end in a separator). Returns what is
/// wrong with it.
pub fn default_image_problem(image: &str) -> Option<String> {
    image_reference::problem(image, true)
}

const IMAGE_FORM: &str = "an image is written `[registry/]name[:tag]`, such as `newsroom/api:1.4` or `newsroom/api:${VERSION:-latest}`";

/// The image with each run-time reference replaced by its default (when
/// it has a plain one: that is what Docker gets when the variable is not
/// set) or by `x`, a stand-in valid anywhere in a reference.
fn as_docker_sees_it(image: &str) -> String {
    split(image)
        .parts
        .iter()
        .map(|part| match part {
            TextPart::Literal(text) => text.clone(),
            TextPart::Variable {
                operator: Some(VarOperator::DefaultIfEmpty | VarOperator::DefaultIfUnset),
                word,
                ..
            } if !word.is_empty() && !word.contains('$') => word.clone(),
            TextPart::Variable { .. } => "x".to_string(),
        })
        .collect()
}

/// A registry host, `host[:port][/path]`, prefixed to images; like an image
/// it may hold run-time references (`${REGISTRY:-registry.local:5000}`).
/// Returned without a trailing `/`.
pub fn registry(literal: &StringLit, diagnostics: &mut Diagnostics) -> Option<String> {
    if !reject_template(literal, diagnostics) {
        return None;
    }
    let value = reference_value(
        literal,
        |c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/' | ':'),
        "registry",
        REGISTRY_FORM,
        diagnostics,
    )?;
    let value = value.trim_end_matches('/').to_string();
    // Docker reads it as the front of every image it is prefixed to.
    let image = format!("{}/image", as_docker_sees_it(&value));
    if let Some(problem) = image_reference::problem(&image, true) {
        diagnostics.push(
            Diagnostic::error(
                Code::InvalidName,
                format!("`{value}` is not a registry Docker takes"),
            )
            .at(literal.span)
            .with_label(problem)
            .with_help(REGISTRY_FORM),
        );
        return None;
    }
    Some(value)
}

/// Prefixes the stack's registry unless the image names a registry itself
/// (its first part has a `.` or `:`, or is `localhost`) or starts with a
/// run-time reference, which may hold a registry of its own.
pub fn with_registry(image: &str, registry: Option<&str>) -> String {
    let Some(registry) = registry.filter(|_| !image.starts_with('$')) else {
        return image.to_string();
    };
    let first = image.split('/').next().unwrap_or("");
    let has_registry =
        image.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    if has_registry {
        image.to_string()
    } else {
        format!("{registry}/{image}")
    }
}
