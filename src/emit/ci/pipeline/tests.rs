//! The job graph over hand-built Models: which jobs exist, what each needs,
//! what each runs.

use std::collections::BTreeMap;

use super::*;
use crate::model::{CiProvider, Component, Graph, Port, Route, Stack, TestStage, TestSuite, Text};

fn suite(name: &str) -> TestSuite {
    TestSuite {
        name: name.into(),
        runner: None,
        path: None,
        command: None,
    }
}

fn component(name: &str, build: bool, depends_on: &[&str], suites: &[&str]) -> Component {
    Component {
        name: name.into(),
        image: Text::literal(format!("shop/{name}")),
        build: build.then(|| crate::model::Build::context(format!("services/{name}"))),
        command: None,
        ports: Vec::new(),
        depends_on: depends_on.iter().map(|d| d.to_string()).collect(),
        health: None,
        env: Vec::new(),
        fixtures: Vec::new(),
        tests: suites.iter().map(|s| suite(s)).collect(),
        routes: Vec::new(),
        deploy: None,
        kpi: None,
        replicas: 1,
        resources: Default::default(),
        placement: Vec::new(),
        secrets: Vec::new(),
        configs: Vec::new(),
        compose: Vec::new(),
        source: "Stackfile".into(),
    }
}

pub(crate) fn ci(deploy: Option<&str>) -> Ci {
    Ci {
        providers: vec![CiProvider::Github, CiProvider::Gitlab],
        default_branch: "main".into(),
        runs_on: vec!["ubuntu-latest".into()],
        tags: Vec::new(),
        deploy_runs_on: None,
        deploy_tags: None,
        stages: vec![("checks".into(), TestStage::NonFunctional)],
        deploy: deploy.map(str::to_string),
        state_dir: None,
        secrets: Vec::new(),
        repository_root: None,
        install_stackc: None,
    }
}

/// db (no build, no suites) ← cache (no build, a component suite) ← api
/// (build, a published port, suites of every stage) ← web (build, routed,
/// integration and acceptance suites); `docs` stands alone with only a
/// build context.
pub(crate) fn shop(deploy: Option<&str>) -> Model {
    let mut api = component(
        "api",
        true,
        &["cache", "db"],
        &["functional", "contract", "checks", "e2e"],
    );
    api.ports = vec![Port::tcp("http", 8080, Some(8081))];
    let mut web = component("web", true, &["api"], &["unit", "integration", "smoke"]);
    web.routes = vec![Route {
        name: "public".into(),
        host: "shop.example".into(),
        path: "/".into(),
        port: Port::tcp("http", 80, Some(8080)),
    }];
    let components = [
        component("db", false, &[], &[]),
        component("cache", false, &["db"], &["functional"]),
        api,
        web,
        component("docs", true, &[], &[]),
    ];
    let direct: BTreeMap<String, Vec<String>> = components
        .iter()
        .map(|c| (c.name.clone(), c.depends_on.clone()))
        .collect();
    let graph = Graph::build(&direct).unwrap_or_else(|| panic!("acyclic"));
    let ordered = graph
        .order
        .iter()
        .filter_map(|name| components.iter().find(|c| &c.name == name).cloned())
        .collect();
    Model {
        stack: Stack {
            name: "shop".into(),
            registry: None,
            ci: Some(ci(deploy)),
        },
        sources: vec!["Stackfile".into()],
        environments: Vec::new(),
        components: ordered,
        toggles: Vec::new(),
        graph,
        secrets: Vec::new(),
        configs: Vec::new(),
        networks: Vec::new(),
    }
}

fn pipeline(model: &Model) -> Pipeline {
    let Some(ci) = &model.stack.ci else {
        panic!("no ci block");
    };
    Pipeline::new(model, ci, &Layout::default())
}

/// Every job as `id: needs`, GitHub ids.
fn graph(pipeline: &Pipeline) -> Vec<String> {
    pipeline
        .jobs
        .iter()
        .map(|job| {
            let needs: Vec<String> = job.needs.iter().map(JobId::github).collect();
            format!("{}: {}", job.id.github(), needs.join(" "))
        })
        .collect()
}

#[test]
fn needs_per_job() {
    assert_eq!(
        graph(&pipeline(&shop(Some("prod")))),
        [
            "deploy-db: ",
            "test-cache: ",
            "deploy-cache: test-cache deploy-db",
            "build-api: ",
            "test-api: build-api",
            "push-api: test-api",
            "integration-api: push-api test-cache",
            "non-functional-api: integration-api",
            "deploy-api: build-api test-api push-api integration-api non-functional-api deploy-db deploy-cache",
            "acceptance-api: deploy-api",
            "build-docs: ",
            "push-docs: build-docs",
            "deploy-docs: build-docs push-docs deploy-api",
            "build-web: ",
            "test-web: build-web",
            "push-web: test-web",
            "integration-web: push-web push-api",
            "deploy-web: build-web test-web push-web integration-web deploy-api deploy-docs",
            "acceptance-web: deploy-web",
        ]
    );
}

#[test]
fn deploy_jobs_form_one_chain_in_the_models_order() {
    let pipeline = pipeline(&shop(Some("prod")));
    let deploys: Vec<&Job> = pipeline
        .jobs
        .iter()
        .filter(|job| job.stage() == JobStage::Deploy)
        .collect();
    let order: Vec<&str> = deploys.iter().map(|job| job.component()).collect();
    // Every component has one, in the Model's (topological) order.
    assert_eq!(order, ["db", "cache", "api", "docs", "web"]);
    // Each needs the one before it, whatever the component (docs depends
    // on nothing, web not on docs): no two deploy jobs of a pipeline can
    // run at once.
    for pair in deploys.windows(2) {
        if let [previous, next] = pair {
            assert!(
                next.needs.contains(&previous.id),
                "{} does not wait for {}",
                next.id.github(),
                previous.id.github()
            );
        }
    }
    assert!(deploys
        .first()
        .is_some_and(|first| !first.needs.iter().any(|id| id.stage == JobStage::Deploy)));
    // Only deploy jobs wait for `check`.
    for stage in JobStage::ALL {
        assert_eq!(stage.needs_check(), stage == JobStage::Deploy, "{stage:?}");
    }
}

#[test]
fn install_stackc_replaces_the_default_install_command() {
    let mut model = shop(None);
    let default = pipeline(&model);
    assert_eq!(
        default.install,
        format!(
            "command -v stackc >/dev/null || {{ cargo install --locked stackc --version {STACKC_VERSION}; }}"
        )
    );
    if let Some(ci) = &mut model.stack.ci {
        ci.install_stackc =
            Some("curl -fsSL https://get.example/stackc | sh && stackc --version".into());
    }
    assert_eq!(
        pipeline(&model).install,
        "command -v stackc >/dev/null || { curl -fsSL https://get.example/stackc | sh && stackc --version; }"
    );
}

#[test]
fn no_deploy_environment_no_deploy_or_acceptance_jobs() {
    let jobs = graph(&pipeline(&shop(None)));
    assert_eq!(
        jobs,
        [
            "test-cache: ",
            "build-api: ",
            "test-api: build-api",
            "push-api: test-api",
            "integration-api: push-api test-cache",
            "non-functional-api: integration-api",
            "build-docs: ",
            "push-docs: build-docs",
            "build-web: ",
            "test-web: build-web",
            "push-web: test-web",
            "integration-web: push-web push-api",
        ]
    );
}

#[test]
fn jobs_only_where_there_is_something_to_do() {
    let pipeline = pipeline(&shop(None));
    let of = |component: &str| -> Vec<JobStage> {
        pipeline
            .jobs
            .iter()
            .filter(|job| job.component() == component)
            .map(Job::stage)
            .collect()
    };
    // No build context, no suites: nothing to do before a deploy.
    assert_eq!(of("db"), []);
    // No build context: no build, no push; its suite still runs.
    assert_eq!(of("cache"), [JobStage::Test]);
    assert_eq!(of("docs"), [JobStage::Build, JobStage::Push]);
}

#[test]
fn non_functional_without_integration_waits_for_the_latest_job() {
    let mut model = shop(None);
    if let Some(api) = model.components.iter_mut().find(|c| c.name == "api") {
        api.tests.retain(|suite| suite.name != "contract");
    }
    let jobs = graph(&pipeline(&model));
    assert!(
        jobs.contains(&"non-functional-api: push-api".to_string()),
        "{jobs:?}"
    );
    assert!(!jobs.iter().any(|job| job.starts_with("integration-api")));
}

#[test]
fn commands_call_the_task_runner() {
    let pipeline = pipeline(&shop(Some("prod")));
    let commands = |id: JobId| -> Vec<String> {
        pipeline
            .job(&id)
            .map(|job| job.commands.clone())
            .unwrap_or_default()
    };
    assert_eq!(
        commands(JobId::new(JobStage::Build, "api")),
        ["./generated/stack build api"]
    );
    assert_eq!(
        commands(JobId::new(JobStage::Test, "api")),
        ["./generated/stack test api functional --xml reports"]
    );
    assert_eq!(
        commands(JobId::new(JobStage::Push, "api")),
        ["./generated/stack docker:push api"]
    );
    // `contract` by its default stage, `checks` placed by the ci block.
    assert_eq!(
        commands(JobId::new(JobStage::Integration, "api")),
        ["./generated/stack test api contract --xml reports"]
    );
    assert_eq!(
        commands(JobId::new(JobStage::NonFunctional, "api")),
        ["./generated/stack test api checks --xml reports"]
    );
    // Unrouted with a build context: this commit's image becomes the spec's
    // own reference, which the environment's Compose file pulls.
    assert_eq!(
        commands(JobId::new(JobStage::Deploy, "api")),
        [
            "./generated/stack docker:promote api",
            "./generated/stack up api --env prod"
        ]
    );
    // Image only: the spec's image as it is.
    assert_eq!(
        commands(JobId::new(JobStage::Deploy, "db")),
        ["./generated/stack up db --env prod"]
    );
    assert_eq!(
        commands(JobId::new(JobStage::Deploy, "docs")),
        [
            "./generated/stack docker:promote docs",
            "./generated/stack up docs --env prod"
        ]
    );
    assert_eq!(
        commands(JobId::new(JobStage::Acceptance, "api")),
        ["./generated/stack test:remote api e2e --env prod --xml reports"]
    );
    assert_eq!(
        commands(JobId::new(JobStage::Deploy, "web")),
        [
            "./generated/stack up --env prod",
            "./generated/stack deploy web --env prod --commit"
        ]
    );
}

#[test]
fn a_routed_component_without_build_context_deploys_the_specs_image() {
    let mut model = shop(Some("prod"));
    if let Some(web) = model.components.iter_mut().find(|c| c.name == "web") {
        web.build = None;
    }
    let pipeline = pipeline(&model);
    let deploy = pipeline.job(&JobId::new(JobStage::Deploy, "web"));
    assert_eq!(
        deploy.map(|job| job.commands.clone()),
        Some(vec![
            "./generated/stack up --env prod".to_string(),
            "./generated/stack deploy web --env prod".to_string()
        ])
    );
}

#[test]
fn the_layout_decides_paths() {
    let model = shop(None);
    let Some(ci) = &model.stack.ci else {
        panic!("no ci block");
    };
    let default = Pipeline::new(&model, ci, &Layout::default());
    assert_eq!(default.check, "stackc build --check");
    assert_eq!(default.runner, "./generated/stack");
    assert_eq!(default.workspace, None);
    assert_eq!(default.from_repository(REPORTS), "reports");
    let monorepo = Layout {
        workspace_from_output: "../../shop".into(),
        workspace_from_repository: "./apps/shop/".into(),
        output_from_workspace: "../../out/shop".into(),
    };
    let moved = Pipeline::new(&model, ci, &monorepo);
    assert_eq!(
        moved.check,
        "stackc build --check --out ../../out/shop --repository-root ../.."
    );
    assert_eq!(moved.runner, "../../out/shop/stack");
    assert_eq!(moved.workspace.as_deref(), Some("apps/shop"));
    assert_eq!(moved.from_repository(REPORTS), "apps/shop/reports");
    assert_eq!(task_runner("my out"), "'./my out/stack'");
    assert_eq!(task_runner("gen/"), "./gen/stack");
}

#[test]
fn no_acceptance_job_for_a_component_nothing_reaches() {
    let mut model = shop(Some("prod"));
    for component in &mut model.components {
        if component.name == "api" {
            component.ports.clear();
        }
    }
    let ids: Vec<String> = pipeline(&model)
        .jobs
        .iter()
        .map(|job| job.id.github())
        .collect();
    assert!(ids.contains(&"deploy-api".to_string()), "{ids:?}");
    assert!(!ids.contains(&"acceptance-api".to_string()), "{ids:?}");
    assert!(ids.contains(&"acceptance-web".to_string()), "{ids:?}");
}

#[test]
fn a_swarm_environment_is_deployed_by_the_swarm_task() {
    let mut model = shop(Some("prod"));
    model.environments = vec![crate::model::Environment {
        name: "prod".into(),
        host: crate::model::Text::literal("10.0.0.5"),
        host_ip: None,
        proxy: Default::default(),
        orchestrator: crate::model::Orchestrator::Swarm,
        vars: Vec::new(),
        declared: true,
    }];
    let pipeline = pipeline(&model);
    let commands = |name: &str| {
        pipeline
            .job(&JobId::new(JobStage::Deploy, name))
            .map(|job| job.commands.clone())
            .unwrap_or_default()
    };
    // Routed or not, Swarm rolls each service itself; a component built
    // here has this commit's image promoted to the spec's reference first.
    assert_eq!(
        commands("web"),
        [
            "./generated/stack docker:promote web",
            "./generated/stack swarm:deploy --env prod"
        ]
    );
    assert_eq!(
        commands("db"),
        ["./generated/stack swarm:deploy --env prod"]
    );
}
