//! The whole-file path the Compose target used before files were assembled
//! from shared pieces: each file's services built into one
//! [`ComposeFile`] and serialized together. Kept as the test oracle the
//! assembled text must equal byte for byte.

use std::collections::BTreeSet;

use indexmap::IndexMap;

use super::*;
use crate::model::{
    Component, Environment, Model, Orchestrator, Slot, PROXY_SERVICE, TEST_ENVIRONMENT,
};
use crate::output::{Layout, Root};

/// Every Compose file as [`Compose`] lays them out, serialized whole.
pub fn emit(model: &Model, layout: &Layout) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let render = |path: String, build: &dyn Fn(&ServiceFactory<'_>) -> String| {
        let root = layout.workspace_from(Root::Output, &path);
        let text = build(&ServiceFactory {
            model,
            root: &root,
            parts: None,
        });
        (path, text)
    };
    for component in &model.components {
        let path = format!("compose/components/{}.yml", component.name);
        files.push(render(path, &|factory| fragment(factory, component)));
    }
    for component in &model.components {
        let path = format!("compose/test/{}.yml", component.name);
        files.push(render(path, &|factory| test_stack(factory, component)));
    }
    for environment in model.environments_on(Orchestrator::Compose) {
        let path = format!("compose/environments/{}.yml", environment.name);
        let compose_path = path.clone();
        files.push(render(path, &|factory| {
            whole_stack(factory, environment, &compose_path)
        }));
    }
    files
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
        declared: &factory.model.networks,
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
    let members: Vec<(usize, &Component)> = members.into_iter().map(|c| (0, c)).collect();
    file.to_yaml(&sources(factory.model, &members))
}

/// Every component, with `environment`'s values and published ports; with
/// routes, the slots and the `haproxy` service. `path` is the file's path in
/// the output folder.
fn whole_stack(factory: &ServiceFactory<'_>, environment: &Environment, path: &str) -> String {
    let model = factory.model;
    let mut file = ComposeFile {
        name: whole_stack_project(&model.stack.name, &environment.name),
        services: IndexMap::new(),
        declared: &factory.model.networks,
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
            proxy_service(
                model,
                environment,
                &haproxy::config(model, environment).unwrap_or_default(),
                path,
                factory.root,
            ),
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
