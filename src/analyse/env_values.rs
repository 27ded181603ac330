//! Resolves every component's environment variables for every environment:
//! templates checked once (with exact columns), rendered per environment,
//! then split into literal text and run-time references.

use std::cell::OnceCell;
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use fnv::FnvHashMap;
use minijinja::value::Value as JinjaValue;

use super::component::ComponentDraft;
use super::env::EnvSource;
use super::environments::EnvironmentDecl;
use super::images::with_registry;
use super::parts;
use super::runtime::{check_references, protect_escaped_dollars, protect_text, split};
use super::template::{self, ComponentPorts, InDoubt, Renderer, Scope, SharedContext};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{EnvValues, EnvVar, Graph, Port, Stack, Text, Toggle};
use crate::syntax::ast::{Ident, StringLit};

/// One list of variables per draft, in the same order as `drafts`;
/// `component_names` are the drafts' names, sorted.
pub fn resolve(
    drafts: &[ComponentDraft],
    component_names: &[&str],
    environments: &[EnvironmentDecl],
    stack: Option<&Stack>,
    graph: Option<&Graph>,
    toggles: &[Toggle],
    diagnostics: &mut Diagnostics,
) -> Vec<Vec<EnvVar>> {
    let registry = stack.and_then(|s| s.registry.as_deref());
    // Every variable's values share this one list of names.
    let names: Arc<[String]> = environments.iter().map(|e| e.model.name.clone()).collect();
    // The scope and the context are of every component, shared by the
    // parts; each part's resolver has caches of its own.
    let scope = scope(drafts, component_names, environments, stack);
    let native = Native {
        components: drafts.iter().map(|d| (d.name.name.as_str(), d)).collect(),
        environments: environments.iter().map(NativeEnv::new).collect(),
        stack,
        registry,
    };
    let resolver = || Resolver {
        scope: &scope,
        environments: Arc::clone(&names),
        native: &native,
        jinja: OnceCell::new(),
        inputs: (drafts, environments),
        renderer: Renderer::default(),
        graph,
        rendered: FnvHashMap::default(),
        strings: FnvHashMap::default(),
        plain: FnvHashMap::default(),
        known: FnvHashMap::default(),
    };
    // Each toggle's components as a set: a toggle names every component by
    // default, and scanning that list per component is quadratic. Its
    // values are the same for every component it reaches: built once.
    let toggle_reach: Vec<ToggleReach> = toggles
        .iter()
        .map(|toggle| ToggleReach {
            toggle,
            components: toggle.components.iter().map(String::as_str).collect(),
            values: Arc::new(EnvValues::new(
                Arc::clone(&names),
                names
                    .iter()
                    .map(|env| {
                        let on = toggle.values.get(env)?;
                        Some(Text::literal(on.to_string()))
                    })
                    .collect(),
            )),
        })
        .collect();
    parts::in_two_parts(drafts, diagnostics, |drafts, out, diagnostics| {
        let mut resolver = resolver();
        for draft in drafts {
            // Room for the toggles too: grown by one, the list doubled.
            let mut vars = Vec::with_capacity(draft.env.len() + toggle_reach.len());
            for (key, source) in &draft.env {
                let values = resolver.values(draft, source, diagnostics);
                check_length(key, &values, diagnostics);
                vars.push(EnvVar {
                    name: key.name.to_string(),
                    values,
                    secret: draft.cluster.secrets.iter().any(|s| s.name == key.name),
                });
            }
            vars.extend(toggle_vars(draft, &toggle_reach, diagnostics));
            out.push(vars);
        }
    })
}

/// A variable's value in each environment, by environment name. Shared
/// (an `Arc`) by every variable whose values are the same: most values of
/// a large workspace are written alike by many components.
type Values = Arc<EnvValues>;

/// A toggle, the components it reaches and its variable's values.
struct ToggleReach<'t> {
    toggle: &'t Toggle,
    components: HashSet<&'t str>,
    values: Values,
}

/// What every variable is resolved against.
struct Resolver<'a> {
    scope: &'a Scope<'a>,
    /// Each environment's name, in order; shared by every variable's values.
    environments: Arc<[String]>,
    /// The context as the spec has it, for templates of plain names.
    native: &'a Native<'a>,
    /// minijinja's context, built when a template first needs it (most
    /// never do): each component's value by name, and each environment's
    /// shared context, in order.
    jinja: OnceCell<JinjaContexts>,
    /// What `jinja` is built from.
    inputs: (&'a [ComponentDraft<'a>], &'a [EnvironmentDecl]),
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
    /// Values written without escapes whose checks reported nothing, and
    /// would report nothing for any other component writing them.
    known: FnvHashMap<String, Known>,
}

/// What is known of a value written without escapes whose checks found
/// nothing.
enum Known {
    /// Not a template: its values.
    Text(Values),
    /// A template, checked; its values depend on the component.
    Template(template::Checked),
}

impl Resolver<'_> {
    /// The value of one variable of component `draft` in every
    /// environment; none after a template error.
    fn values(
        &mut self,
        draft: &ComponentDraft,
        source: &EnvSource,
        diagnostics: &mut Diagnostics,
    ) -> Values {
        let name = draft.name.name.as_str();
        let literal = match source {
            EnvSource::Plain(text) => {
                return everywhere(&self.environments, &mut self.plain, text, |text| {
                    Text::literal(text)
                })
            }
            EnvSource::String(literal) => *literal,
        };
        // Without escapes the value is the text as written: its checks
        // depend on the value alone (or, for a template, on the value and
        // what it reads of `self`), so a clean one is not checked again.
        let verbatim = !literal.has_escapes();
        if verbatim {
            match self.known.get(literal.value.as_str()) {
                Some(Known::Text(values)) => return Arc::clone(values),
                Some(Known::Template(checked)) => {
                    if !self.dependencies_in_doubt(draft) {
                        warn_outside_closure(name, checked, literal, self.graph, diagnostics);
                    }
                    return self.rendered_values(draft, literal, diagnostics);
                }
                None => {}
            }
        }
        let before = diagnostics.len();
        check_references(literal, diagnostics);
        if !template::has_template(&literal.value) {
            // Protected, the text says where a `$` was escaped: strings
            // with the same protected text split alike.
            let text = protect_escaped_dollars(literal);
            let values = everywhere(&self.environments, &mut self.strings, &text, split);
            if verbatim && diagnostics.len() == before {
                self.known
                    .insert(literal.value.to_string(), Known::Text(Arc::clone(&values)));
            }
            return values;
        }
        let errors_before = diagnostics.error_count();
        let checked = template::check(literal, name, self.scope, diagnostics);
        let clean = verbatim && diagnostics.len() == before && !checked.self_dependent;
        if !self.dependencies_in_doubt(draft) {
            warn_outside_closure(name, &checked, literal, self.graph, diagnostics);
        }
        if diagnostics.error_count() > errors_before {
            return Values::default();
        }
        if clean {
            self.known
                .insert(literal.value.to_string(), Known::Template(checked));
        }
        self.rendered_values(draft, literal, diagnostics)
    }

    /// The values of a checked template, rendered for every environment
    /// (once for every component when it never reads `self`).
    fn rendered_values(
        &mut self,
        draft: &ComponentDraft,
        literal: &StringLit,
        diagnostics: &mut Diagnostics,
    ) -> Values {
        let source = protect_escaped_dollars(literal);
        if let Some(values) = self.rendered.get(&source) {
            return Arc::clone(values);
        }
        let mut values: Vec<Option<Text>> = Vec::with_capacity(self.environments.len());
        let compiled = self.renderer.compile(&source);
        let mut asked_self = false;
        let mut same_everywhere: Option<Text> = None;
        for (index, env) in self.environments.iter().enumerate() {
            if let Some(text) = &same_everywhere {
                values.push(Some(text.clone()));
                continue;
            }
            let native = compiled
                .paths()
                .filter(|_| !minijinja_only())
                .and_then(|paths| self.native.render(paths, index, draft));
            let rendered = match native {
                Some(rendered) => Ok(rendered),
                None => {
                    let jinja = self.jinja.get_or_init(|| {
                        let (drafts, environments) = self.inputs;
                        JinjaContexts::new(drafts, environments, self.native.stack)
                    });
                    let this = jinja
                        .by_name
                        .get(draft.name.name.as_str())
                        .cloned()
                        .unwrap_or_default();
                    let context = jinja.shared.get(index).cloned().unwrap_or_else(|| {
                        SharedContext::new(
                            JinjaValue::UNDEFINED,
                            JinjaValue::UNDEFINED,
                            JinjaValue::UNDEFINED,
                            Arc::clone(&jinja.by_name),
                        )
                    });
                    self.renderer
                        .render(&compiled, literal, &context, &this, env)
                }
            };
            match rendered {
                Ok(rendered) => {
                    asked_self |= rendered.asked_self;
                    let text = split(&rendered.text);
                    if !rendered.asked_env {
                        same_everywhere = Some(text.clone());
                    }
                    values.push(Some(text));
                }
                Err(diagnostic) => {
                    // A context left incomplete by a mistake already
                    // reported fails to render for that reason alone.
                    if self.scope.in_doubt.is_empty() {
                        diagnostics.push(diagnostic);
                    }
                    return Arc::new(EnvValues::new(Arc::clone(&self.environments), values));
                }
            }
        }
        let values = Arc::new(EnvValues::new(Arc::clone(&self.environments), values));
        if asked_self {
            self.renderer.keep(&compiled);
        } else {
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
    environments: &Arc<[String]>,
    cache: &mut FnvHashMap<String, Values>,
    text: &str,
    make: fn(&str) -> Text,
) -> Values {
    if let Some(values) = cache.get(text) {
        return Arc::clone(values);
    }
    let values: Values = Arc::new(EnvValues::everywhere(Arc::clone(environments), &make(text)));
    cache.insert(text.to_string(), Arc::clone(&values));
    values
}

/// Linux refuses to start a program whose environment holds one
/// `NAME=value` string of 128 KiB or more (`MAX_ARG_STRLEN`): the container
/// would fail with "argument list too long".
const ENVIRONMENT_STRING_MAX: usize = 128 * 1024 - 1;

/// Reports a variable whose `NAME=value` is too long in some environment.
fn check_length(key: &Ident, values: &EnvValues, diagnostics: &mut Diagnostics) {
    let longest = values
        .iter()
        .map(|(_, text)| text.display_len())
        .max()
        .unwrap_or(0);
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

/// Warns once about each component the templates of `literal` refer to
/// that `name` does not depend on.
fn warn_outside_closure(
    name: &str,
    checked: &template::Checked,
    literal: &StringLit,
    graph: Option<&Graph>,
    diagnostics: &mut Diagnostics,
) {
    let Some(graph) = graph else { return };
    let mut warned: Vec<&str> = Vec::new();
    for (other, range) in &checked.referenced {
        if other != name && !graph.depends_on(name, other) && !warned.contains(&other.as_str()) {
            let span = literal.span_of(range.clone());
            warned.push(other);
            diagnostics.push(
                Diagnostic::warning(
                    Code::OutsideClosure,
                    format!("`{name}` refers to `{other}`, which it does not depend on"),
                )
                .at(span)
                .with_label("not in the test stack")
                .with_help(format!(
                    "`{other}` will not run in `{name}`'s test stack; add it to `depends_on` if `{name}` talks to it"
                )),
            );
        }
    }
}

fn scope<'a>(
    drafts: &'a [ComponentDraft],
    component_names: &[&'a str],
    environments: &[EnvironmentDecl],
    stack: Option<&Stack>,
) -> Scope<'a> {
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
        in_doubt.ports.insert(draft.name.name.to_string());
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
                        .map(|p| p.port.name.as_str())
                        .collect()
                };
                let ports = ComponentPorts {
                    declared: names(false),
                    published: names(true),
                };
                (d.name.name.as_str(), ports)
            })
            .collect(),
        component_names: component_names.to_vec(),
        in_doubt,
        environments: environments.iter().map(|e| e.model.name.clone()).collect(),
        env_vars,
        has_registry: stack.is_some_and(|s| s.registry.is_some()),
        implicit_test: environments.iter().any(|e| !e.model.declared),
        listed_dependencies: drafts
            .iter()
            .map(|d| (d.name.name.as_str(), d.listed.as_slice()))
            .collect(),
    }
}

/// minijinja's template context: each component's value by name, and each
/// environment's shared context, in order.
struct JinjaContexts {
    by_name: Arc<FnvHashMap<String, JinjaValue>>,
    shared: Vec<SharedContext>,
}

impl JinjaContexts {
    fn new(
        drafts: &[ComponentDraft],
        environments: &[EnvironmentDecl],
        stack: Option<&Stack>,
    ) -> JinjaContexts {
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
        let shared = environments
            .iter()
            .map(|e| {
                SharedContext::new(
                    env_value(e),
                    stack_value.clone(),
                    components_value.clone(),
                    Arc::clone(&by_name),
                )
            })
            .collect();
        JinjaContexts { by_name, shared }
    }
}

/// The template context as the spec has it: a path of plain names that
/// ends on a string or a port number is written without building
/// minijinja's values (which cost more than the rest of rendering).
/// Anything else is left to minijinja, whose values say what each path
/// gives ([`env_value`], [`stack_value`], [`template::component_value`]).
struct Native<'a> {
    components: FnvHashMap<&'a str, &'a ComponentDraft<'a>>,
    environments: Vec<NativeEnv>,
    stack: Option<&'a Stack>,
    registry: Option<&'a str>,
}

/// One environment's `env`, as [`env_value`] makes it.
struct NativeEnv {
    name: String,
    host: String,
    vars: BTreeMap<String, String>,
}

impl NativeEnv {
    fn new(environment: &EnvironmentDecl) -> NativeEnv {
        NativeEnv {
            name: environment.model.name.clone(),
            host: protect_text(&environment.model.host),
            vars: environment
                .model
                .vars
                .iter()
                .map(|(k, v)| (k.clone(), protect_text(v)))
                .collect(),
        }
    }
}

impl Native<'_> {
    /// `paths` rendered for component `this` in environment `env` (an
    /// index), with what it read; `None` when some path is not one this
    /// context writes.
    fn render(
        &self,
        paths: &template::PathTemplate,
        env: usize,
        this: &ComponentDraft,
    ) -> Option<template::Rendered> {
        let mut asked_self = false;
        let mut asked_env = false;
        let text = paths.render_with(|names, out| {
            let (root, rest) = names.split_first()?;
            // The roots in the order the context looks them up: `self`,
            // then `env`, `stack` and `components` before any component.
            match root.as_str() {
                "self" => {
                    asked_self = true;
                    self.component(this, rest, out)
                }
                "env" => {
                    asked_env = true;
                    self.env(env, rest, out)
                }
                "stack" => {
                    let stack = self.stack?;
                    let text = match rest {
                        [field] if field == "name" => stack.name.as_str(),
                        [field] if field == "registry" => stack.registry.as_deref()?,
                        _ => return None,
                    };
                    out.push_str(text);
                    Some(())
                }
                "components" => {
                    let (name, rest) = rest.split_first()?;
                    self.component(self.components.get(name.as_str())?, rest, out)
                }
                name => self.component(self.components.get(name)?, rest, out),
            }
        })?;
        Some(template::Rendered {
            text,
            asked_self,
            asked_env,
        })
    }

    /// `env.name`, `env.host`, `env.vars.NAME`.
    fn env(&self, env: usize, rest: &[String], out: &mut String) -> Option<()> {
        let env = self.environments.get(env)?;
        let text = match rest {
            [field] if field == "name" => env.name.as_str(),
            [field] if field == "host" => env.host.as_str(),
            [field, var] if field == "vars" => env.vars.get(var)?.as_str(),
            _ => return None,
        };
        out.push_str(text);
        Some(())
    }

    /// A component's `name`, `host`, `image`, `ports.NAME` or
    /// `published.NAME` (a port's value is the last port of that name, as
    /// in the map [`template::component_value`] collects).
    fn component(&self, draft: &ComponentDraft, rest: &[String], out: &mut String) -> Option<()> {
        match rest {
            [field] if field == "name" || field == "host" => out.push_str(&draft.name.name),
            [field] if field == "image" => {
                out.push_str(&with_registry(&draft.image, self.registry))
            }
            [field, port] if field == "ports" => {
                write_number(out, ports_named(draft, port).next()?.port.container);
            }
            [field, port] if field == "published" => {
                write_number(
                    out,
                    ports_named(draft, port).find_map(|p| p.port.published)?,
                );
            }
            _ => return None,
        }
        Some(())
    }
}

#[cfg(test)]
thread_local! {
    /// Set by tests: every template is rendered by minijinja, the
    /// definition [`Native`] must agree with. Read on the thread that
    /// resolves: the workspaces it is set for have fewer components than
    /// [`parts::PARTS_FROM`], so they are resolved on the test's own.
    pub(super) static MINIJINJA_ONLY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

#[cfg(test)]
fn minijinja_only() -> bool {
    MINIJINJA_ONLY.with(std::cell::Cell::get)
}

#[cfg(not(test))]
fn minijinja_only() -> bool {
    false
}

/// `draft`'s ports named `name`, the last first (the one a map of ports
/// by name keeps).
fn ports_named<'a>(
    draft: &'a ComponentDraft,
    name: &'a str,
) -> impl Iterator<Item = &'a super::ports::DeclaredPort> + 'a {
    draft
        .ports
        .ports
        .iter()
        .rev()
        .filter(move |p| p.port.name == name)
}

/// A port number as minijinja prints it.
fn write_number(out: &mut String, number: u16) {
    use std::fmt::Write as _;
    // Writing into a String cannot fail.
    let _ = write!(out, "{number}");
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
                d.name.name.to_string(),
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
