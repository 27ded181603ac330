//! `toggle NAME { }` blocks: feature switches with a value per environment.

use std::collections::{BTreeMap, HashSet};

use super::closed_set;
use super::environments::EnvironmentDecl;
use super::fields::{
    defined_twice, expect_boolean, expect_name, expect_string, set_twice, wrong_type,
};
use super::labels;
use super::names::{check_name, check_variable_name};
use crate::diagnostic::{suggestion, Code, Diagnostic, Diagnostics};
use crate::model::Toggle;
use crate::source::Span;
use crate::syntax::ast::{Attribute, Block, Ident, Item, Value, ValueKind};

const TOGGLE_KEYS: &[&str] = &["default", "variable", "components"];

/// Every toggle, sorted by name; duplicates and toggles whose variable
/// another toggle sets on the same component are reported and left out.
pub fn toggles(
    blocks: &[&Block],
    environments: &[EnvironmentDecl],
    components: &[&str],
    diagnostics: &mut Diagnostics,
) -> Vec<Toggle> {
    let mut out: Vec<(Toggle, Span)> = Vec::new();
    let environment_names: Vec<&str> = environments.iter().map(|e| e.model.name.as_str()).collect();
    let known = Known {
        environments: &environment_names,
        components,
        component_set: components.iter().copied().collect(),
    };
    for block in blocks {
        let Some(name) = labels::required(block, "toggle NAME { default = false }", diagnostics)
        else {
            continue;
        };
        check_name(name, "toggle", diagnostics);
        if let Some((_, first)) = out.iter().find(|(t, _)| t.name == name.name) {
            diagnostics.push(defined_twice(
                format!("toggle `{}` is defined twice", name.name),
                name.span,
                Some(*first),
            ));
            continue;
        }
        let toggle = toggle(name, block, &known, diagnostics);
        if !sets_a_taken_variable(&out, &toggle, name.span, diagnostics) {
            out.push((toggle, name.span));
        }
    }
    let mut toggles: Vec<Toggle> = out.into_iter().map(|(t, _)| t).collect();
    toggles.sort_by(|a, b| a.name.cmp(&b.name));
    toggles
}

/// The names a toggle may refer to.
struct Known<'a> {
    environments: &'a [&'a str],
    components: &'a [&'a str],
    /// `components` as a set, for lookups that must not scan the list.
    component_set: HashSet<&'a str>,
}

/// A toggle's settings as read so far.
struct Settings {
    default: bool,
    variable: String,
    applies_to: Vec<String>,
    per_environment: BTreeMap<String, bool>,
}

fn toggle(name: &Ident, block: &Block, known: &Known, diagnostics: &mut Diagnostics) -> Toggle {
    let mut settings = Settings {
        default: false,
        variable: format!(
            "FEATURE_{}",
            name.name.to_ascii_uppercase().replace('-', "_")
        ),
        applies_to: known.components.iter().map(|c| c.to_string()).collect(),
        per_environment: BTreeMap::new(),
    };
    let mut seen: Vec<&Ident> = Vec::new();
    for item in &block.items {
        let Item::Attribute(attribute) = item else {
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
        setting(&mut settings, name, attribute, known, diagnostics);
    }
    let values = known
        .environments
        .iter()
        .map(|e| {
            let value = settings.per_environment.get(*e).copied();
            (e.to_string(), value.unwrap_or(settings.default))
        })
        .collect();
    Toggle {
        name: name.name.to_string(),
        variable: settings.variable,
        values,
        components: settings.applies_to,
    }
}

/// Reads one `key = value` of toggle `name` into `settings`.
fn setting(
    settings: &mut Settings,
    name: &Ident,
    attribute: &Attribute,
    known: &Known,
    diagnostics: &mut Diagnostics,
) {
    let key = &attribute.key;
    match key.name.as_str() {
        "default" => {
            settings.default =
                expect_boolean(&attribute.value, diagnostics).unwrap_or(settings.default)
        }
        "variable" => {
            if let Some(literal) = expect_string(&attribute.value, diagnostics) {
                let ident = Ident {
                    name: literal.value.clone(),
                    span: literal.span,
                };
                if check_variable_name(&ident, diagnostics) {
                    settings.variable = literal.value.to_string();
                }
            }
        }
        "components" => {
            if let Some(named) = applies_to(&attribute.value, known, diagnostics) {
                settings.applies_to = named;
            }
        }
        environment if known.environments.contains(&environment) => {
            if let Some(value) = expect_boolean(&attribute.value, diagnostics) {
                settings
                    .per_environment
                    .insert(environment.to_string(), value);
            }
        }
        other => {
            let mut candidates: Vec<&str> = TOGGLE_KEYS.to_vec();
            candidates.extend(known.environments.iter().copied());
            let mut diagnostic = Diagnostic::error(
                Code::UnknownEnvironment,
                format!(
                    "toggle `{}` sets `{other}`, which is not an environment",
                    name.name
                ),
            )
            .at(key.span)
            .with_label("no such environment");
            if let Some(help) = closed_set::help(other, &candidates, "settings and environments") {
                diagnostic = diagnostic.with_help(help);
            }
            diagnostics.push(diagnostic);
        }
    }
}

/// `components = [...]`: the known components named, sorted, each once;
/// `None` when the value is not a list.
fn applies_to(value: &Value, known: &Known, diagnostics: &mut Diagnostics) -> Option<Vec<String>> {
    let ValueKind::List(items) = &value.kind else {
        diagnostics.push(wrong_type(value, "a list of component names"));
        return None;
    };
    let mut named = Vec::new();
    for item in items {
        let Some(ident) = expect_name(item, diagnostics) else {
            continue;
        };
        if known.component_set.contains(ident.name.as_str()) {
            named.push(ident.name.to_string());
        } else {
            let mut diagnostic = Diagnostic::error(
                Code::UnknownDependency,
                format!("there is no component `{}`", ident.name),
            )
            .at(ident.span);
            if let Some(help) = suggestion(&ident.name, known.components, "components") {
                diagnostic = diagnostic.with_help(help);
            }
            diagnostics.push(diagnostic);
        }
    }
    named.sort();
    named.dedup();
    Some(named)
}

/// One variable set by two toggles on one component: Compose would keep
/// one of the two values without a word. Returns true when it reported it.
fn sets_a_taken_variable(
    earlier: &[(Toggle, Span)],
    toggle: &Toggle,
    span: Span,
    diagnostics: &mut Diagnostics,
) -> bool {
    let reach: HashSet<&str> = toggle.components.iter().map(String::as_str).collect();
    let Some((other, first)) = earlier.iter().find(|(other, _)| {
        other.variable == toggle.variable
            && other.components.iter().any(|c| reach.contains(c.as_str()))
    }) else {
        return false;
    };
    diagnostics.push(
        Diagnostic::error(
            Code::Duplicate,
            format!(
                "toggles `{}` and `{}` both set `{}`",
                other.name, toggle.name, toggle.variable
            ),
        )
        .at(span)
        .with_label(format!("this toggle sets `{}`", toggle.variable))
        .also(*first, format!("and so does `{}`", other.name))
        .with_help("give one of them another `variable`, or apply them to different `components`"),
    );
    true
}
