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
//! - this module, which runs them in order and assembles the Model
//!   (`parts` lowers the components, and resolves their env values, in
//!   two parts at once when there are many).

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
use crate::model::{Component, EnvVar, FileObject, Graph, Model, Orchestrator, Stack};
use crate::source::FileId;
use crate::syntax::ast::{Block, Ident};
use component::ComponentDraft;
use file_objects::Kind;
use images::with_registry;

/// Analyses a loaded workspace. Returns the model when there is no error;
/// the diagnostics hold every error and warning found.
pub fn analyse(workspace: &Workspace) -> (Option<Model>, Diagnostics) {
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

    cross::check_dependencies(&drafts, &names, &mut diagnostics);
    cross::check_project_names(&environments, &names, &mut diagnostics);
    let graph = dependency_graph(&drafts, &names, &mut diagnostics);
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
    let registry = stack.registry.as_deref();
    let components = components_in_order(workspace, drafts, env_values, registry, &graph);
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
        secrets: used(&objects.secrets, &used_secrets),
        configs: used(&objects.configs, &used_configs),
        networks: networks.into_iter().map(|n| n.model).collect(),
    };
    (Some(model), diagnostics)
}

/// The declarations some component uses (`used`, sorted), by name.
fn used(declarations: &[file_objects::FileObjectDecl], used: &[String]) -> Vec<FileObject> {
    let mut out: Vec<FileObject> = declarations
        .iter()
        .filter(|d| used.binary_search(&d.model.name).is_ok())
        .map(|d| d.model.clone())
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
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

/// The graph of the dependencies that exist (`names`, sorted); `None`, with
/// every cycle reported, when there is a cycle.
fn dependency_graph(
    drafts: &[ComponentDraft],
    names: &[&str],
    diagnostics: &mut Diagnostics,
) -> Option<Graph> {
    // Borrowed names: the graph copies the ones it keeps.
    let direct: BTreeMap<&str, Vec<&str>> = drafts
        .iter()
        .map(|d| {
            let deps = d
                .depends_on
                .iter()
                .map(|dep| dep.name.as_str())
                .filter(|dep| names.binary_search(dep).is_ok())
                .collect();
            (d.name.name.as_str(), deps)
        })
        .collect();
    let graph = Graph::build(&direct);
    if graph.is_none() {
        cycles::report(drafts, &direct, diagnostics);
    }
    graph
}

/// The Model's components, in the graph's order, each with its resolved
/// environment variables (`env_values`, in the order of `drafts`).
fn components_in_order(
    workspace: &Workspace,
    drafts: Vec<ComponentDraft>,
    env_values: Vec<Vec<EnvVar>>,
    registry: Option<&str>,
    graph: &Graph,
) -> Vec<Component> {
    // Each name's place in the graph's order: the components are sorted in
    // place, not moved through a map keyed by name.
    let position: fnv::FnvHashMap<&str, usize> = graph
        .order
        .iter()
        .enumerate()
        .map(|(i, name)| (name.as_str(), i))
        .collect();
    // Collected from the drafts' own iterator, the components are written
    // into the drafts' memory as each draft is consumed (the standard
    // library collects in place): a second vector as long as the first was
    // the analysis' peak.
    let mut components: Vec<Component> = drafts
        .into_iter()
        .zip(env_values)
        .map(|(draft, env)| {
            let source = workspace
                .sources
                .get(draft.file)
                .map(|f| f.path.clone())
                .unwrap_or_default();
            Component {
                name: draft.name.name.to_string(),
                image: runtime::split(&with_registry(&draft.image, registry)),
                build: draft.build,
                command: draft.command,
                ports: draft.ports.ports.into_iter().map(|d| d.port).collect(),
                depends_on: draft
                    .depends_on
                    .into_iter()
                    .map(|d| d.name.into())
                    .collect(),
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
                replicas: draft.cluster.replicas,
                resources: draft.cluster.resources,
                placement: draft.cluster.placement,
                secrets: draft.references.mounted_secrets,
                configs: draft.references.mounted_configs,
                compose: draft.compose.entries,
                source,
            }
        })
        .collect();
    components.retain(|c| position.contains_key(c.name.as_str()));
    // Names are unique (a duplicate is an error): no two keys are equal.
    // Each key is looked up once (a comparison looking up both cost more
    // than the rest of the sort).
    components.sort_by_cached_key(|c| position.get(c.name.as_str()).copied());
    components
}

#[cfg(test)]
mod tests;
