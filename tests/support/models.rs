//! Hand-built Models for the script tests (what the analyser would produce
//! for small workspaces), until every case has a Stackfile example.

use std::collections::BTreeMap;

use stackc::model::{
    Build, Component, Deploy, Environment, Fixture, Graph, Health, HealthCheck, Kpi, Model,
    Orchestrator, Port, Route, Runner, RuntimeApi, Stack, Strategy, TestSuite, Text, TextPart,
    Tolerance, VarOperator,
};

pub fn port(name: &str, container: u16, published: Option<u16>) -> Port {
    Port::tcp(name, container, published)
}

pub fn component(name: &str, image: &str) -> Component {
    Component {
        name: name.to_string(),
        image: Text::literal(image),
        build: None,
        command: None,
        ports: Vec::new(),
        depends_on: Vec::new(),
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
        source: "Stackfile".to_string(),
    }
}

pub fn suite(
    name: &str,
    runner: Option<&str>,
    path: Option<&str>,
    command: Option<&str>,
) -> TestSuite {
    TestSuite {
        name: name.to_string(),
        runner: runner.map(|name| Runner::from_name(name).expect("a runner stackc knows")),
        path: path.map(str::to_string),
        command: command.map(str::to_string),
    }
}

pub fn http_health(path: &str, port: Port, interval_ms: u64, timeout_ms: u64) -> Health {
    Health {
        check: HealthCheck::Http {
            path: path.to_string(),
            port,
        },
        interval_ms,
        timeout_ms,
    }
}

pub fn environment(name: &str, host: Text) -> Environment {
    Environment {
        name: name.to_string(),
        host,
        host_ip: None,
        proxy: Default::default(),
        orchestrator: Default::default(),
        vars: Vec::new(),
        declared: true,
    }
}

/// A Model with its graph built from the components' dependencies; the
/// components are put in topological order, as the analyser does.
pub fn model(name: &str, environments: Vec<Environment>, components: Vec<Component>) -> Model {
    let direct: BTreeMap<String, Vec<String>> = components
        .iter()
        .map(|c| (c.name.clone(), c.depends_on.clone()))
        .collect();
    let graph = Graph::build(&direct).expect("acyclic");
    let mut ordered = Vec::new();
    for name in &graph.order {
        if let Some(c) = components.iter().find(|c| &c.name == name) {
            ordered.push(c.clone());
        }
    }
    Model {
        stack: Stack {
            name: name.to_string(),
            registry: None,
            ci: None,
        },
        sources: vec!["Stackfile".to_string()],
        environments,
        components: ordered,
        toggles: Vec::new(),
        graph,
        secrets: Vec::new(),
        configs: Vec::new(),
        networks: Vec::new(),
    }
}

/// A newsroom-like stack: a dependency chain three deep, every kind of
/// health check, fixtures, suites with runners, paths and commands, and an
/// environment host resolved at run time.
pub fn newsroom() -> Model {
    let mut redis = component("redis", "redis:7");
    redis.ports = vec![port("redis", 6379, Some(6379))];
    redis.health = Some(Health {
        check: HealthCheck::Command {
            command: "redis-cli ping".to_string(),
        },
        interval_ms: 1000,
        timeout_ms: 30_000,
    });

    let mut couchbase = component("couchbase", "couchbase:7");
    couchbase.ports = vec![port("admin", 8091, Some(8091))];
    couchbase.health = Some(Health {
        check: HealthCheck::Tcp {
            port: port("admin", 8091, Some(8091)),
        },
        interval_ms: 2000,
        timeout_ms: 120_000,
    });

    let mut api = component("api", "newsroom/api");
    api.build = Some(Build::context("services/api"));
    api.ports = vec![port("http", 8080, Some(8080)), port("admin", 9000, None)];
    api.depends_on = vec!["couchbase".to_string(), "redis".to_string()];
    api.health = Some(http_health(
        "/health",
        port("http", 8080, Some(8080)),
        2000,
        90_000,
    ));
    api.fixtures = vec![Fixture {
        service: "api-fixtures-couchbase".to_string(),
        target: "couchbase".to_string(),
        image: Text::literal("newsroom/api-fixtures"),
        build: Some("services/api/fixtures".to_string()),
        command: Some("load /data".to_string()),
    }];
    api.tests = vec![
        suite("functional", Some("mocha"), Some("test/functional"), None),
        suite("integration", Some("cucumber"), Some("features"), None),
        suite("smoke", None, None, Some("curl -fsS \"$STACK_URL/health\"")),
    ];

    let mut web_ui = component("web-ui", "newsroom/web-ui");
    web_ui.build = Some(Build::context("services/web"));
    web_ui.ports = vec![port("http", 3000, Some(3000))];
    web_ui.depends_on = vec!["api".to_string()];
    web_ui.health = Some(http_health("/", port("http", 3000, Some(3000)), 500, 1500));
    web_ui.tests = vec![suite("unit", None, None, None)];

    model(
        "newsroom",
        vec![
            environment("test", Text::literal("127.0.0.1")),
            environment(
                "dev",
                Text {
                    parts: vec![TextPart::Variable {
                        name: "DOCKER_HOST_IP".to_string(),
                        operator: Some(VarOperator::DefaultIfEmpty),
                        word: "192.168.59.103".to_string(),
                    }],
                },
            ),
            environment("prod", Text::literal("10.0.0.1")),
        ],
        vec![web_ui, api, couchbase, redis],
    )
}

/// Values that break naive quoting, everywhere the script shows them.
pub const HOSTILE: &str = "it's \"$HOME\" `touch pwned` $(touch pwned) \\ ; | & * ~ é ✓\nline two";

/// A stack whose every free-text value is hostile.
pub fn hostile() -> Model {
    let mut app = component("app", HOSTILE);
    app.build = Some(Build::context(format!("ctx/{HOSTILE}")));
    app.ports = vec![port("http", 8080, Some(18080))];
    app.health = Some(http_health(
        &format!("/health?q={HOSTILE}"),
        port("http", 8080, Some(18080)),
        1000,
        2000,
    ));
    app.tests = vec![
        suite("path", Some("shell"), Some(&format!("{HOSTILE}.sh")), None),
        suite(
            "command",
            None,
            None,
            Some("printf '%s\\n' \"$1\" 'it'\\''s' \"a  b\""),
        ),
    ];
    app.fixtures = vec![Fixture {
        service: "app-fixtures-app".to_string(),
        target: "app".to_string(),
        image: Text::literal(format!("{HOSTILE}-fixtures")),
        build: Some(format!("fixtures/{HOSTILE}")),
        command: None,
    }];
    let mut m = model(
        HOSTILE,
        vec![environment(
            "test",
            Text {
                parts: vec![
                    TextPart::Literal(format!("{HOSTILE}-")),
                    TextPart::Variable {
                        name: "STACKC_HOST".to_string(),
                        operator: Some(VarOperator::DefaultIfEmpty),
                        word: HOSTILE.to_string(),
                    },
                ],
            },
        )],
        vec![app],
    );
    m.sources = vec!["Stackfile".to_string(), format!("{HOSTILE}.stack")];
    m
}

/// One component, no health check, no suites, the implied test environment.
pub fn minimal() -> Model {
    let mut hello = component("hello", "minimal/hello");
    hello.ports = vec![port("http", 80, Some(8000))];
    let mut m = model(
        "minimal",
        vec![environment("test", Text::literal("127.0.0.1"))],
        vec![hello],
    );
    if let Some(e) = m.environments.first_mut() {
        e.declared = false;
    }
    m
}

/// What the bats tests drive through whole tasks with a fake `docker`
/// (tests/shims/docker): a component with a dependency whose health check is
/// a command, a fixture loader, and suites of every kind.
pub fn harness() -> Model {
    let mut db = component("db", "harness/db");
    db.health = Some(Health {
        check: HealthCheck::Command {
            command: "test ! -e \"$HARNESS_DB_DOWN\"".to_string(),
        },
        interval_ms: 100,
        timeout_ms: 1500,
    });
    let mut svc = component("svc", "harness/svc");
    svc.build = Some(Build::context("svc"));
    svc.depends_on = vec!["db".to_string()];
    svc.fixtures = vec![Fixture {
        service: "svc-fixtures-db".to_string(),
        target: "db".to_string(),
        image: Text::literal("harness/svc-fixtures"),
        build: None,
        command: None,
    }];
    svc.tests = vec![
        suite(
            "check",
            None,
            None,
            Some("echo \"suite $STACK_COMPONENT $STACK_SUITE\" >>\"$HOOK_LOG\""),
        ),
        suite(
            "fail",
            None,
            None,
            Some("echo suite >>\"$HOOK_LOG\"; exit 3"),
        ),
        suite("inferred", None, None, None),
        suite("scripted", Some("shell"), Some("run.sh"), None),
    ];
    model(
        "harness",
        vec![environment("test", Text::literal("127.0.0.1"))],
        vec![db, svc],
    )
}

/// Routed components for the deploy tasks' bats tests (tests/bats/deploy*.bats),
/// with short windows: `api` a canary judged by every kind of tolerance and
/// an acceptance suite, `web` blue-green judged by health alone, `worker`
/// recreated; `db` has no route. `prod` speaks to HAProxy over TCP.
pub fn deploy() -> Model {
    let mut db = component("db", "deploy/db");
    db.ports = vec![port("sql", 5432, None)];
    let mut api = component("api", "");
    api.image = Text {
        parts: vec![
            TextPart::Literal("deploy/api:".to_string()),
            TextPart::Variable {
                name: "API_VERSION".to_string(),
                operator: Some(VarOperator::DefaultIfEmpty),
                word: "1".to_string(),
            },
        ],
    };
    api.depends_on = vec!["db".to_string()];
    let http = port("http", 8080, Some(8080));
    api.ports = vec![http.clone()];
    api.health = Some(http_health("/health", http.clone(), 20, 2_000));
    api.routes = vec![Route {
        name: "public".to_string(),
        host: "api.example".to_string(),
        path: "/api".to_string(),
        port: http.clone(),
    }];
    api.deploy = Some(Deploy {
        strategy: Strategy::Canary,
        steps: vec![10_000, 25_000, 50_000, 100_000],
        interval_ms: 10,
    });
    api.kpi = Some(Kpi {
        error_rate: Some(Tolerance {
            limit: Some(5_000),
            over_stable: Some(500),
        }),
        response_time: Some(Tolerance::limit(300)),
        min_requests: 50,
        failures: 2,
        inconclusive_limit: 3,
    });
    api.tests = vec![suite(
        "acceptance",
        None,
        None,
        Some(
            "echo \"acceptance $STACK_URL $STACK_ROUTE_HOST $STACK_ROUTE_PATH\" >>\"$HOOK_LOG\"; \
             test ! -e \"$FAKE_HAPROXY/acceptance-fails\"",
        ),
    )];
    let mut web = component("web", "deploy/web");
    web.ports = vec![http.clone()];
    web.health = Some(http_health("/", http.clone(), 20, 500));
    web.routes = vec![Route {
        name: "public".to_string(),
        host: "www.example".to_string(),
        path: "/".to_string(),
        port: http.clone(),
    }];
    web.deploy = Some(Deploy {
        strategy: Strategy::BlueGreen,
        steps: vec![100_000],
        interval_ms: 10,
    });
    web.kpi = Some(Kpi {
        error_rate: None,
        response_time: Some(Tolerance {
            limit: None,
            over_stable: Some(100),
        }),
        min_requests: 10,
        failures: 1,
        inconclusive_limit: 2,
    });
    let mut worker = component("worker", "deploy/worker");
    worker.ports = vec![http.clone()];
    worker.health = Some(http_health("/health", http.clone(), 20, 500));
    worker.routes = vec![Route {
        name: "jobs".to_string(),
        host: "jobs.example".to_string(),
        path: "/".to_string(),
        port: http,
    }];
    worker.deploy = Some(Deploy {
        strategy: Strategy::Recreate,
        steps: vec![100_000],
        interval_ms: 10,
    });
    let mut prod = environment("prod", Text::literal("127.0.0.1"));
    prod.proxy.runtime_api = RuntimeApi::Tcp {
        address: "127.0.0.1".to_string(),
        port: 47_999,
    };
    prod.proxy.http_port = 8081;
    model(
        "deploy",
        vec![environment("test", Text::literal("127.0.0.1")), prod],
        vec![db, api, web, worker],
    )
}

/// Images of every shape Docker's reference grammar has, for the registry
/// tasks' bats tests (tests/bats/registry.bats): `app` on a registry with a
/// port and a tag, `hub` on Docker Hub without a tag, `solo` on a
/// registry with a port and no tag, `pinned` by digest, `runtime` with a
/// run-time reference in its tag, `upper` on a registry host named with
/// an upper-case letter; `cache` has no build context.
pub fn registry() -> Model {
    let built = |name: &str, image: &str| {
        let mut c = component(name, image);
        c.build = Some(Build::context(name));
        c
    };
    let mut runtime = built("runtime", "");
    runtime.image = Text {
        parts: vec![
            TextPart::Literal("registry.example/team/runtime:".to_string()),
            TextPart::Variable {
                name: "RUNTIME_VERSION".to_string(),
                operator: Some(VarOperator::DefaultIfEmpty),
                word: "1".to_string(),
            },
        ],
    };
    model(
        "registry",
        vec![environment("test", Text::literal("127.0.0.1"))],
        vec![
            built("app", "registry.example:5000/team/app:1.2"),
            built("hub", "team/hub"),
            built("solo", "localhost:5000/solo"),
            built(
                "pinned",
                "localhost/pinned@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            ),
            runtime,
            built("upper", "Registry/team/upper:2"),
            component("cache", "redis:7"),
        ],
    )
}

/// Builds with options, for the build tasks' bats tests
/// (tests/bats/build.bats): `web` with a Dockerfile of its own, a target
/// stage, build arguments (one a run-time reference, one hostile) and a
/// label; `plain` with its context alone and a fixture loader built from
/// a context, whose builds must not take `web`'s options.
pub fn builds() -> Model {
    let mut web = component("web", "shop/web:1");
    web.build = Some(Build {
        context: "web".to_string(),
        dockerfile: Some("docker/Dockerfile.prod".to_string()),
        target: Some("runtime".to_string()),
        args: vec![
            ("NODE_VERSION".to_string(), Text::literal("20")),
            (
                "BUILD_SHA".to_string(),
                Text {
                    parts: vec![TextPart::Variable {
                        name: "GIT_SHA".to_string(),
                        operator: Some(VarOperator::DefaultIfEmpty),
                        word: "dev".to_string(),
                    }],
                },
            ),
            ("NOTE".to_string(), Text::literal(HOSTILE)),
        ],
        labels: vec![(
            "org.opencontainers.image.source".to_string(),
            Text::literal("https://example.com/shop"),
        )],
    });
    let mut plain = component("plain", "shop/plain:1");
    plain.build = Some(Build::context("plain"));
    plain.depends_on = vec!["web".to_string()];
    plain.fixtures = vec![Fixture {
        service: "plain-fixtures-web".to_string(),
        target: "web".to_string(),
        image: Text::literal("shop/plain-fixtures:1"),
        build: Some("fixtures".to_string()),
        command: None,
    }];
    model(
        "builds",
        vec![environment("test", Text::literal("127.0.0.1"))],
        vec![web, plain],
    )
}

/// Two environments on Docker Swarm beside `test`, for the swarm tasks'
/// bats tests (tests/bats/swarm.bats, with a scripted swarm in the fake
/// `docker`): `web`, two replicas, on `db`.
pub fn swarm() -> Model {
    let db = component("db", "swarm/db:1");
    let mut web = component("web", "swarm/web:1");
    web.depends_on = vec!["db".to_string()];
    web.replicas = 2;
    let mut prod = environment("prod", Text::literal("10.0.0.5"));
    prod.orchestrator = Orchestrator::Swarm;
    let mut staging = environment("staging", Text::literal("10.0.0.6"));
    staging.orchestrator = Orchestrator::Swarm;
    model(
        "swarm",
        vec![
            environment("test", Text::literal("127.0.0.1")),
            prod,
            staging,
        ],
        vec![db, web],
    )
}
