//! Run-time references replaced by their defaults: Kubernetes interpolates
//! nothing, so manifests hold the value a reference has when it is unset.

use crate::model::{Text, TextPart, VarOperator};

/// `text` with each `${NAME:-word}` or `${NAME-word}` replaced by its word
/// (itself resolved the same way: `${A:-${B:-x}}` is `x`). The analyser
/// lets no other reference reach a Kubernetes manifest (E0127); one that
/// did would be kept as written.
pub fn with_defaults(text: &Text) -> String {
    let mut out = String::new();
    for part in &text.parts {
        match part {
            TextPart::Literal(literal) => out.push_str(literal),
            TextPart::Variable {
                operator: Some(VarOperator::DefaultIfEmpty | VarOperator::DefaultIfUnset),
                ..
            } => out.push_str(&with_defaults(&part.word_text())),
            TextPart::Variable { .. } => out.push_str(&part.reference()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::with_defaults;
    use crate::model::split_references;

    #[test]
    fn references_become_their_defaults() {
        for (written, resolved) in [
            ("shop/api:${VERSION:-latest}", "shop/api:latest"),
            (
                "${REGISTRY-reg.example}/api:${TAG:-${VERSION:-1}}",
                "reg.example/api:1",
            ),
            ("plain", "plain"),
            ("x:${TAG}", "x:${TAG}"),
        ] {
            assert_eq!(
                with_defaults(&split_references(written)),
                resolved,
                "{written}"
            );
        }
    }
}
