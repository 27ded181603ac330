//! Image references and the registry prefixed to them.

use super::runtime::reference_value;
use super::template::reject_template;
use crate::diagnostic::Diagnostics;
use crate::syntax::ast::StringLit;

/// An image reference as written: `[registry/]name[:tag]`, where any part
/// may be a run-time reference such as `${VERSION:-latest}` (a tag from CI).
/// Returns it as written; the registry is prefixed later ([`with_registry`]).
pub fn image(literal: &StringLit, diagnostics: &mut Diagnostics) -> Option<String> {
    if !reject_template(literal, diagnostics) {
        return None;
    }
    reference_value(
        literal,
        |c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/' | ':' | '@'),
        "image reference",
        "an image is written `[registry/]name[:tag]`, such as `newsroom/api:1.4` or `newsroom/api:${VERSION:-latest}`",
        diagnostics,
    )
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
        "a registry is written `host[:port][/path]`, such as `registry.example.com:5000`",
        diagnostics,
    )?;
    Some(value.trim_end_matches('/').to_string())
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
