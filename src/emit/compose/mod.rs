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
mod dependency;
mod healthcheck;
mod host_path;
mod named_resources;
mod network_aliases;
mod pass_through_rewrite;
mod pass_through_value;
mod port_mapping;
mod project_name;
mod proxy_service;
mod pull_policy;
mod service;
mod service_command;
mod service_factory;
mod slot_services;

pub use bind_mount::{BindMount, BindOptions};
pub use build_context::BuildContext;
pub use command_line::exec_form;
pub use compose_file::ComposeFile;
pub use dependency::{Condition, Dependency};
pub use healthcheck::{probe, Healthcheck};
pub use host_path::HostPath;
pub use named_resources::NamedResources;
pub use pass_through_value::PassThroughValue;
pub use port_mapping::PortMapping;
pub use project_name::{project_name, test_stack_project, whole_stack_project};
pub use proxy_service::{proxy_service, CONFIG_LABEL};
pub use pull_policy::PullPolicy;
pub use service::Service;
pub use service_command::ServiceCommand;
pub use service_factory::{Publish, ServiceFactory, ServicePlan};
pub use slot_services::{service_name as slot_service_name, SLOTS_PROFILE};

use std::collections::BTreeSet;

use indexmap::IndexMap;

use super::haproxy;
use super::Target;
use crate::model::{Component, Environment, Model, TEST_ENVIRONMENT};
use crate::model::{Slot, PROXY_SERVICE};
use crate::output::{Artifact, FileMode, Layout, Root};

/// Where the test stack binds the component's published ports.
pub const TEST_HOST_IP: &str = "127.0.0.1";

/// The Compose target.
#[derive(Debug, Clone, Copy, Default)]
pub struct Compose;

impl Target for Compose {
    fn name(&self) -> &'static str {
        "compose"
    }

    /// Every component's fragment, then every test stack, then every
    /// environment's whole stack.
    fn artifacts<'m>(&self, model: &'m Model, layout: &Layout) -> Vec<Artifact<'m>> {
        let mut files = Vec::new();
        for component in &model.components {
            let path = format!("compose/components/{}.yml", component.name);
            files.push(file(model, layout, path, move |factory| {
                fragment(factory, component)
            }));
        }
        for component in &model.components {
            let path = format!("compose/test/{}.yml", component.name);
            files.push(file(model, layout, path, move |factory| {
                test_stack(factory, component)
            }));
        }
        for environment in &model.environments {
            let path = format!("compose/environments/{}.yml", environment.name);
            let compose_path = path.clone();
            files.push(file(model, layout, path, move |factory| {
                whole_stack(factory, environment, &compose_path)
            }));
        }
        files
    }
}

/// Every Compose file, rendered, for the default layout, as (path,
/// contents): for tests.
pub fn emit(model: &Model) -> Vec<(String, String)> {
    super::render_all(Compose.artifacts(model, &Layout::default()))
}

/// One Compose file at `path` in the output folder, built and serialized by
/// `build` when it is rendered. Build contexts and host paths in it are
/// written against the workspace root as seen from the file's folder.
fn file<'m>(
    model: &'m Model,
    layout: &Layout,
    path: String,
    build: impl Fn(&ServiceFactory<'_>) -> String + Send + Sync + 'm,
) -> Artifact<'m> {
    let root = layout.workspace_from(Root::Output, &path);
    Artifact::new(Root::Output, path, FileMode::Regular, move || {
        build(&ServiceFactory { model, root: &root })
    })
}

/// The component, its fixture loaders, its immediate dependencies.
fn fragment(factory: &ServiceFactory<'_>, component: &Component) -> String {
    let model = factory.model;
    let own = ServicePlan {
        environment: TEST_ENVIRONMENT,
        publish: Publish::Nothing,
        dependencies: true,
        fixtures: true,
        pull_policy: PullPolicy::Build,
    };
    let wanted: BTreeSet<&str> = component
        .depends_on
        .iter()
        .chain(component.fixtures.iter().map(|f| &f.target))
        .map(String::as_str)
        .collect();
    let neighbours = ServicePlan {
        dependencies: false,
        fixtures: false,
        ..own
    };
    component_file(
        factory,
        project_name(&[&model.stack.name, &component.name]),
        component,
        own,
        in_order(model, &wanted),
        neighbours,
    )
}

/// The component, its transitive dependencies, its fixture loaders; `test` values.
fn test_stack(factory: &ServiceFactory<'_>, component: &Component) -> String {
    let model = factory.model;
    let own = ServicePlan {
        environment: TEST_ENVIRONMENT,
        publish: Publish::Ephemeral(TEST_HOST_IP),
        dependencies: true,
        fixtures: true,
        pull_policy: PullPolicy::Build,
    };
    // Fixture targets are dependencies; include them (and what they need)
    // all the same, so the file never names a service it lacks.
    let mut wanted: BTreeSet<&str> = model.graph.closure(&component.name).collect();
    for fixture in &component.fixtures {
        wanted.insert(&fixture.target);
        wanted.extend(model.graph.closure(&fixture.target));
    }
    wanted.remove(component.name.as_str());
    let dependency_plan = ServicePlan {
        publish: Publish::Nothing,
        fixtures: false,
        ..own
    };
    component_file(
        factory,
        test_stack_project(&model.stack.name, &component.name),
        component,
        own,
        in_order(model, &wanted),
        dependency_plan,
    )
}

/// One component's file: the component, the given dependencies, then its
/// own fixture loaders.
fn component_file<'m>(
    factory: &ServiceFactory<'m>,
    project: String,
    component: &'m Component,
    own: ServicePlan<'_>,
    dependencies: Vec<&'m Component>,
    dependency_plan: ServicePlan<'_>,
) -> String {
    let mut file = ComposeFile {
        name: project,
        services: IndexMap::new(),
    };
    file.services
        .insert(component.name.clone(), factory.component(component, own));
    for dependency in &dependencies {
        file.services.insert(
            dependency.name.clone(),
            factory.component(dependency, dependency_plan),
        );
    }
    for fixture in &component.fixtures {
        file.services.insert(
            fixture.service.clone(),
            factory.fixture_loader(fixture, own.pull_policy),
        );
    }
    let mut members = vec![component];
    members.extend(dependencies);
    file.to_yaml(&sources(factory.model, members))
}

/// Every component, with `environment`'s values and published ports; with
/// routes, the slots and the `haproxy` service. `path` is the file's path in
/// the output folder.
fn whole_stack(factory: &ServiceFactory<'_>, environment: &Environment, path: &str) -> String {
    let model = factory.model;
    let mut file = ComposeFile {
        name: whole_stack_project(&model.stack.name, &environment.name),
        services: IndexMap::new(),
    };
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
            greens.push((
                slot_services::service_name(&component.name, Slot::Green),
                slot_services::green(&service, component),
            ));
            slot_services::make_blue(&mut service, component);
        }
        file.services.insert(component.name.clone(), service);
    }
    // The analyser refuses a component named like one of these services
    // (E0101), so none replaces a component; on a Model built by hand that
    // breaks the rule, the map keeps one service per name (no panic).
    file.services.extend(greens);
    if haproxy::has_routes(model) {
        file.services.insert(
            PROXY_SERVICE.to_string(),
            proxy_service(model, environment, path, factory.root),
        );
    }
    let all: Vec<&str> = model.sources.iter().map(String::as_str).collect();
    file.to_yaml(&all)
}

/// The named components, in the model's (topological) order.
fn in_order<'m>(model: &'m Model, names: &BTreeSet<&str>) -> Vec<&'m Component> {
    model
        .components
        .iter()
        .filter(|c| names.contains(c.name.as_str()))
        .collect()
}

/// The spec files a file comes from: the workspace entry (stack and
/// environments) and the files defining its components, in load order.
fn sources<'m>(model: &'m Model, members: Vec<&'m Component>) -> Vec<&'m str> {
    let mut wanted: BTreeSet<&str> = members.iter().map(|c| c.source.as_str()).collect();
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
