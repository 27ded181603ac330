//! A component's `placement = ["node.labels.zone == eu-1"]`: the cluster
//! nodes that may run it, in Docker Swarm's constraint syntax.

use super::closed_set;
use super::fields::{expect_string, wrong_type};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{Constraint, NodeAttribute};
use crate::syntax::ast::{StringLit, Value, ValueKind};

/// The attributes written without a key, as Swarm spells them.
const ATTRIBUTES: [(&str, NodeAttribute); 4] = [
    ("node.hostname", NodeAttribute::Hostname),
    ("node.role", NodeAttribute::Role),
    ("node.platform.os", NodeAttribute::Os),
    ("node.platform.arch", NodeAttribute::Arch),
];
const LABELS: &str = "node.labels.";

/// Every constraint of the list, each parsed; the wrong ones reported and
/// left out.
pub fn placement(value: &Value, diagnostics: &mut Diagnostics) -> Vec<Constraint> {
    let ValueKind::List(items) = &value.kind else {
        diagnostics.push(wrong_type(
            value,
            "a list of constraints such as `[\"node.labels.zone == eu-1\"]`",
        ));
        return Vec::new();
    };
    let mut out: Vec<Constraint> = Vec::new();
    for item in items {
        let Some(literal) = expect_string(item, diagnostics) else {
            continue;
        };
        match constraint(&literal.value) {
            Ok(constraint) if out.contains(&constraint) => diagnostics.push(
                Diagnostic::error(
                    Code::Duplicate,
                    format!("`{constraint}` is listed twice in `placement`"),
                )
                .at(literal.span),
            ),
            Ok(constraint) => out.push(constraint),
            Err(problem) => diagnostics.push(problem.diagnostic(literal)),
        }
    }
    out
}

/// What is wrong with one constraint.
#[derive(Debug, PartialEq)]
enum Problem {
    NoOperator,
    UnknownAttribute(String),
    BadLabelKey,
    BadValue,
    BadRole,
}

impl Problem {
    fn diagnostic(&self, literal: &StringLit) -> Diagnostic {
        let (label, help) = match self {
            Problem::NoOperator => (
                "no `==` or `!=`".to_string(),
                "write `node.ATTRIBUTE == VALUE` or `node.ATTRIBUTE != VALUE`".to_string(),
            ),
            Problem::UnknownAttribute(attribute) => {
                let mut names: Vec<&str> = ATTRIBUTES.iter().map(|(name, _)| *name).collect();
                names.push("node.labels.KEY");
                let known = closed_set::help(attribute, &names, "attributes a constraint may test")
                    .unwrap_or_default();
                (
                    format!("`{attribute}` is not a node attribute both Swarm and Kubernetes know"),
                    known,
                )
            }
            Problem::BadLabelKey => (
                "not a node label name".to_string(),
                "a label name is letters, digits, `-`, `_`, `.` and `/`, starting and ending with a letter or digit (Kubernetes' rule)".to_string(),
            ),
            Problem::BadValue => (
                "not a value a node label can hold".to_string(),
                "a value is at most 63 letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit (Kubernetes' rule)".to_string(),
            ),
            Problem::BadRole => (
                "a node's role is `manager` or `worker`".to_string(),
                "write `node.role == manager` or `node.role == worker`".to_string(),
            ),
        };
        Diagnostic::error(Code::PlacementConstraint, "not a placement constraint")
            .at(literal.span)
            .with_label(label)
            .with_help(help)
    }
}

/// `node.labels.zone == eu-1` (spaces around the operator optional).
fn constraint(text: &str) -> Result<Constraint, Problem> {
    let (attribute, equal, value) = if let Some((a, v)) = text.split_once("==") {
        (a, true, v)
    } else if let Some((a, v)) = text.split_once("!=") {
        (a, false, v)
    } else {
        return Err(Problem::NoOperator);
    };
    let (attribute, value) = (attribute.trim(), value.trim());
    let attribute = match ATTRIBUTES.iter().find(|(name, _)| *name == attribute) {
        Some((_, known)) => known.clone(),
        None => match attribute.strip_prefix(LABELS) {
            Some(key) if is_label_key(key) => NodeAttribute::Label(key.to_string()),
            Some(_) => return Err(Problem::BadLabelKey),
            None => return Err(Problem::UnknownAttribute(attribute.to_string())),
        },
    };
    if !is_label_value(value) {
        return Err(Problem::BadValue);
    }
    if attribute == NodeAttribute::Role && !matches!(value, "manager" | "worker") {
        return Err(Problem::BadRole);
    }
    Ok(Constraint {
        attribute,
        equal,
        value: value.to_string(),
    })
}

/// A Kubernetes label name, with an optional `PREFIX/` (a DNS subdomain).
fn is_label_key(key: &str) -> bool {
    let (prefix, name) = key.rsplit_once('/').unwrap_or(("", key));
    let prefix_ok = prefix.is_empty()
        || (prefix.len() <= 253
            && prefix.split('.').all(|part| {
                !part.is_empty()
                    && part
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                    && !part.starts_with('-')
                    && !part.ends_with('-')
            }));
    prefix_ok && !name.is_empty() && is_label_value(name)
}

/// A Kubernetes label value (not empty here: a constraint needs one).
fn is_label_value(value: &str) -> bool {
    let alphanumeric = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    value.len() <= 63
        && alphanumeric(value.chars().next())
        && alphanumeric(value.chars().last())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

#[cfg(test)]
mod tests {
    use super::{constraint, Problem};
    use crate::model::NodeAttribute;

    #[test]
    fn constraints_in_swarm_syntax() {
        let zone = constraint("node.labels.zone == eu-1");
        assert_eq!(
            zone.as_ref().map(|c| c.to_string()).ok().as_deref(),
            Some("node.labels.zone==eu-1")
        );
        let role = constraint("node.role!=manager");
        assert_eq!(
            role.as_ref().map(|c| (&c.attribute, c.equal)).ok(),
            Some((&NodeAttribute::Role, false))
        );
        assert!(constraint("node.labels.topology.kubernetes.io/zone==a").is_ok());
        assert_eq!(
            constraint("node.role = manager").err(),
            Some(Problem::NoOperator)
        );
        assert_eq!(
            constraint("node.role == boss").err(),
            Some(Problem::BadRole)
        );
        assert_eq!(
            constraint("engine.labels.x == y").err(),
            Some(Problem::UnknownAttribute("engine.labels.x".to_string()))
        );
        assert_eq!(
            constraint("node.labels. == y").err(),
            Some(Problem::BadLabelKey)
        );
        assert_eq!(
            constraint("node.labels.zone == eu 1").err(),
            Some(Problem::BadValue)
        );
        assert_eq!(
            constraint("node.labels.zone == ").err(),
            Some(Problem::BadValue)
        );
    }
}
