//! Resolves every component's environment variables for every environment:
//! templates checked once (with exact columns), rendered per environment,
//! then split into literal text and run-time references.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use fnv::FnvHashMap;
use minijinja::value::Value as JinjaValue;

use super::component::ComponentDraft;
use super::env::EnvSource;
use super::environments::EnvironmentDecl;
use super::images::with_registry;
use super::runtime::{check_references, protect_escaped_dollars, protect_text, split};
use super::template::{self, ComponentPorts, InDoubt, Renderer, Scope, SharedContext};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{EnvVar, Graph, Port, Stack, Text, Toggle};
use crate::syntax::ast::Ident;

/// One list of variables per draft, in the same order as `drafts`.
pub fn resolve(
    drafts: &[ComponentDraft],
    environments: &[EnvironmentDecl],
    stack: Option<&Stack>,
    graph: Option<&Graph>,
    toggles: &[Toggle],
    diagnostics: &mut Diagnostics,
) -> Vec<Vec<EnvVar>> {
    let registry = stack.and_then(|s| s.registry.as_deref());
    let components = component_values(drafts, registry);
    let by_name: Arc<FnvHashMap<String, JinjaValue>> = Arc::new(
        components
            .iter()
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect(),
    );
    let components_value = JinjaValue::from(components);
    let stack_value = stack_value(stack);
    let mut resolver = Resolver {
        scope: scope(drafts, environments, stack),
        shared: environments
            .iter()
            .map(|e| {
                let context = SharedContext::new(
                    env_value(e),
                    stack_value.clone(),
                    components_value.clone(),
                    Arc::clone(&by_name),
                );
                (e.model.name.clone(), context)
            })
            .collect(),
        renderer: Renderer::default(),
        graph,
        rendered: FnvHashMap::default(),
        strings: FnvHashMap::default(),
        plain: FnvHashMap::default(),
    };
    // Each toggle's components as a set: a toggle names every component by
    // default, and scanning that list per component is quadratic. Its
    // values are the same for every component it reaches: built once.
    let toggle_reach: Vec<ToggleReach> = toggles
        .iter()
        .map(|toggle| ToggleReach {
            toggle,
            components: toggle.components.iter().map(String::as_str).collect(),
            values: Arc::new(
                toggle
                    .values
                    .iter()
                    .map(|(env, on)| (env.clone(), Text::literal(on.to_string())))
                    .collect(),
            ),
        })
        .collect();
    let mut out = Vec::with_capacity(drafts.len());
    for draft in drafts {
        let name = draft.name.name.as_str();
        let this = by_name.get(name).cloned().unwrap_or_default();
        let mut vars = Vec::new();
        for (key, source) in &draft.env {
            let values = resolver.values(draft, &this, source, diagnostics);
            check_length(key, &values, diagnostics);
            vars.push(EnvVar {
                name: key.name.clone(),
                values,
                secret: draft.cluster.secrets.iter().any(|s| s.name == key.name),
            });
        }
        vars.extend(toggle_vars(draft, &toggle_reach, diagnostics));
        out.push(vars);
    }
    out
}

/// A variable's value in each environment, by environment name. Shared
/// (an `Arc`) by every variable whose values are the same: most values of
/// a large workspace are written alike by many components.
type Values = Arc<BTreeMap<String, Text>>;

/// A toggle, the components it reaches and its variable's values.
struct ToggleReach<'t> {
    toggle: &'t Toggle,
    components: HashSet<&'t str>,
    values: Values,
}

/// What every variable is resolved against.
struct Resolver<'a> {
    scope: Scope,
    /// Each environment's name and shared template context, in order.
    shared: Vec<(String, SharedContext)>,
    renderer: Renderer,
    graph: Option<&'a Graph>,
    /// The values of templates that never read `self`, by source: the same
    /// for every component that writes them (`{{ env.vars.LOG }}`,
    /// `{{ db.host }}`).
    rendered: FnvHashMap<String, Values>,
    /// The values of strings without a template, by their protected text,
    /// and of values that are not strings, by their text: the same in
    /// every environment.
    strings: FnvHashMap<String, Values>,
    plain: FnvHashMap<String, Values>,
}

impl Resolver<'_> {
    /// The value of one variable of component `name` (whose own template
    /// value is `this`) in every environment; none after a template error.
    fn values(
        &mut self,
        draft: &ComponentDraft,
        this: &JinjaValue,
        source: &EnvSource,
        diagnostics: &mut Diagnostics,
    ) -> Values {
        let name = draft.name.name.as_str();
        let literal = match source {
            EnvSource::Plain(text) => {
                return everywhere(&self.shared, &mut self.plain, text, |text| {
                    Text::literal(text)
                })
            }
            EnvSource::String(literal) => *literal,
        };
        check_references(literal, diagnostics);
        if !template::has_template(&literal.value) {
            // Protected, the text says where a `$` was escaped: strings
            // with the same protected text split alike.
            let text = protect_escaped_dollars(literal);
            return everywhere(&self.shared, &mut self.strings, &text, split);
        }
        let before = diagnostics.error_count();
        let referenced = template::check(literal, name, &self.scope, diagnostics);
        if !self.dependencies_in_doubt(draft) {
            warn_outside_closure(name, &referenced, self.graph, diagnostics);
        }
        if diagnostics.error_count() > before {
            return Values::default();
        }
        let source = protect_escaped_dollars(literal);
        if let Some(values) = self.rendered.get(&source) {
            return Arc::clone(values);
        }
        let mut values = BTreeMap::new();
        let compiled = self.renderer.compile(&source);
        let mut asked_self = false;
        let mut same_everywhere: Option<Text> = None;
        for (env, context) in &self.shared {
            if let Some(text) = &same_everywhere {
                values.insert(env.clone(), text.clone());
                continue;
            }
            match self.renderer.render(&compiled, literal, context, this, env) {
                Ok(rendered) => {
                    asked_self |= rendered.asked_self;
                    let text = split(&rendered.text);
                    if !rendered.asked_env {
                        same_everywhere = Some(text.clone());
                    }
                    values.insert(env.clone(), text);
                }
                Err(diagnostic) => {
                    // A context left incomplete by a mistake already
                    // reported fails to render for that reason alone.
                    if self.scope.in_doubt.is_empty() {
                        diagnostics.push(diagnostic);
                    }
                    return Arc::new(values);
                }
            }
        }
        let values = Arc::new(values);
        if !asked_self {
            self.rendered.insert(source, Arc::clone(&values));
        }
        values
    }

    /// The draft's `depends_on` had an error or names a component that does
    /// not exist: which dependencies were meant is not known.
    fn dependencies_in_doubt(&self, draft: &ComponentDraft) -> bool {
        draft.depends_on_invalid
            || self.graph.is_some_and(|graph| {
                draft
                    .depends_on
                    .iter()
                    .any(|dep| graph.position(&dep.name).is_none())
            })
    }
}

/// The same value in every environment: `text` made a [`Text`] by `make`,
/// once per distinct text (`cache` holds those made by the same `make`).
fn everywhere(
    environments: &[(String, SharedContext)],
    cache: &mut FnvHashMap<String, Values>,
    text: &str,
    make: fn(&str) -> Text,
) -> Values {
    if let Some(values) = cache.get(text) {
        return Arc::clone(values);
    }
    let value = make(text);
    let values: Values = Arc::new(
        environments
            .iter()
            .map(|(env, _)| (env.clone(), value.clone()))
            .collect(),
    );
    cache.insert(text.to_string(), Arc::clone(&values));
    values
}

/// Linux refuses to start a program whose environment holds one
/// `NAME=value` string of 128 KiB or more (`MAX_ARG_STRLEN`): the container
/// would fail with "argument list too long".
const ENVIRONMENT_STRING_MAX: usize = 128 * 1024 - 1;

/// Reports a variable whose `NAME=value` is too long in some environment.
fn check_length(key: &Ident, values: &BTreeMap<String, Text>, diagnostics: &mut Diagnostics) {
    let longest = values.values().map(Text::display_len).max().unwrap_or(0);
    let length = key.name.len() + 1 + longest;
    if length > ENVIRONMENT_STRING_MAX {
        diagnostics.push(
            Diagnostic::error(
                Code::OutOfRange,
                format!("`{}=...` is {length} bytes long, more than {ENVIRONMENT_STRING_MAX}", key.name),
            )
            .at(key.span)
            .with_help("Linux refuses to start a program with an environment string of 128 KiB or more; pass large data in a file (a volume) instead"),
        );
    }
}

/// The variables of the toggles that apply to the draft, unless its `env`
/// sets the same variable (reported).
fn toggle_vars(
    draft: &ComponentDraft,
    toggles: &[ToggleReach],
    diagnostics: &mut Diagnostics,
) -> Vec<EnvVar> {
    let name = draft.name.name.as_str();
    let mut vars = Vec::new();
    for reach in toggles.iter().filter(|t| t.components.contains(name)) {
        let toggle = reach.toggle;
        if let Some((key, _)) = draft.env.iter().find(|(k, _)| k.name == toggle.variable) {
            diagnostics.push(
                Diagnostic::error(
                    Code::Duplicate,
                    format!(
                        "`{}` is also set by toggle `{}`",
                        toggle.variable, toggle.name
                    ),
                )
                .at(key.span)
                .with_help("remove it here and give the toggle a value per environment"),
            );
            continue;
        }
        vars.push(EnvVar {
            name: toggle.variable.clone(),
            values: Arc::clone(&reach.values),
            secret: false,
        });
    }
    vars
}

fn warn_outside_closure(
    name: &str,
    referenced: &[(String, crate::source::Span)],
    graph: Option<&Graph>,
    diagnostics: &mut Diagnostics,
) {
    let Some(graph) = graph else { return };
    let mut warned: Vec<&str> = Vec::new();
    for (other, span) in referenced {
        if !graph.depends_on(name, other) && !warned.contains(&other.as_str()) {
            warned.push(other);
            diagnostics.push(
                Diagnostic::warning(
                    Code::OutsideClosure,
                    format!("`{name}` refers to `{other}`, which it does not depend on"),
                )
                .at(*span)
                .with_label("not in the test stack")
                .with_help(format!(
                    "`{other}` will not run in `{name}`'s test stack; add it to `depends_on` if `{name}` talks to it"
                )),
            );
        }
    }
}

fn scope(
    drafts: &[ComponentDraft],
    environments: &[EnvironmentDecl],
    stack: Option<&Stack>,
) -> Scope {
    let mut env_vars: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
    for environment in environments {
        for (key, _) in &environment.model.vars {
            env_vars
                .entry(key.clone())
                .or_default()
                .insert(environment.model.name.clone());
        }
    }
    let mut in_doubt = InDoubt::default();
    for environment in environments {
        in_doubt
            .vars
            .extend(environment.invalid_vars.iter().cloned());
    }
    for draft in drafts.iter().filter(|d| d.ports.invalid) {
        in_doubt.ports.insert(draft.name.name.clone());
    }
    Scope {
        components: drafts
            .iter()
            .map(|d| {
                let names = |published: bool| {
                    d.ports
                        .ports
                        .iter()
                        .filter(|p| !published || p.port.published.is_some())
                        .map(|p| p.port.name.clone())
                        .collect()
                };
                let ports = ComponentPorts {
                    declared: names(false),
                    published: names(true),
                };
                (d.name.name.clone(), ports)
            })
            .collect(),
        in_doubt,
        environments: environments.iter().map(|e| e.model.name.clone()).collect(),
        env_vars,
        has_registry: stack.is_some_and(|s| s.registry.is_some()),
        implicit_test: environments.iter().any(|e| !e.model.declared),
        listed_dependencies: drafts
            .iter()
            .map(|d| (d.name.name.clone(), d.listed.clone()))
            .collect(),
    }
}

fn component_values(
    drafts: &[ComponentDraft],
    registry: Option<&str>,
) -> BTreeMap<String, JinjaValue> {
    drafts
        .iter()
        .map(|d| {
            let ports: Vec<Port> = d.ports.ports.iter().map(|p| p.port.clone()).collect();
            (
                d.name.name.clone(),
                template::component_value(&d.name.name, &with_registry(&d.image, registry), &ports),
            )
        })
        .collect()
}

/// The `env` of one environment's template context.
fn env_value(environment: &EnvironmentDecl) -> JinjaValue {
    let vars: BTreeMap<String, String> = environment
        .model
        .vars
        .iter()
        .map(|(k, v)| (k.clone(), protect_text(v)))
        .collect();
    let mut env = BTreeMap::new();
    env.insert(
        "name".to_string(),
        JinjaValue::from(environment.model.name.clone()),
    );
    env.insert(
        "host".to_string(),
        JinjaValue::from(protect_text(&environment.model.host)),
    );
    env.insert("vars".to_string(), JinjaValue::from(vars));
    JinjaValue::from(env)
}

/// The `stack` of the template context.
fn stack_value(stack: Option<&Stack>) -> JinjaValue {
    let mut stack_map = BTreeMap::new();
    if let Some(stack) = stack {
        stack_map.insert("name".to_string(), JinjaValue::from(stack.name.clone()));
        if let Some(registry) = &stack.registry {
            stack_map.insert("registry".to_string(), JinjaValue::from(registry.clone()));
        }
    }
    JinjaValue::from(stack_map)
}
