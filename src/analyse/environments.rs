//! The `stack` block, environments and feature toggles.

use std::collections::BTreeMap;

use super::fields::{expect_boolean, expect_string, set_twice, Fields, Schema};
use super::names::{check_name, check_variable_name};
use super::runtime::{check_references, protect_escaped_dollars, reference_value, split};
use super::{labels, reject_template};
use crate::diagnostic::{suggestion, Code, Diagnostic, Diagnostics};
use crate::model::{Environment, Stack, Text, Toggle, TEST_ENVIRONMENT};
use crate::source::Span;
use crate::syntax::ast::{Block, Ident, StringLit};

const STACK: Schema = Schema {
    what: "the stack",
    attributes: &["registry"],
    blocks: &[],
};
const ENVIRONMENT: Schema = Schema {
    what: "an environment",
    attributes: &["host"],
    blocks: &["vars"],
};
const VARS: Schema = Schema {
    what: "`vars`",
    attributes: &[],
    blocks: &[],
};

pub fn stack(blocks: &[&Block], diagnostics: &mut Diagnostics) -> Option<Stack> {
    let Some(first) = blocks.first() else {
        diagnostics.push(
            Diagnostic::error(Code::MissingStack, "the workspace has no `stack` block")
                .at(crate::source::Span::new(crate::source::FileId(0), 0, 0)).with_help(
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
    let valid = check_name(name, "stack", diagnostics);
    let fields = Fields::read(&first.items, first.span, &STACK, diagnostics);
    let registry = fields
        .string("registry", diagnostics)
        .and_then(|s| registry(s, diagnostics));
    valid.then(|| Stack {
        name: name.name.clone(),
        registry,
    })
}

/// A registry host, `host[:port][/path]`, prefixed to images; like an image
/// it may hold run-time references (`${REGISTRY:-registry.local:5000}`).
fn registry(literal: &StringLit, diagnostics: &mut Diagnostics) -> Option<String> {
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

/// A checked environment, with spans kept for later diagnostics.
pub struct EnvironmentDecl {
    pub model: Environment,
    pub name_span: Option<Span>,
}

pub fn environments(blocks: &[&Block], diagnostics: &mut Diagnostics) -> Vec<EnvironmentDecl> {
    let mut out: Vec<EnvironmentDecl> = Vec::new();
    for block in blocks {
        let Some(name) = labels::required(block, "environment NAME { }", diagnostics) else {
            continue;
        };
        check_name(name, "environment", diagnostics);
        if let Some(first) = out.iter().find(|e| e.model.name == name.name) {
            let mut diagnostic = Diagnostic::error(
                Code::Duplicate,
                format!("environment `{}` is defined twice", name.name),
            )
            .at(name.span)
            .with_label("defined again here")
            .with_help("rename or remove one of them");
            if let Some(span) = first.name_span {
                diagnostic = diagnostic.also(span, "first defined here");
            }
            diagnostics.push(diagnostic);
            continue;
        }
        let fields = Fields::read(&block.items, block.span, &ENVIRONMENT, diagnostics);
        let host = fields
            .string("host", diagnostics)
            .map(|s| runtime_text(s, diagnostics))
            .unwrap_or_else(|| Text::literal("127.0.0.1"));
        let mut vars = Vec::new();
        if let Some(vars_block) = labels::at_most_once(&fields.blocks, "vars", diagnostics) {
            labels::forbidden(vars_block, diagnostics);
            vars = string_map(vars_block, &VARS, diagnostics)
                .into_iter()
                .map(|(key, literal)| (key.name.clone(), runtime_text(literal, diagnostics)))
                .collect();
        }
        out.push(EnvironmentDecl {
            model: Environment {
                name: name.name.clone(),
                host,
                vars,
                declared: true,
            },
            name_span: Some(name.span),
        });
    }
    if !out.iter().any(|e| e.model.name == TEST_ENVIRONMENT) {
        out.push(EnvironmentDecl {
            model: Environment {
                name: TEST_ENVIRONMENT.to_string(),
                host: Text::literal("127.0.0.1"),
                vars: Vec::new(),
                declared: false,
            },
            name_span: None,
        });
    }
    out
}

/// A block of `NAME = "value"` pairs (environment variables).
pub fn string_map<'a>(
    block: &'a Block,
    schema: &Schema,
    diagnostics: &mut Diagnostics,
) -> Vec<(&'a Ident, &'a StringLit)> {
    let mut out: Vec<(&Ident, &StringLit)> = Vec::new();
    for item in &block.items {
        let crate::syntax::ast::Item::Attribute(attribute) = item else {
            let span = item.span();
            diagnostics.push(
                Diagnostic::error(
                    Code::UnknownAttribute,
                    format!("{} holds only `NAME = \"value\"` pairs", schema.what),
                )
                .at(span)
                .with_help("nested blocks are not allowed here"),
            );
            continue;
        };
        if !check_variable_name(&attribute.key, diagnostics) {
            continue;
        }
        if let Some((first, _)) = out.iter().find(|(k, _)| k.name == attribute.key.name) {
            diagnostics.push(set_twice(
                &attribute.key.name,
                attribute.key.span,
                first.span,
            ));
            continue;
        }
        if attribute.operator != crate::syntax::ast::Operator::Equals {
            diagnostics.push(
                Diagnostic::error(
                    Code::WrongOperator,
                    format!("`{}` takes `=`", attribute.key.name),
                )
                .at(attribute.operator_span),
            );
            continue;
        }
        if let Some(literal) = expect_string(&attribute.value, diagnostics) {
            out.push((&attribute.key, literal));
        }
    }
    out
}

/// A string that may hold `${VAR}` references but no `{{ }}` templates.
pub fn runtime_text(literal: &StringLit, diagnostics: &mut Diagnostics) -> Text {
    reject_template(literal, diagnostics);
    check_references(literal, diagnostics);
    split(&protect_escaped_dollars(literal))
}

const TOGGLE_KEYS: &[&str] = &["default", "variable", "components"];

pub fn toggles(
    blocks: &[&Block],
    environments: &[EnvironmentDecl],
    components: &[&str],
    diagnostics: &mut Diagnostics,
) -> Vec<Toggle> {
    let mut out: Vec<(Toggle, Span)> = Vec::new();
    let environment_names: Vec<&str> = environments.iter().map(|e| e.model.name.as_str()).collect();
    for block in blocks {
        let Some(name) = labels::required(block, "toggle NAME { default = false }", diagnostics)
        else {
            continue;
        };
        check_name(name, "toggle", diagnostics);
        if let Some((_, first)) = out.iter().find(|(t, _)| t.name == name.name) {
            diagnostics.push(
                Diagnostic::error(
                    Code::Duplicate,
                    format!("toggle `{}` is defined twice", name.name),
                )
                .at(name.span)
                .with_label("defined again here")
                .also(*first, "first defined here"),
            );
            continue;
        }
        let mut default = false;
        let mut variable = format!(
            "FEATURE_{}",
            name.name.to_ascii_uppercase().replace('-', "_")
        );
        let mut applies_to: Vec<String> = components.iter().map(|c| c.to_string()).collect();
        let mut per_environment: BTreeMap<String, bool> = BTreeMap::new();
        let mut seen: Vec<&Ident> = Vec::new();
        for item in &block.items {
            let crate::syntax::ast::Item::Attribute(attribute) = item else {
                diagnostics.push(
                    Diagnostic::error(Code::UnknownAttribute, "a toggle holds only attributes")
                        .at(item.span())
                        .with_help("write `default = false` and `ENVIRONMENT = true`"),
                );
                continue;
            };
            let key = &attribute.key;
            if let Some(first) = seen.iter().find(|k| k.name == key.name) {
                diagnostics.push(set_twice(&key.name, key.span, first.span));
                continue;
            }
            seen.push(key);
            match key.name.as_str() {
                "default" => {
                    default = expect_boolean(&attribute.value, diagnostics).unwrap_or(default)
                }
                "variable" => {
                    if let Some(literal) = expect_string(&attribute.value, diagnostics) {
                        let ident = Ident {
                            name: literal.value.clone(),
                            span: literal.span,
                        };
                        if check_variable_name(&ident, diagnostics) {
                            variable = literal.value.clone();
                        }
                    }
                }
                "components" => {
                    let fields_value = &attribute.value;
                    if let crate::syntax::ast::ValueKind::List(items) = &fields_value.kind {
                        let mut named = Vec::new();
                        for item in items {
                            let Some(ident) = super::fields::expect_name(item, diagnostics) else {
                                continue;
                            };
                            if components.contains(&ident.name.as_str()) {
                                named.push(ident.name.clone());
                            } else {
                                let mut diagnostic = Diagnostic::error(
                                    Code::UnknownDependency,
                                    format!("there is no component `{}`", ident.name),
                                )
                                .at(ident.span);
                                if let Some(help) =
                                    suggestion(&ident.name, components, "components")
                                {
                                    diagnostic = diagnostic.with_help(help);
                                }
                                diagnostics.push(diagnostic);
                            }
                        }
                        named.sort();
                        named.dedup();
                        applies_to = named;
                    } else {
                        diagnostics.push(super::fields::wrong_type(
                            fields_value,
                            "a list of component names",
                        ));
                    }
                }
                environment if environment_names.contains(&environment) => {
                    if let Some(value) = expect_boolean(&attribute.value, diagnostics) {
                        per_environment.insert(environment.to_string(), value);
                    }
                }
                other => {
                    let mut candidates: Vec<&str> = TOGGLE_KEYS.to_vec();
                    candidates.extend(environment_names.iter().copied());
                    let mut diagnostic = Diagnostic::error(
                        Code::UnknownEnvironment,
                        format!(
                            "toggle `{}` sets `{other}`, which is not an environment",
                            name.name
                        ),
                    )
                    .at(key.span)
                    .with_label("no such environment");
                    if let Some(help) = suggestion(other, &candidates, "environments and settings")
                    {
                        diagnostic = diagnostic.with_help(help);
                    }
                    diagnostics.push(diagnostic);
                }
            }
        }
        let values = environment_names
            .iter()
            .map(|e| {
                (
                    e.to_string(),
                    per_environment.get(*e).copied().unwrap_or(default),
                )
            })
            .collect();
        let toggle = Toggle {
            name: name.name.clone(),
            variable,
            values,
            components: applies_to,
        };
        // One variable set by two toggles on one component: Compose would
        // keep one of the two values without a word.
        if let Some((other, first)) = out.iter().find(|(other, _)| {
            other.variable == toggle.variable
                && other
                    .components
                    .iter()
                    .any(|c| toggle.components.contains(c))
        }) {
            diagnostics.push(
                Diagnostic::error(
                    Code::Duplicate,
                    format!(
                        "toggles `{}` and `{}` both set `{}`",
                        other.name, toggle.name, toggle.variable
                    ),
                )
                .at(name.span)
                .with_label(format!("this toggle sets `{}`", toggle.variable))
                .also(*first, format!("and so does `{}`", other.name))
                .with_help(
                    "give one of them another `variable`, or apply them to different `components`",
                ),
            );
            continue;
        }
        out.push((toggle, name.span));
    }
    let mut toggles: Vec<Toggle> = out.into_iter().map(|(t, _)| t).collect();
    toggles.sort_by(|a, b| a.name.cmp(&b.name));
    toggles
}
