//! Unit tests over a hand-built Model; `tests/compose/` checks the files
//! with Docker Compose and PyYAML.

use std::collections::BTreeMap;

use super::*;
use crate::model::{
    EnvVar, Environment, Fixture, Graph, Health, HealthCheck, PassValue, Port, Protocol, Stack,
    Text, TextPart, VarOperator,
};

fn port(name: &str, container: u16, published: Option<u16>) -> Port {
    Port::tcp(name, container, published)
}

fn env(name: &str, test: &str, dev: &str) -> EnvVar {
    EnvVar {
        name: name.into(),
        values: std::sync::Arc::new(
            [("test", Text::literal(test)), ("dev", Text::literal(dev))]
                .into_iter()
                .collect(),
        ),
        secret: false,
    }
}

fn component(name: &str, depends_on: &[&str]) -> Component {
    Component {
        name: name.into(),
        image: Text::literal(format!("newsroom/{name}")),
        build: None,
        command: None,
        ports: Vec::new(),
        depends_on: depends_on.iter().map(|d| d.to_string()).collect(),
        health: None,
        env: Vec::new(),
        fixtures: Vec::new(),
        tests: Vec::new(),
        routes: Vec::new(),
        deploy: None,
        kpi: None,
        replicas: 1,
        resources: Default::default(),
        placement: Vec::new(),
        secrets: Vec::new(),
        configs: Vec::new(),
        compose: Vec::new(),
        source: format!("services/{name}.stack"),
    }
}

fn model() -> Model {
    let mut couchbase = component("couchbase", &[]);
    couchbase.ports = vec![port("admin", 8091, Some(8091))];
    couchbase.health = Some(Health {
        check: HealthCheck::Tcp {
            port: port("admin", 8091, Some(8091)),
        },
        interval_ms: 2_000,
        timeout_ms: 60_000,
    });
    let mut redis = component("redis", &[]);
    redis.ports = vec![port("redis", 6379, None)];
    let mut api = component("api", &["couchbase", "redis"]);
    api.build = Some(crate::model::Build::context("services/api"));
    api.ports = vec![port("http", 8080, Some(8080)), port("admin", 9000, None)];
    api.health = Some(Health {
        check: HealthCheck::Http {
            path: "/health".into(),
            port: port("http", 8080, Some(8080)),
        },
        interval_ms: 2_000,
        timeout_ms: 90_000,
    });
    let mut home = env("HOME_DIR", "", "");
    let reference = Text {
        parts: vec![TextPart::Variable {
            name: "HOME".into(),
            operator: Some(VarOperator::DefaultIfEmpty),
            word: "/root".into(),
        }],
    };
    home.values = std::sync::Arc::new(
        [("test", reference.clone()), ("dev", reference)]
            .into_iter()
            .collect(),
    );
    api.env = vec![
        env("NODE_ENV", "test", "dev"),
        env("PRICE", "$5", "$5"),
        home,
    ];
    api.fixtures = vec![Fixture {
        service: "api-fixtures-couchbase".into(),
        target: "couchbase".into(),
        image: Text::literal("newsroom/api-fixtures"),
        build: None,
        command: Some("load /data".into()),
    }];
    api.compose = vec![
        (
            "restart".into(),
            PassValue::String(Text::literal("unless-stopped")),
        ),
        (
            "labels".into(),
            PassValue::Map(vec![(
                "com.example.team".into(),
                PassValue::String(Text::literal("news")),
            )]),
        ),
        // Collides with a key stackc writes: never a duplicate key.
        ("image".into(), PassValue::String(Text::literal("other"))),
    ];
    let web = component("web", &["api"]);
    let components = vec![couchbase, redis, api, web];
    let direct = components
        .iter()
        .map(|c| (c.name.clone(), c.depends_on.clone()))
        .collect();
    Model {
        stack: Stack {
            name: "newsroom".into(),
            registry: None,
            ci: None,
        },
        sources: vec![
            "Stackfile".into(),
            "services/api.stack".into(),
            "services/couchbase.stack".into(),
            "services/redis.stack".into(),
            "services/web.stack".into(),
        ],
        environments: vec![
            Environment {
                name: "test".into(),
                host: Text::literal("127.0.0.1"),
                host_ip: None,
                proxy: Default::default(),
                orchestrator: Default::default(),
                vars: Vec::new(),
                declared: true,
            },
            Environment {
                name: "dev".into(),
                host: Text::literal("127.0.0.1"),
                host_ip: None,
                proxy: Default::default(),
                orchestrator: Default::default(),
                vars: Vec::new(),
                declared: true,
            },
        ],
        components,
        toggles: Vec::new(),
        graph: Graph::build(&direct).expect("acyclic"),
        secrets: Vec::new(),
        configs: Vec::new(),
        networks: Vec::new(),
    }
}

fn file<'a>(files: &'a [(String, String)], path: &str) -> &'a str {
    files
        .iter()
        .find(|(p, _)| p == path)
        .map(|(_, text)| text.as_str())
        .unwrap_or_else(|| panic!("{path} not emitted"))
}

#[test]
fn emits_the_agreed_layout() {
    let files = emit(&model());
    let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "compose/components/couchbase.yml",
            "compose/components/redis.yml",
            "compose/components/api.yml",
            "compose/components/web.yml",
            "compose/test/couchbase.yml",
            "compose/test/redis.yml",
            "compose/test/api.yml",
            "compose/test/web.yml",
            "compose/environments/test.yml",
            "compose/environments/dev.yml",
        ]
    );
    assert_eq!(files, emit(&model()), "deterministic");
}

#[test]
fn api_test_stack() {
    let files = emit(&model());
    let text = file(&files, "compose/test/api.yml");
    let expected = r#"# Generated by stackc; do not edit. Spec files:
#   Stackfile
#   services/api.stack
#   services/couchbase.stack
#   services/redis.stack
# regenerate with: stackc build
name: newsroom-test-api
services:
  api:
    image: newsroom/api
    build:
      context: ../../../services/api
    pull_policy: build
    depends_on:
      couchbase:
        condition: service_healthy
      redis:
        condition: service_started
      api-fixtures-couchbase:
        condition: service_completed_successfully
    environment:
      NODE_ENV: test
      PRICE: $$5
      HOME_DIR: ${HOME:-/root}
    ports:
      - target: 8080
        host_ip: "127.0.0.1"
        protocol: tcp
    healthcheck:
      test:
        - CMD-SHELL
        - wget -q -O /dev/null 'http://127.0.0.1:8080/health' || curl -fsS -o /dev/null 'http://127.0.0.1:8080/health'
      interval: 2s
      timeout: 2s
      retries: 45
    restart: unless-stopped
    labels:
      com.example.team: news
  couchbase:
"#;
    assert!(text.starts_with(expected), "{text}");
    assert!(text.contains(
        "  api-fixtures-couchbase:\n    image: newsroom/api-fixtures\n    command:\n      - load\n      - /data\n    restart: \"no\"\n    depends_on:\n      couchbase:\n        condition: service_healthy\n"
    ), "{text}");
}

#[test]
fn fragments_leave_out_the_dependencies_dependencies() {
    let files = emit(&model());
    let web = file(&files, "compose/components/web.yml");
    assert!(web.contains("name: newsroom-web\n"), "{web}");
    assert!(web.contains("  api:\n    image: newsroom/api\n    build:\n      context: ../../../services/api\n    pull_policy: build\n    environment:"), "{web}");
    assert!(!web.contains("couchbase"), "{web}");
    assert!(!web.contains("ports:"), "{web}");
}

/// Every Compose file, rendered, with the workspace root at
/// `root_from_output` seen from the output folder.
fn emit_with_root(model: &Model, root_from_output: &str) -> Vec<(String, String)> {
    let layout = Layout {
        workspace_from_output: root_from_output.into(),
        ..Layout::default()
    };
    crate::emit::render_all(Compose.artifacts(model, &layout, &crate::emit::BuildCache::new(model)))
}

#[test]
fn whole_stack_publishes_every_published_port_and_no_loader() {
    let files = emit(&model());
    let dev = file(&files, "compose/environments/dev.yml");
    assert!(dev.contains("name: newsroom-dev\n"), "{dev}");
    assert!(dev.contains("NODE_ENV: dev"), "{dev}");
    assert!(!dev.contains("fixtures"), "{dev}");
    assert_eq!(dev.matches("published:").count(), 2, "{dev}");
    assert!(!dev.contains("host_ip"), "{dev}");
    // What CI pushed, for the images the team builds.
    assert!(
        dev.contains(
            "      context: ../../../services/api
    pull_policy: always
"
        ),
        "{dev}"
    );
    assert_eq!(dev.matches("pull_policy").count(), 1, "{dev}");
}

#[test]
fn a_pull_policy_passed_through_wins() {
    let mut model = model();
    if let Some(api) = model.components.iter_mut().find(|c| c.name == "api") {
        api.compose = vec![("pull_policy".into(), text("missing"))];
    }
    for (path, text) in emit(&model) {
        assert!(!text.contains("pull_policy: build"), "{path}: {text}");
        assert!(!text.contains("pull_policy: always"), "{path}: {text}");
    }
    let files = emit(&model);
    assert!(file(&files, "compose/test/api.yml").contains(
        "    pull_policy: missing
"
    ));
}

#[test]
fn a_test_stack_publishes_on_ports_docker_picks() {
    let files = emit(&model());
    for (path, text) in &files {
        if path.starts_with("compose/test/") {
            assert!(!text.contains("published:"), "{path}: {text}");
        }
    }
    let api = file(&files, "compose/test/api.yml");
    assert_eq!(api.matches("host_ip: \"127.0.0.1\"").count(), 1, "{api}");
}

#[test]
fn a_fixture_command_with_shell_syntax_runs_in_a_shell() {
    let mut model = model();
    if let Some(api) = model.components.iter_mut().find(|c| c.name == "api") {
        if let Some(fixture) = api.fixtures.first_mut() {
            fixture.command = Some("load a.sql && load b.sql".into());
        }
    }
    let files = emit(&model);
    let api = file(&files, "compose/test/api.yml");
    assert!(
        api.contains(
            "    command:\n      - /bin/sh\n      - -c\n      - load a.sql && load b.sql\n"
        ),
        "{api}"
    );
}

#[test]
fn root_follows_the_output_folder() {
    let files = emit_with_root(&model(), "../..");
    assert!(file(&files, "compose/test/api.yml").contains("context: ../../../../services/api\n"));
    let files = emit_with_root(&model(), ".");
    assert!(file(&files, "compose/test/api.yml").contains("context: ../../services/api\n"));
}

/// The analyser rejects pass-through keys in `MODELLED_COMPOSE_KEYS`; every
/// key stackc writes for a component must be in that list.
#[test]
fn modelled_keys_cover_what_a_component_service_writes() {
    let model = model();
    let mut api = model.component("api").expect("api").clone();
    api.command = Some(crate::model::Command::Shell("serve".into()));
    let api = &api;
    let factory = ServiceFactory {
        model: &model,
        root: "..",
        parts: None,
    };
    let plan = ServicePlan {
        environment: "test",
        publish: Publish::Published(None),
        dependencies: true,
        fixtures: true,
        pull_policy: crate::emit::compose::PullPolicy::Build,
    };
    let service = factory.component(api, plan);
    let written = serde_json::to_value(&service).expect("serializes");
    let passed: Vec<&str> = service.pass_through.keys().map(String::as_str).collect();
    let mut keys: Vec<&str> = written
        .as_object()
        .expect("a map")
        .keys()
        .map(String::as_str)
        .filter(|k| !passed.contains(k))
        // A default the pass-through may replace (see ServiceFactory).
        .filter(|k| *k != "pull_policy")
        .collect();
    keys.sort_unstable();
    let mut modelled = crate::model::MODELLED_COMPOSE_KEYS.to_vec();
    modelled.sort_unstable();
    assert_eq!(keys, modelled);
}

#[test]
fn header_names_each_spec_file_once() {
    let mut model = model();
    for component in &mut model.components {
        component.source = "Stackfile".into();
    }
    let files = emit(&model);
    let text = file(&files, "compose/test/api.yml");
    assert!(
        text.starts_with(
            "# Generated by stackc; do not edit. Spec files:\n#   Stackfile\n# regenerate with: stackc build\n"
        ),
        "{text}"
    );
}

fn text(value: &str) -> PassValue {
    PassValue::String(Text::literal(value))
}

fn list(items: &[&str]) -> PassValue {
    PassValue::List(items.iter().map(|i| text(i)).collect())
}

fn map(entries: &[(&str, PassValue)]) -> PassValue {
    PassValue::Map(
        entries
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    )
}

/// A model whose `db` names volumes and networks and uses relative paths.
fn storage_model() -> Model {
    let mut model = model();
    let redis = model
        .components
        .iter_mut()
        .find(|c| c.name == "redis")
        .expect("redis");
    redis.compose = vec![
        (
            "volumes".into(),
            PassValue::List(vec![
                text("pgdata:/var/lib/postgresql/data"),
                text("./data:/data:ro"),
                text("/srv/abs:/abs"),
                text("../outside:/outside"),
                text("/anonymous"),
                map(&[
                    ("type", text("volume")),
                    ("source", text("cache")),
                    ("target", text("/cache")),
                ]),
                map(&[
                    ("type", text("bind")),
                    ("source", text("./conf")),
                    ("target", text("/conf")),
                ]),
            ]),
        ),
        ("env_file".into(), text("./.env")),
        ("networks".into(), list(&["backend", "audit"])),
    ];
    let api = model
        .components
        .iter_mut()
        .find(|c| c.name == "api")
        .expect("api");
    api.compose = vec![
        (
            "env_file".into(),
            PassValue::List(vec![
                text(".env"),
                map(&[
                    ("path", text("./api.env")),
                    ("required", PassValue::Boolean(false)),
                ]),
            ]),
        ),
        (
            "networks".into(),
            map(&[("frontend", map(&[])), ("default", map(&[]))]),
        ),
    ];
    model
}

#[test]
fn named_volumes_and_networks_are_declared_at_the_top_level() {
    let files = emit(&storage_model());
    let redis = file(&files, "compose/components/redis.yml");
    assert!(
        redis.ends_with(
            "networks:\n  audit: {}\n  backend: {}\nvolumes:\n  cache: {}\n  pgdata: {}\n"
        ),
        "{redis}"
    );
    // api's file holds redis too: its names are declared there as well.
    let api = file(&files, "compose/test/api.yml");
    assert!(
        api.ends_with(
            "networks:\n  audit: {}\n  backend: {}\n  frontend: {}\nvolumes:\n  cache: {}\n  pgdata: {}\n"
        ),
        "{api}"
    );
    // couchbase names nothing: no top-level section.
    let couchbase = file(&files, "compose/test/couchbase.yml");
    assert!(!couchbase.contains("\nnetworks:") && !couchbase.contains("\nvolumes:"));
}

#[test]
fn a_service_naming_networks_stays_on_the_default_network() {
    let files = emit(&storage_model());
    let redis = file(&files, "compose/components/redis.yml");
    assert!(
        redis.contains("    networks:\n      - backend\n      - audit\n      - default\n"),
        "{redis}"
    );
    // Named already: not added twice.
    let api = file(&files, "compose/components/api.yml");
    assert!(
        api.contains("    networks:\n      frontend: {}\n      default: {}\n"),
        "{api}"
    );
}

#[test]
fn relative_host_paths_resolve_against_the_workspace_root() {
    let files = emit(&storage_model());
    let redis = file(&files, "compose/components/redis.yml");
    for line in [
        "      - pgdata:/var/lib/postgresql/data\n",
        "      - ../../../data:/data:ro\n",
        "      - /srv/abs:/abs\n",
        // Above the workspace root: left as written.
        "      - ../outside:/outside\n",
        "      - /anonymous\n",
        "        source: ../../../conf\n",
        "    env_file: ../../../.env\n",
    ] {
        assert!(redis.contains(line), "{line:?} in {redis}");
    }
    let api = file(&files, "compose/components/api.yml");
    assert!(api.contains("      - ../../../.env\n"), "{api}");
    assert!(api.contains("      - path: ../../../api.env\n"), "{api}");
    let files = emit_with_root(&storage_model(), ".");
    let redis = file(&files, "compose/components/redis.yml");
    assert!(redis.contains("      - ../../data:/data:ro\n"), "{redis}");
}

mod assembly;
mod routed;

#[test]
fn a_port_has_an_entry_per_protocol_and_its_own_host_ip() {
    let mut model = model();
    if let Some(api) = model.components.iter_mut().find(|c| c.name == "api") {
        let mut dns = port("dns", 53, Some(1053));
        dns.protocols = vec![Protocol::Tcp, Protocol::Udp];
        let mut metrics = port("metrics", 9100, Some(19100));
        metrics.host_ip = Some(Text::literal("127.0.0.1"));
        api.ports = vec![dns, metrics];
    }
    if let Some(dev) = model.environments.iter_mut().find(|e| e.name == "dev") {
        dev.host_ip = Some(Text::literal("10.0.0.5"));
    }
    let files = emit(&model);
    let dev = file(&files, "compose/environments/dev.yml");
    let expected = "    ports:
      - target: 53
        published: \"1053\"
        host_ip: \"10.0.0.5\"
        protocol: tcp
      - target: 53
        published: \"1053\"
        host_ip: \"10.0.0.5\"
        protocol: udp
      - target: 9100
        published: \"19100\"
        host_ip: \"127.0.0.1\"
        protocol: tcp
";
    assert!(dev.contains(expected), "{dev}");
    // A test stack publishes both protocols, on loopback as ever.
    let api = file(&files, "compose/test/api.yml");
    let expected = "    ports:
      - target: 53
        host_ip: \"127.0.0.1\"
        protocol: tcp
      - target: 53
        host_ip: \"127.0.0.1\"
        protocol: udp
      - target: 9100
        host_ip: \"127.0.0.1\"
        protocol: tcp
";
    assert!(api.contains(expected), "{api}");
}
