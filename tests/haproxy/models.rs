//! Hand-built Models with routes (what the analyser would produce for small
//! workspaces).

use std::collections::BTreeMap;

use stackc::model::{
    Component, Environment, Graph, Health, HealthCheck, Model, Port, Proxy, Route, RuntimeApi,
    Stack, Text,
};

pub fn port(name: &str, container: u16) -> Port {
    Port::tcp(name, container, Some(container))
}

/// A component serving `routes` (name, host, path) on `http` (8080), with
/// an HTTP health check on `/health` every second.
pub fn component(name: &str, routes: &[(&str, &str, &str)]) -> Component {
    let http = port("http", 8080);
    Component {
        name: name.to_string(),
        image: Text::literal(format!("example/{name}")),
        build: None,
        command: None,
        ports: vec![http.clone(), port("admin", 9000)],
        depends_on: Vec::new(),
        health: Some(Health {
            check: HealthCheck::Http {
                path: "/health".to_string(),
                port: http.clone(),
            },
            interval_ms: 1_000,
            timeout_ms: 30_000,
        }),
        env: Vec::new(),
        fixtures: Vec::new(),
        tests: Vec::new(),
        routes: routes
            .iter()
            .map(|(route, host, path)| Route {
                name: route.to_string(),
                host: host.to_string(),
                path: path.to_string(),
                port: http.clone(),
            })
            .collect(),
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

/// `test` with the default UNIX-socket runtime API, `prod` with a TCP one
/// on 127.0.0.1:`tcp_port`.
pub fn environments(tcp_port: u16) -> Vec<Environment> {
    let environment = |name: &str, runtime_api| Environment {
        name: name.to_string(),
        host: Text::literal("127.0.0.1"),
        host_ip: None,
        proxy: Proxy {
            runtime_api,
            ..Proxy::default()
        },
        orchestrator: Default::default(),
        vars: Vec::new(),
        declared: true,
    };
    vec![
        environment("test", RuntimeApi::UnixSocket),
        environment(
            "prod",
            RuntimeApi::Tcp {
                address: "127.0.0.1".to_string(),
                port: tcp_port,
            },
        ),
    ]
}

/// A route path HAProxy must read back through quoting: `'`, `$`, `(`, `;`,
/// `=`, `,`, `@`, `!`, `*`, `~` are legal in a request path.
pub const ODD_PATH: &str = "/it's/$HOME/${X}(x);a=b,c@d!*~";

pub fn model(components: Vec<Component>, tcp_port: u16) -> Model {
    let direct: BTreeMap<String, Vec<String>> = components
        .iter()
        .map(|c| (c.name.clone(), c.depends_on.clone()))
        .collect();
    Model {
        stack: Stack {
            name: "routing".to_string(),
            registry: None,
            ci: None,
        },
        sources: vec!["Stackfile".to_string()],
        environments: environments(tcp_port),
        components,
        toggles: Vec::new(),
        graph: Graph::build(&direct).expect("acyclic"),
        secrets: Vec::new(),
        configs: Vec::new(),
        networks: Vec::new(),
    }
}

/// Routed components on overlapping hosts and paths: `web` on
/// www.example.com `/`, `api` on `/api`, `v2` on `/api/v2`, `odd` on a path
/// with every character a path may hold that a configuration must quote,
/// `wild` on any host under example.org; `db` has no route.
pub fn routing(tcp_port: u16) -> Model {
    model(
        vec![
            component("web", &[("site", "www.example.com", "/")]),
            component("api", &[("public", "www.example.com", "/api")]),
            component("v2", &[("public", "WWW.example.com", "/api/v2/")]),
            component("odd", &[("odd", "www.example.com", ODD_PATH)]),
            component("wild", &[("any", "*.example.org", "/")]),
            component("db", &[]),
        ],
        tcp_port,
    )
}

/// Every kind of health check and port a backend can get: a TCP check, a
/// command check (HAProxy checks the port instead), none, an HTTP check on
/// another port, a route for every host (`*`), several routes of one
/// component.
pub fn health_kinds() -> Model {
    let mut tcp = component("cache", &[("any", "*", "/cache")]);
    tcp.health = Some(Health {
        check: HealthCheck::Tcp {
            port: port("http", 8080),
        },
        interval_ms: 500,
        timeout_ms: 10_000,
    });
    let mut command = component("worker", &[("jobs", "jobs.example", "/")]);
    command.health = Some(Health {
        check: HealthCheck::Command {
            command: "test -f /tmp/alive".to_string(),
        },
        interval_ms: 90_000,
        timeout_ms: 180_000,
    });
    let mut none = component("legacy", &[("old", "old.example", "/")]);
    none.health = None;
    let mut admin = component(
        "admin",
        &[
            ("ui", "admin.example", "/"),
            ("api", "admin.example", "/api"),
            ("other", "*.admin.example", "/x"),
        ],
    );
    admin.health = Some(Health {
        check: HealthCheck::Http {
            path: "ready".to_string(),
            port: port("admin", 9000),
        },
        interval_ms: 2_000,
        timeout_ms: 60_000,
    });
    model(vec![tcp, command, none, admin], 9999)
}
