//! The Swarm target on the fixture workspaces of `tests/fixtures/swarm/`
//! (whose files tests/swarm_files.rs also snapshots and holds to `docker
//! stack config`, the Compose schema and `haproxy -c`).

use std::path::Path;

use indexmap::IndexMap;

use super::*;
use crate::emit::compose::{PassThroughValue, ServiceFactory};
use crate::model::{Model, Orchestrator};

fn compiled(path: &str) -> Model {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let compilation = crate::compile::compile(&dir);
    let model = compilation.ok().and_then(|c| c.model);
    model.unwrap_or_else(|| panic!("{path} compiles"))
}

fn shop() -> Model {
    compiled("tests/fixtures/swarm/shop")
}

/// Component `name`'s service in environment `prod` of `model`.
fn service<'m>(model: &'m Model, name: &str) -> SwarmService<'m> {
    let environment = model.environment("prod").expect("prod");
    let component = model.component(name).expect("the component");
    let factory = ServiceFactory {
        model,
        root: "../..",
        parts: None,
    };
    component_service(&factory, environment, component)
}

fn keys<'a>(map: &'a IndexMap<String, PassThroughValue<'_>>) -> Vec<&'a str> {
    map.keys().map(String::as_str).collect()
}

#[test]
fn only_swarm_environments_get_files() {
    // Payments runs on one host and on Kubernetes: no Swarm file.
    let payments = compiled("examples/payments");
    assert!(Swarm
        .artifacts(
            &payments,
            &Layout::default(),
            &crate::emit::BuildCache::new(&payments)
        )
        .is_empty());
    let model = shop();
    let paths: Vec<String> = emit(&model).into_iter().map(|(path, _)| path).collect();
    assert_eq!(paths, ["swarm/prod.yml", "swarm/prod.haproxy.cfg"]);
    let plain = compiled("tests/fixtures/swarm/plain");
    let files = emit(&plain);
    assert_eq!(files.len(), 1, "no route, no edge: {files:?}");
    assert!(!files[0].1.contains("configs:"), "{}", files[0].1);
}

#[test]
fn the_edge_config_is_named_after_its_digest() {
    let model = shop();
    let files = emit(&model);
    let (stack, edge) = (&files[0].1, &files[1].1);
    let name = format!("name: shop-prod_haproxy_{}\n", digest(edge));
    assert!(stack.contains(&name), "{name} in:\n{stack}");
    assert!(stack.contains("file: ./prod.haproxy.cfg\n"));
    assert_eq!(emit(&model), files, "deterministic");
}

#[test]
fn a_canary_rolls_one_task_at_a_time_start_first() {
    let model = shop();
    let web = service(&model, "web");
    let update = &web.deploy.update_config;
    assert_eq!((web.deploy.mode, web.deploy.replicas), ("replicated", 3));
    assert_eq!(
        (update.parallelism, update.delay.as_str(), update.order),
        (1, "15s", "start-first")
    );
    assert_eq!(
        (update.failure_action, update.max_failure_ratio),
        ("rollback", 0)
    );
    assert_eq!(web.deploy.rollback_config.failure_action, "pause");
    let resources = web.deploy.resources.as_ref().expect("resources");
    let limits = resources.limits.as_ref().expect("limits");
    assert_eq!(
        (limits.cpus.as_deref(), limits.memory.as_deref()),
        (Some("0.5"), Some("256m"))
    );
    let placement = web.deploy.placement.as_ref().expect("placement");
    assert_eq!(
        placement.constraints,
        ["node.role==worker", "node.labels.zone!=eu-3"]
    );
    assert_eq!(web.depends_on, ["api"]);
    assert!(web.ports.is_empty(), "web publishes nothing");
}

#[test]
fn what_swarm_ignores_is_left_out_and_the_rest_kept() {
    let model = shop();
    let web = service(&model, "web");
    // `restart` is Swarm's own business.
    assert_eq!(keys(&web.pass_through), ["init", "labels"]);
    assert_eq!(web.stop_grace_period.as_deref(), Some("15s"));
    let api = service(&model, "api");
    // `pull_policy` is dropped; the pass-through's stop grace wins.
    assert_eq!(keys(&api.pass_through), ["stop_grace_period"]);
    assert_eq!(api.stop_grace_period, None);
    assert_eq!(keys(&api.deploy.merged), ["labels", "endpoint_mode"]);
    assert_eq!(
        api.ports,
        [PublishedPort::tcp(8080, 8081, PublishMode::Ingress)]
    );
    assert_eq!(api.deploy.update_config.order, "start-first");
    assert_eq!(api.deploy.update_config.parallelism, 0);
    let db = service(&model, "db");
    // `shm_size` is ignored by docker stack deploy; the others stay.
    assert_eq!(
        keys(&db.pass_through),
        ["volumes", "networks", "ulimits", "x-backup"]
    );
    assert_eq!(db.deploy.update_config.order, "stop-first");
    assert!(db.healthcheck.is_some());
}

#[test]
fn the_stack_declares_its_networks_and_volumes() {
    let model = shop();
    let text = &emit(&model)[0].1;
    assert!(
        text.contains(
            "networks:\n  default:\n    driver: overlay\n  storage: {}\nvolumes:\n  pgdata: {}\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("      - storage\n      - default\n"),
        "{text}"
    );
    assert!(
        text.contains("      - ../../initdb:/docker-entrypoint-initdb.d:ro\n"),
        "bind mounts are rebased onto the workspace: {text}"
    );
    assert!(
        !text.contains("build:") && !text.contains("fixtures"),
        "{text}"
    );
    assert!(text.starts_with("# Generated by stackc; do not edit."));
}

#[test]
fn the_edge_holds_its_ports_and_updates_stop_first() {
    let model = shop();
    let environment = model.environment("prod").expect("prod");
    assert_eq!(environment.orchestrator, Orchestrator::Swarm);
    let edge = edge_service(&model, environment, EDGE_CONFIG_KEY);
    assert_eq!(
        edge.ports,
        [
            PublishedPort::tcp(8080, 8080, PublishMode::Host),
            PublishedPort::tcp(8404, 8405, PublishMode::Host),
        ]
    );
    assert_eq!(edge.deploy.update_config.order, "stop-first");
    assert_eq!(edge.deploy.replicas, 1);
    assert_eq!(edge.depends_on, ["web"]);
    assert_eq!(
        edge.configs,
        [crate::emit::compose::FileMount::Long {
            source: "haproxy".into(),
            target: "/usr/local/etc/haproxy/haproxy.cfg".into(),
        }]
    );
    let config = EdgeConfig::new(&model, environment).expect("a route");
    assert_eq!(config.backends.len(), 1);
    assert_eq!(config.backends[0].slots, 6);
    assert_eq!(config.backends[0].address, "tasks.web:80");
    assert!(config
        .render()
        .contains("    server-template web 6 tasks.web:80\n"));
}
