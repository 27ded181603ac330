//! Stage 3: names, types, graph and templates → the validated [`Model`].
//! Every check runs and reports; nothing stops at the first error.

mod component;
mod cycles;
mod declarations;
mod delivery;
mod env_values;
mod environments;
mod fields;
mod labels;
mod names;
mod pass_through;
mod runtime;
mod template;

/// Re-exported from the Model, which states the Compose keys it models.
pub use crate::model::MODELLED_COMPOSE_KEYS;

use std::collections::BTreeMap;

use crate::diagnostic::{suggestion, Code, Diagnostic, Diagnostics};
use crate::load::Workspace;
use crate::model::{Component, Graph, Model};
use crate::source::Span;
use crate::syntax::ast::StringLit;
use component::ComponentDraft;

/// Analyses a loaded workspace. Returns the model when there is no error;
/// the diagnostics hold every error and warning found.
pub fn analyse(workspace: &Workspace) -> (Option<Model>, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let declarations = declarations::collect(workspace, &mut diagnostics);
    let stack = environments::stack(&declarations.stacks, &mut diagnostics);
    let stack_name = stack.as_ref().map_or("stack", |s| s.name.as_str());
    let environments = environments::environments(&declarations.environments, &mut diagnostics);

    // Components, each checked on its own; duplicates keep the first.
    let mut drafts: Vec<ComponentDraft> = Vec::new();
    for (file, block) in &declarations.components {
        let Some(name) = labels::required(block, "component NAME { }", &mut diagnostics) else {
            continue;
        };
        if let Some(first) = drafts.iter().find(|d| d.name.name == name.name) {
            diagnostics.push(
                Diagnostic::error(
                    Code::Duplicate,
                    format!("component `{}` is defined twice", name.name),
                )
                .at(name.span)
                .with_label("defined again here")
                .also(first.name.span, "first defined here")
                .with_help("component names must be unique across all files of the workspace"),
            );
            continue;
        }
        drafts.push(component::lower(
            name,
            *file,
            block,
            stack_name,
            &mut diagnostics,
        ));
    }
    let mut names: Vec<&str> = drafts.iter().map(|d| d.name.name.as_str()).collect();
    names.sort_unstable();

    check_dependencies(&drafts, &names, &mut diagnostics);
    check_project_names(&environments, &names, &mut diagnostics);
    let direct: BTreeMap<String, Vec<String>> = drafts
        .iter()
        .map(|d| {
            let deps = d
                .depends_on
                .iter()
                .filter(|dep| names.binary_search(&dep.name.as_str()).is_ok())
                .map(|dep| dep.name.clone())
                .collect();
            (d.name.name.clone(), deps)
        })
        .collect();
    let graph = match Graph::build(&direct) {
        Some(graph) => Some(graph),
        None => {
            cycles::report(&drafts, &direct, &mut diagnostics);
            None
        }
    };
    if let Some(graph) = &graph {
        check_fixture_targets(&drafts, graph, &mut diagnostics);
    }
    check_published_ports(&drafts, &mut diagnostics);

    let toggles = environments::toggles(
        &declarations.toggles,
        &environments,
        &names,
        &mut diagnostics,
    );
    let registry = stack.as_ref().and_then(|s| s.registry.clone());
    let registry = registry.as_deref();
    let env_values = env_values::resolve(
        &drafts,
        &environments,
        stack.as_ref(),
        graph.as_ref(),
        &toggles,
        &mut diagnostics,
    );

    let (Some(stack), Some(graph)) = (stack, graph) else {
        return (None, diagnostics);
    };
    if diagnostics.has_errors() {
        return (None, diagnostics);
    }
    let mut by_name: BTreeMap<String, Component> = BTreeMap::new();
    for (draft, env) in drafts.into_iter().zip(env_values) {
        let source = workspace
            .sources
            .get(draft.file)
            .map(|f| f.path.clone())
            .unwrap_or_default();
        let name = draft.name.name.clone();
        by_name.insert(
            name.clone(),
            Component {
                name,
                image: runtime::split(&with_registry(&draft.image, registry)),
                build: draft.build,
                ports: draft.ports.into_iter().map(|(p, _, _)| p).collect(),
                depends_on: draft.depends_on.into_iter().map(|d| d.name).collect(),
                health: draft.health,
                env,
                fixtures: draft
                    .fixtures
                    .into_iter()
                    .map(|(mut f, _)| {
                        f.image = runtime::split(&with_registry(&f.image.display(), registry));
                        f
                    })
                    .collect(),
                tests: draft.tests,
                routes: draft.routes,
                deploy: draft.deploy,
                kpi: draft.kpi,
                compose: draft.compose,
                source,
            },
        );
    }
    let components = graph
        .order
        .iter()
        .filter_map(|name| by_name.remove(name))
        .collect();
    let model = Model {
        stack,
        sources: workspace
            .sources
            .files()
            .map(|(_, f)| f.path.clone())
            .collect(),
        environments: environments.into_iter().map(|e| e.model).collect(),
        components,
        toggles,
        graph,
    };
    (Some(model), diagnostics)
}

/// Prefixes the stack's registry unless the image names a registry itself
/// (its first part has a `.` or `:`, or is `localhost`) or starts with a
/// run-time reference, which may hold a registry of its own.
pub(crate) fn with_registry(image: &str, registry: Option<&str>) -> String {
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

/// `{{ }}` is expanded only in `env` values; anywhere else it is a mistake.
/// Returns false when it reported one.
fn reject_template(literal: &StringLit, diagnostics: &mut Diagnostics) -> bool {
    if let Some(at) = literal.value.find("{{") {
        diagnostics.push(
            Diagnostic::error(
                Code::TemplateSyntax,
                "`{{ }}` templates are expanded only in `env` values",
            )
            .at(literal.span_of(at..at + 2))
            .with_help("move the value into the component's `env { }` block"),
        );
        return false;
    }
    true
}

fn check_dependencies(drafts: &[ComponentDraft], names: &[&str], diagnostics: &mut Diagnostics) {
    for draft in drafts {
        for dep in &draft.depends_on {
            if dep.name == draft.name.name {
                diagnostics.push(
                    Diagnostic::error(
                        Code::DependencyCycle,
                        format!("component `{}` depends on itself", dep.name),
                    )
                    .at(dep.span)
                    .with_help("remove it from `depends_on`"),
                );
            } else if names.binary_search(&dep.name.as_str()).is_err() {
                let mut diagnostic = Diagnostic::error(
                    Code::UnknownDependency,
                    format!("unknown dependency `{}`", dep.name),
                )
                .at(dep.span)
                .with_label("no component has this name");
                let others: Vec<&str> = names
                    .iter()
                    .copied()
                    .filter(|n| *n != draft.name.name)
                    .collect();
                if let Some(help) = suggestion(&dep.name, &others, "components") {
                    diagnostic = diagnostic.with_help(help);
                }
                diagnostics.push(diagnostic);
            }
        }
    }
}

/// Environment `test-api` would share its Compose project name
/// (`STACK-test-api`) with the test stack of component `api`.
fn check_project_names(
    environments: &[environments::EnvironmentDecl],
    names: &[&str],
    diagnostics: &mut Diagnostics,
) {
    for environment in environments {
        let (Some(span), Some(component)) = (
            environment.name_span,
            environment.model.name.strip_prefix("test-"),
        ) else {
            continue;
        };
        if names.binary_search(&component).is_ok() {
            diagnostics.push(
                Diagnostic::error(
                    Code::Duplicate,
                    format!(
                        "environment `{}` would share its Compose project with the test stack of `{component}`",
                        environment.model.name
                    ),
                )
                .at(span)
                .with_help("test stacks are the projects `STACK-test-COMPONENT`; rename the environment"),
            );
        }
    }
}

fn check_fixture_targets(drafts: &[ComponentDraft], graph: &Graph, diagnostics: &mut Diagnostics) {
    for draft in drafts {
        let closure = graph.closure(&draft.name.name);
        for (_, target) in &draft.fixtures {
            // A target listed in `depends_on` but unknown is already an E0102.
            let listed = draft.depends_on.iter().any(|d| d.name == target.name);
            if !closure.contains(&target.name) && !listed {
                diagnostics.push(
                    Diagnostic::error(
                        Code::FixtureTarget,
                        format!(
                            "`{}` loads fixtures into `{}`, which it does not depend on",
                            draft.name.name, target.name
                        ),
                    )
                    .at(target.span)
                    .with_label("not a dependency")
                    .with_help(format!(
                        "add `{}` to `depends_on`, or load the fixtures into a dependency",
                        target.name
                    )),
                );
            }
        }
    }
}

fn check_published_ports(drafts: &[ComponentDraft], diagnostics: &mut Diagnostics) {
    let mut seen: BTreeMap<u16, (&str, &str, Span)> = BTreeMap::new();
    for draft in drafts {
        for (port, name_span, published_span) in &draft.ports {
            let Some(number) = port.published else {
                continue;
            };
            let span = published_span.unwrap_or(*name_span);
            if let Some((component, port_name, first)) = seen.get(&number) {
                diagnostics.push(
                    Diagnostic::error(
                        Code::PortPublishedTwice,
                        format!("host port {number} is published twice"),
                    )
                    .at(span)
                    .with_label(format!("`{}.{}` publishes it here", draft.name.name, port.name))
                    .also(*first, format!("`{component}.{port_name}` publishes it first"))
                    .with_help("every environment runs the whole stack on one host: give one of them another `publish` port, or `publish = false`"),
                );
            } else {
                seen.insert(number, (draft.name.name.as_str(), port.name.as_str(), span));
            }
        }
    }
}

#[cfg(test)]
mod tests;
