//! Compose files: per component its fragment and its test stack, per
//! environment the whole stack. See `docs/compose.md`.
//!
//! - `compose/components/<component>.yml`, the *fragment*: the component
//!   (with its fixture loaders) and its immediate dependencies, whose own
//!   `depends_on` is left out so the file stands alone. Rendered for the
//!   `test` environment; publishes nothing. Passing a component's fragment
//!   and those of its whole closure to `docker compose -f ... -f ...` gives
//!   its test stack minus the published ports (and plus the fixture loaders
//!   of the dependencies).
//! - `compose/test/<component>.yml`, the *test stack*: the component, its
//!   transitive dependencies and its own fixture loaders, for the `test`
//!   environment. Only the component publishes its ports, on 127.0.0.1 and
//!   host ports Docker picks, so that runs never compete for a port.
//! - `compose/environments/<environment>.yml`: every component, with the
//!   environment's values, every `published` port on the environment's
//!   `host_ip` (all host addresses without one).
//!   No fixture loaders: fixtures are test data. When some component has
//!   a route, also the `haproxy` service and, per routed component, its
//!   second slot `COMPONENT-green` (profile `slots`); the component's own
//!   service is its blue slot (see `docs/deploy.md`).
//!
//! Services with a build context are built, never pulled, in fragments and
//! test stacks (`pull_policy: build`), and pulled on every `up` in
//! whole-stack files (`pull_policy: always`).

mod bind_mount;
mod build_context;
mod command_line;
mod compose_file;
mod compose_string;
mod compose_text;
mod dependency;
mod file_mount;
mod file_objects;
mod healthcheck;
mod host_path;
mod named_resources;
mod network_aliases;
mod network_declaration;
mod pass_through_rewrite;
mod pass_through_value;
mod port_mapping;
mod project_name;
mod proxy_service;
mod pull_policy;
mod rendered_service;
mod service;
mod service_command;
mod service_factory;
mod shared_parts;
mod shared_services;
mod slot_services;
#[cfg(test)]
mod whole_file;

pub use bind_mount::{BindMount, BindOptions};
pub use build_context::BuildContext;
pub use command_line::exec_form;
pub use compose_file::ComposeFile;
pub use compose_text::ComposeText;
pub use dependency::{Condition, Dependency};
pub use file_mount::FileMount;
pub use file_objects::{Declaration, FileObjects};
pub use healthcheck::{probe, Healthcheck};
pub use host_path::HostPath;
pub use named_resources::NamedResources;
pub use network_declaration::{Ipam, IpamPool, NetworkDeclaration};
pub use pass_through_value::PassThroughValue;
pub use port_mapping::PortMapping;
pub use project_name::{project_name, test_stack_project, whole_stack_project};
pub use proxy_service::{proxy_service, CONFIG_LABEL};
pub use pull_policy::PullPolicy;
pub use rendered_service::RenderedService;
pub use service::Service;
pub use service_command::ServiceCommand;
pub use service_factory::{Publish, ServiceFactory, ServicePlan};
pub use shared_parts::SharedParts;
pub use shared_services::SharedServices;
pub use slot_services::{service_name as slot_service_name, SLOTS_PROFILE};

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::Arc;

use super::haproxy;
use super::BuildCache;
use super::Target;
use crate::model::{Component, Environment, Model, Orchestrator, TEST_ENVIRONMENT};
use crate::model::{Slot, PROXY_SERVICE};
use crate::output::{Artifact, FileMode, Layout, Root};

/// Where the test stack binds the component's published ports.
pub const TEST_HOST_IP: &str = "127.0.0.1";

/// The component of its own fragment.
const FRAGMENT_OWN: ServicePlan<'static> = ServicePlan {
    environment: TEST_ENVIRONMENT,
    publish: Publish::Nothing,
    dependencies: true,
    fixtures: true,
    pull_policy: PullPolicy::Build,
};

/// A dependency (or fixture target) in a fragment: its own dependencies are
/// not in the file.
const FRAGMENT_NEIGHBOUR: ServicePlan<'static> = ServicePlan {
    dependencies: false,
    fixtures: false,
    ..FRAGMENT_OWN
};

/// The component of its own test stack.
const TEST_OWN: ServicePlan<'static> = ServicePlan {
    environment: TEST_ENVIRONMENT,
    publish: Publish::Ephemeral(TEST_HOST_IP),
    dependencies: true,
    fixtures: true,
    pull_policy: PullPolicy::Build,
};

/// A dependency in a test stack: the same in every test stack holding it.
const TEST_DEPENDENCY: ServicePlan<'static> = ServicePlan {
    publish: Publish::Nothing,
    fixtures: false,
    ..TEST_OWN
};

/// The Compose target.
#[derive(Debug, Clone, Copy, Default)]
pub struct Compose;

impl Target for Compose {
    fn name(&self) -> &'static str {
        "compose"
    }

    /// Every component's fragment, then every test stack, then every
    /// environment's whole stack. A dependency is rendered once for all the
    /// fragments, and once for all the test stacks, that hold it; a
    /// component without fixtures is written in its own fragment as in the
    /// test stacks that hold it, and rendered once for both.
    fn artifacts<'m>(
        &self,
        model: &'m Model,
        layout: &Layout,
        cache: &BuildCache<'m>,
    ) -> Vec<Artifact<'m>> {
        let fragment_path = |name: &str| format!("compose/components/{name}.yml");
        let test_path = |name: &str| format!("compose/test/{name}.yml");
        let neighbours = Arc::new(SharedServices::new(
            model,
            layout.workspace_from(Root::Output, &fragment_path("_")),
            FRAGMENT_NEIGHBOUR,
        ));
        let dependencies = Arc::new(SharedServices::new(
            model,
            layout.workspace_from(Root::Output, &test_path("_")),
            TEST_DEPENDENCY,
        ));
        let parts = Arc::new(SharedParts::new(model));
        let mut files = Vec::new();
        for (index, component) in model.components.iter().enumerate() {
            let shared = (Arc::clone(&neighbours), Arc::clone(&dependencies));
            files.push(file(
                model,
                layout,
                fragment_path(&component.name),
                &parts,
                move |factory| fragment(factory, (&shared.0, &shared.1), index, component),
            ));
        }
        for component in &model.components {
            let shared = Arc::clone(&dependencies);
            files.push(file(
                model,
                layout,
                test_path(&component.name),
                &parts,
                move |factory| test_stack(factory, &shared, component),
            ));
        }
        // Swarm and Kubernetes environments get their own files.
        for environment in model.environments_on(Orchestrator::Compose) {
            let path = format!("compose/environments/{}.yml", environment.name);
            let compose_path = path.clone();
            let cache = cache.clone();
            files.push(file(model, layout, path, &parts, move |factory| {
                whole_stack(factory, environment, &compose_path, &cache)
            }));
        }
        files
    }
}

/// Every Compose file, rendered, for the default layout, as (path,
/// contents): for tests.
pub fn emit(model: &Model) -> Vec<(String, String)> {
    super::render_all(Compose.artifacts(model, &Layout::default(), &BuildCache::new(model)))
}

/// One Compose file at `path` in the output folder, built and serialized by
/// `build` when it is rendered. Build contexts and host paths in it are
/// written against the workspace root as seen from the file's folder;
/// `parts` are the build's shared parts of services.
fn file<'m>(
    model: &'m Model,
    layout: &Layout,
    path: String,
    parts: &Arc<SharedParts<'m>>,
    build: impl Fn(&ServiceFactory<'_>) -> String + Send + Sync + 'm,
) -> Artifact<'m> {
    let root = layout.workspace_from(Root::Output, &path);
    let parts = Arc::clone(parts);
    Artifact::new(Root::Output, path, FileMode::Regular, move || {
        build(&ServiceFactory {
            model,
            root: &root,
            parts: Some(&parts),
        })
    })
}

/// The component (the `index`th of the model), its fixture loaders, its
/// immediate dependencies. `dependencies` are the test stacks' shared
/// services: without fixtures, the component is written here as there
/// (the two plans differ only in waiting for fixture loaders).
fn fragment<'f>(
    factory: &ServiceFactory<'f>,
    (neighbours, dependencies): (&'f SharedServices<'_>, &'f SharedServices<'_>),
    index: usize,
    component: &'f Component,
) -> String {
    let model = factory.model;
    let own = if component.fixtures.is_empty() {
        dependencies.get(factory, index, component, TEST_DEPENDENCY)
    } else {
        Cow::Owned(RenderedService::new(
            &component.name,
            &factory.component(component, FRAGMENT_OWN),
        ))
    };
    let wanted: BTreeSet<&str> = component
        .depends_on
        .iter()
        .chain(component.fixtures.iter().map(|f| &f.target))
        .map(String::as_str)
        .collect();
    component_file(
        factory,
        project_name(&[&model.stack.name, &component.name]),
        component,
        (own, FRAGMENT_OWN),
        in_order(model, wanted.iter().copied()),
        (neighbours, FRAGMENT_NEIGHBOUR),
    )
}

/// The component, its transitive dependencies, its fixture loaders; `test` values.
fn test_stack<'f>(
    factory: &ServiceFactory<'f>,
    dependencies: &'f SharedServices<'_>,
    component: &'f Component,
) -> String {
    let model = factory.model;
    let own = RenderedService::new(&component.name, &factory.component(component, TEST_OWN));
    component_file(
        factory,
        test_stack_project(&model.stack.name, &component.name),
        component,
        (Cow::Owned(own), TEST_OWN),
        test_stack_dependencies(model, component),
        (dependencies, TEST_DEPENDENCY),
    )
}

/// The components a test stack holds besides `component`, with their
/// positions in the model: its transitive dependencies, and its fixtures'
/// targets with theirs (fixture targets are dependencies; they are included
/// all the same, so the file never names a service it lacks). The one
/// place the emitter reads the graph's closures.
fn test_stack_dependencies<'m>(
    model: &'m Model,
    component: &Component,
) -> Vec<(usize, &'m Component)> {
    // No set of names: `in_order` sorts and dedups by position.
    let mut wanted: Vec<&str> = model.graph.closure(&component.name).collect();
    for fixture in &component.fixtures {
        wanted.push(&fixture.target);
        wanted.extend(model.graph.closure(&fixture.target));
    }
    wanted.retain(|name| *name != component.name);
    in_order(model, wanted)
}

/// One component's file: the component (rendered with the plan `own`),
/// the given dependencies (rendered by the shared cache with its plan),
/// then its own fixture loaders.
fn component_file<'f>(
    factory: &ServiceFactory<'f>,
    project: String,
    component: &'f Component,
    (rendered, own): (Cow<'f, RenderedService>, ServicePlan<'_>),
    dependencies: Vec<(usize, &'f Component)>,
    (shared, dependency_plan): (&'f SharedServices<'_>, ServicePlan<'_>),
) -> String {
    let mut file = ComposeText::new(project);
    file.push(component.name.as_str(), rendered);
    for &(index, dependency) in &dependencies {
        file.push(
            dependency.name.as_str(),
            shared.get(factory, index, dependency, dependency_plan),
        );
    }
    for fixture in &component.fixtures {
        file.push(
            fixture.service.as_str(),
            Cow::Owned(RenderedService::new(
                &fixture.service,
                &factory.fixture_loader(fixture, own.pull_policy),
            )),
        );
    }
    let mut members = vec![(0, component)];
    members.extend(dependencies);
    file.finish(&sources(factory.model, &members), &factory.model.networks)
}

/// Every component, with `environment`'s values and published ports; with
/// routes, the slots and the `haproxy` service. `path` is the file's path in
/// the output folder; `cache` holds the build's HAProxy configurations.
fn whole_stack(
    factory: &ServiceFactory<'_>,
    environment: &Environment,
    path: &str,
    cache: &BuildCache<'_>,
) -> String {
    let model = factory.model;
    let mut file = ComposeText::new(whole_stack_project(&model.stack.name, &environment.name));
    let plan = ServicePlan {
        environment: &environment.name,
        publish: Publish::Published(None),
        dependencies: true,
        fixtures: false,
        pull_policy: PullPolicy::Always,
    };
    let mut greens = Vec::new();
    for component in &model.components {
        let mut service = factory.component(component, plan);
        if proxy_service::is_routed(component) {
            let name = slot_services::service_name(&component.name, Slot::Green);
            let green = RenderedService::new(&name, &slot_services::green(&service, component));
            greens.push((name, green));
            slot_services::make_blue(&mut service, component);
        }
        let blue = RenderedService::new(&component.name, &service);
        file.push(component.name.as_str(), Cow::Owned(blue));
    }
    // The analyser refuses a component named like one of these services
    // (E0101), so none replaces a component; on a Model built by hand that
    // breaks the rule, the file keeps one service per name (no panic).
    for (name, green) in greens {
        file.push(name, Cow::Owned(green));
    }
    if haproxy::has_routes(model) {
        let config = cache.haproxy_config(model, environment);
        let proxy = proxy_service(
            model,
            environment,
            config.as_deref().unwrap_or_default(),
            path,
            factory.root,
        );
        file.push(
            PROXY_SERVICE,
            Cow::Owned(RenderedService::new(PROXY_SERVICE, &proxy)),
        );
    }
    let all: Vec<&str> = model.sources.iter().map(String::as_str).collect();
    file.finish(&all, &model.networks)
}

/// The named components with their positions, in the model's (topological)
/// order; names the model lacks are skipped. Each name is looked up, never
/// the whole stack scanned: a file costs its own size.
fn in_order<'m, 'n>(
    model: &'m Model,
    names: impl IntoIterator<Item = &'n str>,
) -> Vec<(usize, &'m Component)> {
    let mut positions: Vec<usize> = names
        .into_iter()
        .filter_map(|name| position(model, name))
        .collect();
    positions.sort_unstable();
    positions.dedup();
    positions
        .into_iter()
        .filter_map(|index| model.components.get(index).map(|c| (index, c)))
        .collect()
}

/// The index of the component `name` in `model.components`: the graph's
/// position when the component sits there (the analyser stores components in
/// graph order), else found by a scan (models built otherwise).
fn position(model: &Model, name: &str) -> Option<usize> {
    model
        .graph
        .position(name)
        .filter(|&index| model.components.get(index).is_some_and(|c| c.name == name))
        .or_else(|| model.components.iter().position(|c| c.name == name))
}

/// The spec files a file comes from: the workspace entry (stack and
/// environments) and the files defining its components (`members`, with
/// their positions), in load order.
fn sources<'m>(model: &'m Model, members: &[(usize, &'m Component)]) -> Vec<&'m str> {
    let mut wanted: BTreeSet<&str> = members.iter().map(|(_, c)| c.source.as_str()).collect();
    let mut out: Vec<&str> = Vec::new();
    for (index, source) in model.sources.iter().enumerate() {
        let member = wanted.remove(source.as_str());
        if index == 0 || member {
            out.push(source);
        }
    }
    // Sources the model does not list (never expected), sorted.
    out.extend(wanted);
    out
}

#[cfg(test)]
mod tests;
