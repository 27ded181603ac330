//! Stage 3: names, types, graph and templates → the validated [`Model`].
//! Every check runs and reports; nothing stops at the first error.
//!
//! The modules, by layer (each imports only from the layers above it):
//! - leaves, the checks every block uses: `fields` (a block against its
//!   schema), `labels`, `names`, `values` (durations, percentages, counts,
//!   port numbers), `paths`, `http_path` (route and health-check paths),
//!   `images`, `runtime` (`${}` references), `template` (`{{ }}`);
//! - one module per block: `stack` (with `ci` and `ci_secrets`), `environments`, `toggles`,
//!   `file_objects` (`secret` and `config`), `networks`, `declarations`
//!   (the top level), and for a component `ports`, `health`,
//!   `env`, `fixtures`, `test_suite`, `route`, `deploy`, `kpi`,
//!   `pass_through` (`compose { }`, with the table of Compose's keys in
//!   `compose_keys`), gathered by `component`;
//! - rules across components: `cross`, `cycles`, `routing` (routes, health
//!   checks, `deploy` and `kpi` together), `routing_names` (the names the
//!   `haproxy` service and the slots take), `static_addresses` (fixed
//!   addresses against the declared networks), `env_values` (templates
//!   rendered per environment), `file_references` (a component's
//!   `secrets` and `configs` against the declared secrets, configs and its
//!   `env`), `cluster` and `swarm` (what the environments' orchestrators
//!   take);
//! - this module, which runs them in order (`parts` lowers the
//!   components, and resolves their env values, in two parts at once when
//!   there are many), and `analysed`, which assembles the Model from what
//!   passed (or only counts it, for `stackc check`).

mod analysed;
mod build;
mod build_context;
mod ci;
mod ci_reserved;
mod ci_secrets;
mod closed_set;
mod cluster;
mod command;
mod component;
mod compose_keys;
mod cross;
mod cycles;
mod declarations;
mod default_host;
mod deploy;
mod env;
mod env_values;
mod environments;
mod fields;
mod file_objects;
mod file_references;
mod fixtures;
mod health;
mod http_path;
mod image_reference;
mod images;
mod kpi;
mod kubernetes;
mod labels;
mod names;
mod networks;
mod parts;
mod pass_through;
mod pass_through_checks;
mod pass_through_cross;
mod pass_through_forms;
mod pass_through_hooks;
mod pass_through_node;
mod pass_through_paths;
mod pass_through_refusals;
mod pass_through_scope;
mod pass_through_values;
mod paths;
mod placement;
mod port_protocol;
mod ports;
mod proxy;
mod resources;
mod route;
mod routing;
mod routing_names;
mod runtime;
mod stack;
mod static_addresses;
mod swarm;
mod template;
mod test_suite;
mod toggles;
mod values;

/// Re-exported from the Model, which states the Compose keys it models.
pub use crate::model::MODELLED_COMPOSE_KEYS;
/// The table of Compose service keys, which `stackc import` reads too.
pub(crate) use compose_keys::{service_key, KeyRule};

use std::collections::hash_map::Entry;
use std::collections::BTreeMap;

use crate::diagnostic::Diagnostics;
use crate::load::Workspace;
use crate::model::{Graph, Model, Orchestrator, Stack};
use crate::source::FileId;
use crate::syntax::ast::{Block, Ident};
use analysed::Analysed;
pub use analysed::Summary;
use component::ComponentDraft;
use file_objects::Kind;

/// Each component's index in the sorted list of their names.
type NamePositions<'a> = fnv::FnvHashMap<&'a str, usize>;

/// Analyses a loaded workspace. Returns the model when there is no error;
/// the diagnostics hold every error and warning found.
pub fn analyse(workspace: &Workspace) -> (Option<Model>, Diagnostics) {
    run(workspace, |analysed| analysed.into_model())
}

/// Analyses a loaded workspace as [`analyse`] does, with the same
/// diagnostics, but returns only the counts its Model would have (`None`
/// when there is an error): `stackc check` does not assemble the Model.
pub fn check(workspace: &Workspace) -> (Option<Summary>, Diagnostics) {
    run(workspace, |analysed| {
        let summary = analysed.summary();
        // Not freed one allocation at a time: the process ends soon after
        // (as `stackc check` keeps the whole compilation).
        std::mem::forget(analysed);
        summary
    })
}

/// Every rule, in order; `finish` gets what passed them all, when no
/// rule reported an error.
fn run<T>(workspace: &Workspace, finish: impl FnOnce(Analysed) -> T) -> (Option<T>, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let declarations = declarations::collect(workspace, &mut diagnostics);
    let stack_decl = stack::stack(&declarations.stacks, &mut diagnostics);
    let stack_name = stack_decl
        .as_ref()
        .map_or("stack", |s| s.model.name.as_str());
    let environments = environments::environments(&declarations.environments, &mut diagnostics);
    let objects = file_objects::file_objects(
        &declarations.secrets,
        &declarations.configs,
        &workspace.root,
        &mut diagnostics,
    );
    let networks = networks::networks(&declarations.networks, &mut diagnostics);
    let declared = file_objects::declared_names(&declarations.secrets, &declarations.configs);
    let mut drafts = lower_components(
        workspace,
        &declarations.components,
        stack_name,
        &declared,
        &mut diagnostics,
    );
    let (used_secrets, used_configs) =
        file_references::resolve(&mut drafts, &objects, &mut diagnostics);
    let mut names: Vec<&str> = drafts.iter().map(|d| d.name.name.as_str()).collect();
    names.sort_unstable();
    let stack = stack_decl.map(|decl| Stack {
        ci: decl
            .ci
            .map(|draft| ci::check(draft, &drafts, &environments, &mut diagnostics)),
        ..decl.model
    });

    // Each name's index in `names` (each once: duplicates are not drafts):
    // a hash lookup costs less than a binary search among the names.
    let mut positions = NamePositions::with_capacity_and_hasher(names.len(), Default::default());
    positions.extend(names.iter().enumerate().map(|(i, name)| (*name, i)));
    cross::check_dependencies(&drafts, &names, &positions, &mut diagnostics);
    cross::check_project_names(&environments, &names, &mut diagnostics);
    let graph = dependency_graph(&drafts, &names, &positions, &mut diagnostics);
    // The rules across components and the env values read the same drafts
    // and nothing of each other: on two threads for a large workspace.
    let ((), (toggles, env_values)) = parts::beside(
        drafts.len(),
        &mut diagnostics,
        |diagnostics| {
            if let Some(graph) = &graph {
                cross::check_fixture_targets(&drafts, graph, diagnostics);
            }
            cross::check_published_ports(&drafts, diagnostics);
            cross::check_proxy_ports(&drafts, &environments, diagnostics);
            // `deploy` also shapes a cluster's rolling updates, routed or not.
            let clustered = environments
                .iter()
                .any(|e| e.model.orchestrator != Orchestrator::Compose);
            for draft in &drafts {
                routing::check_component(draft, clustered, diagnostics);
            }
            routing::check_claims(&drafts, diagnostics);
            routing_names::check(&drafts, diagnostics);
            pass_through_cross::check_without_network(&drafts, diagnostics);
            pass_through_cross::check_aliases(&drafts, diagnostics);
        },
        |diagnostics| {
            let toggles =
                toggles::toggles(&declarations.toggles, &environments, &names, diagnostics);
            let env_values = env_values::resolve(
                &drafts,
                &names,
                &environments,
                stack.as_ref(),
                graph.as_ref(),
                &toggles,
                diagnostics,
            );
            (toggles, env_values)
        },
    );

    let environment_models: Vec<_> = environments.iter().map(|e| e.model.clone()).collect();
    networks::check_use(&networks, &drafts, &environment_models, &mut diagnostics);
    static_addresses::check(&drafts, &networks, &environment_models, &mut diagnostics);
    cluster::check_components(
        &drafts,
        &env_values,
        &environment_models,
        stack.as_ref().and_then(|s| s.registry.as_deref()),
        &mut diagnostics,
    );
    kubernetes::check(
        declarations.stacks.first().and_then(|b| b.label.as_ref()),
        &drafts,
        &environment_models,
        &mut diagnostics,
    );

    file_references::check_orchestrators(
        &drafts,
        &objects,
        (&used_secrets, &used_configs),
        &environment_models,
        &mut diagnostics,
    );
    if let Some(stack) = &stack {
        swarm::check(&drafts, &environments, &stack.name, &mut diagnostics);
    }

    let (Some(stack), Some(graph)) = (stack, graph) else {
        return (None, diagnostics);
    };
    if diagnostics.has_errors() {
        return (None, diagnostics);
    }
    let analysed = Analysed {
        workspace,
        stack,
        environments,
        drafts,
        env_values,
        toggles,
        graph,
        objects: &objects,
        used_secrets,
        used_configs,
        networks,
    };
    (Some(finish(analysed)), diagnostics)
}

/// Every component, each checked on its own; duplicates keep the first.
fn lower_components<'a>(
    workspace: &'a Workspace,
    blocks: &[(FileId, &'a Block)],
    stack_name: &str,
    declared: &'a [(Kind, &'a str)],
    diagnostics: &mut Diagnostics,
) -> Vec<ComponentDraft<'a>> {
    // Which earlier block each one repeats the name of (a lookup, not a
    // scan), found first so that the blocks can be lowered in two parts.
    let mut seen: fnv::FnvHashMap<&str, &Ident> = fnv::FnvHashMap::default();
    let jobs: Vec<(FileId, &Block, Option<&Ident>)> = blocks
        .iter()
        .map(|&(file, block)| {
            let first =
                block
                    .label
                    .as_ref()
                    .and_then(|name| match seen.entry(name.name.as_str()) {
                        Entry::Occupied(first) => Some(*first.get()),
                        Entry::Vacant(slot) => {
                            slot.insert(name);
                            None
                        }
                    });
            (file, block, first)
        })
        .collect();
    parts::in_two_parts(&jobs, diagnostics, |jobs, drafts, diagnostics| {
        for &(file, block, first) in jobs {
            let Some(name) = labels::required(block, "component NAME { }", diagnostics) else {
                continue;
            };
            if let Some(first) = first {
                diagnostics.push(cross::component_defined_twice(name, first));
                continue;
            }
            let origin = component::Origin {
                file,
                text: workspace.sources.get(file).map_or("", |f| f.text.as_str()),
                root: &workspace.root,
                declared,
            };
            drafts.push(component::lower(
                name,
                origin,
                block,
                stack_name,
                diagnostics,
            ));
        }
    })
}

/// The graph of the dependencies that exist (`names`, sorted, with their
/// `positions`); `None`, with
/// every cycle reported, when there is a cycle.
fn dependency_graph(
    drafts: &[ComponentDraft],
    names: &[&str],
    positions: &NamePositions,
    diagnostics: &mut Diagnostics,
) -> Option<Graph> {
    let index = |name: &str| positions.get(name).copied();
    let mut direct: Vec<Vec<usize>> = vec![Vec::new(); names.len()];
    for draft in drafts {
        if let Some(slot) = index(&draft.name.name).and_then(|at| direct.get_mut(at)) {
            *slot = draft
                .depends_on
                .iter()
                .filter_map(|dep| index(&dep.name))
                .collect();
        }
    }
    let graph = Graph::from_indices(names, &direct);
    if graph.is_none() {
        // Borrowed names: the report walks the cycles by name.
        let direct: BTreeMap<&str, Vec<&str>> = drafts
            .iter()
            .map(|d| {
                let deps = d
                    .depends_on
                    .iter()
                    .map(|dep| dep.name.as_str())
                    .filter(|dep| index(dep).is_some())
                    .collect();
                (d.name.name.as_str(), deps)
            })
            .collect();
        cycles::report(drafts, &direct, diagnostics);
    }
    graph
}

#[cfg(test)]
mod tests;
