//! A live HAProxy on a generated configuration: the slots pointed at small
//! loopback listeners and every frontend bound on a free loopback port,
//! through the overrides documented in docs/deploy.md.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use stackc::emit::haproxy;
use stackc::model::Model;
use stackc::model::Slot;

use crate::models::{self, ODD_PATH};
use crate::process::{eventually, Haproxy};
use crate::slot_server::SlotServer;
use crate::tools::{self, find, RuntimeApi};

/// How long health checks may take to settle (checks run every second).
const SETTLE: Duration = Duration::from_secs(30);

/// One environment's configuration and everything it runs against.
struct Setup {
    dir: tempfile::TempDir,
    config: PathBuf,
    vars: Vec<(String, String)>,
    http: u16,
    stats: u16,
    api: RuntimeApi,
    /// The slot listeners, by (component, slot); dropped with the setup.
    servers: BTreeMap<(String, Slot), SlotServer>,
}

impl Setup {
    /// The configuration of `environment` in `model`; the runtime API on
    /// the UNIX socket in the run folder, or, when the environment asks for
    /// TCP, on its port `tcp` (the configuration's default: its loopback
    /// address, no override).
    fn new(model: &Model, environment: &str, tcp: Option<u16>) -> Setup {
        // Under /tmp: a UNIX socket's path is at most 107 bytes.
        let dir = tempfile::Builder::new()
            .prefix("stackc-haproxy-")
            .tempdir_in("/tmp")
            .expect("tempdir");
        let run_dir = dir.path().join("run");
        std::fs::create_dir_all(&run_dir).expect("mkdir run");
        let env = model.environment(environment).expect("environment");
        let config = dir.path().join(haproxy::config_path(environment));
        tools::write(
            &config,
            &haproxy::config(model, env).expect("a configuration"),
        );
        let http = tools::free_port();
        let stats = tools::free_port();
        let mut vars = vec![
            (
                "STACK_HAPROXY_RUN_DIR".to_string(),
                run_dir.display().to_string(),
            ),
            (
                "STACK_HAPROXY_HTTP_BIND".to_string(),
                format!("127.0.0.1:{http}"),
            ),
            (
                "STACK_HAPROXY_STATS_BIND".to_string(),
                format!("127.0.0.1:{stats}"),
            ),
        ];
        let api = match tcp {
            Some(port) => RuntimeApi::Tcp(port),
            None => RuntimeApi::Unix(run_dir.join("admin.sock")),
        };
        let mut servers = BTreeMap::new();
        for component in model.components.iter().filter(|c| !c.routes.is_empty()) {
            for slot in Slot::ALL {
                let server = SlotServer::start(&slot.host(&component.name));
                vars.push((slot.address_variable(&component.name), server.address()));
                servers.insert((component.name.clone(), slot), server);
            }
        }
        Setup {
            dir,
            config,
            vars,
            http,
            stats,
            api,
            servers,
        }
    }

    /// Starts HAProxy and waits for its stats frontend and runtime API.
    fn start(&self, name: &str) -> Haproxy {
        let log = self.dir.path().join(format!("{name}.log"));
        Haproxy::start(&self.config, &self.vars, &log, || {
            tools::get(self.stats, "stats", "/stats").is_ok() && self.api.stat().is_ok()
        })
    }

    /// The request heads the listener of `component`'s `slot` received.
    fn heads(&self, component: &str, slot: Slot) -> Vec<String> {
        self.servers
            .get(&(component.to_string(), slot))
            .map(SlotServer::heads)
            .unwrap_or_default()
    }

    fn run_dir(&self) -> PathBuf {
        self.dir.path().join("run")
    }

    /// Waits until every blue server is UP.
    fn settle(&self, haproxy: &Haproxy, components: &[&str]) {
        let up = eventually(SETTLE, || {
            let Ok(stats) = self.api.stat() else {
                return false;
            };
            components
                .iter()
                .all(|c| find(&stats, c, "blue").is_some_and(|s| s.get("status") == "UP"))
        });
        assert!(
            up,
            "blue slots not UP:\n{:?}\n{}",
            self.api.stat(),
            haproxy.log()
        );
    }
}

fn body(setup: &Setup, host: &str, path: &str) -> (u16, String) {
    let response =
        tools::get(setup.http, host, path).unwrap_or_else(|e| panic!("GET {host}{path}: {e}"));
    (response.status, response.text())
}

#[test]
fn routes_by_host_and_longest_path() {
    let model = models::routing(9999);
    let setup = Setup::new(&model, "test", None);
    let haproxy = setup.start("routing");
    setup.settle(&haproxy, &["web", "api", "v2", "odd", "wild"]);
    let routed = |component: &str| (200, Slot::Blue.host(component));
    let cases: Vec<(&str, String, (u16, String))> = vec![
        ("www.example.com", "/".into(), routed("web")),
        // Host compared without its port and case-insensitively.
        ("WWW.Example.COM:8080", "/index.html".into(), routed("web")),
        ("www.example.com", "/api".into(), routed("api")),
        ("www.example.com", "/api/".into(), routed("api")),
        ("www.example.com", "/api/items?q=1".into(), routed("api")),
        // A prefix is a whole path segment.
        ("www.example.com", "/apix".into(), routed("web")),
        ("www.example.com", "/api/v2".into(), routed("v2")),
        ("www.example.com", "/api/v2/items".into(), routed("v2")),
        ("www.example.com", "/api/v2x".into(), routed("api")),
        ("www.example.com", ODD_PATH.into(), routed("odd")),
        ("www.example.com", format!("{ODD_PATH}/more"), routed("odd")),
        ("www.example.com", format!("{ODD_PATH}x"), routed("web")),
        ("a.example.org", "/".into(), routed("wild")),
        ("b.a.EXAMPLE.org:80", "/x".into(), routed("wild")),
        (
            "example.org",
            "/".into(),
            (503, "no route for host example.org and path /\n".into()),
        ),
        (
            "Other.Test:81",
            "/zz".into(),
            (503, "no route for host other.test and path /zz\n".into()),
        ),
    ];
    let mut wrong = Vec::new();
    for (host, path, want) in &cases {
        let got = body(&setup, host, path);
        if &got != want {
            wrong.push(format!("{host}{path}: got {got:?}, want {want:?}"));
        }
    }
    let log = haproxy.log();
    haproxy.stop();
    assert!(wrong.is_empty(), "{}\n{log}", wrong.join("\n"));
}

/// HAProxy's health check is an HTTP/1.1 request naming the component in
/// its `Host` header (an HTTP/1.1 server answers `400` to one without).
#[test]
fn health_checks_are_http_1_1_with_a_host() {
    let model = models::routing(9999);
    let setup = Setup::new(&model, "test", None);
    let haproxy = setup.start("checks");
    setup.settle(&haproxy, &["api"]);
    let heads = setup.heads("api", Slot::Blue);
    let log = haproxy.log();
    haproxy.stop();
    let check = heads
        .iter()
        .find(|h| h.starts_with("GET /health "))
        .unwrap_or_else(|| panic!("no health check received: {heads:?}\n{log}"));
    let mut lines = check.split("\r\n");
    assert_eq!(lines.next(), Some("GET /health HTTP/1.1"), "{check:?}");
    let hosts: Vec<&str> = lines
        .filter_map(|l| l.split_once(':'))
        .filter(|(name, _)| name.eq_ignore_ascii_case("host"))
        .map(|(_, value)| value.trim())
        .collect();
    assert_eq!(hosts, ["api"], "{check:?}");
}

#[test]
fn stats_metrics_and_the_runtime_api_answer() {
    let model = models::routing(9999);
    let setup = Setup::new(&model, "test", None);
    let haproxy = setup.start("observe");
    let metrics = tools::get(setup.stats, "stats", "/metrics").expect("GET /metrics");
    assert_eq!(metrics.status, 200, "{}", metrics.text());
    assert!(
        metrics.text().contains("# TYPE haproxy_process_"),
        "{}",
        metrics.text()
    );
    let page = tools::get(setup.stats, "stats", "/stats").expect("GET /stats");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Statistics Report"), "{}", page.text());
    let stats = setup.api.stat().expect("show stat");
    for component in ["web", "api", "v2", "odd", "wild"] {
        let blue = find(&stats, component, "blue").expect("a blue server");
        let green = find(&stats, component, "green").expect("a green server");
        assert_eq!(blue.get("weight"), "100", "{blue:?}");
        assert_eq!(
            (green.get("weight"), green.get("status")),
            ("0", "MAINT"),
            "{green:?}"
        );
    }
    assert!(find(&stats, "db", "BACKEND").is_none(), "db has no route");
    // The socket is for its owner only.
    let socket = setup.run_dir().join("admin.sock");
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(&socket).expect("socket").permissions(),
    );
    assert_eq!(mode & 0o777, 0o600, "{}", socket.display());
    haproxy.stop();
}

#[test]
fn the_green_slot_gets_no_request_until_enabled() {
    let model = models::routing(9999);
    let setup = Setup::new(&model, "test", None);
    let haproxy = setup.start("green");
    setup.settle(&haproxy, &["api"]);
    for _ in 0..10 {
        assert_eq!(body(&setup, "www.example.com", "/api").1, "api-blue");
    }
    for command in [
        "set server api/green state ready",
        "set weight api/green 100",
        "set weight api/blue 0",
    ] {
        let reply = setup.api.command(command).expect(command);
        assert!(reply.trim().is_empty(), "{command}: {reply}");
    }
    let green = eventually(SETTLE, || {
        body(&setup, "www.example.com", "/api").1 == "api-green"
    });
    let log = haproxy.log();
    haproxy.stop();
    assert!(green, "the enabled green slot never answered\n{log}");
}

/// `show servers state` saved to the server-state file (what the task
/// runner does after every change) brings weights and slot states back
/// after a restart.
#[test]
fn weights_and_slot_states_survive_a_restart() {
    let model = models::routing(9999);
    let setup = Setup::new(&model, "test", None);
    let haproxy = setup.start("before");
    setup.settle(&haproxy, &["api"]);
    for command in [
        "set weight api/blue 37",
        "set server api/green state ready",
        "set weight api/green 63",
    ] {
        let reply = setup.api.command(command).expect(command);
        assert!(reply.trim().is_empty(), "{command}: {reply}");
    }
    let state = setup
        .api
        .command("show servers state")
        .expect("show servers state");
    tools::write(&setup.run_dir().join("server-state"), &state);
    haproxy.stop();

    let haproxy = setup.start("after");
    let restored = eventually(SETTLE, || {
        let Ok(stats) = setup.api.stat() else {
            return false;
        };
        let api = |slot| {
            find(&stats, "api", slot)
                .map(|s| (s.get("weight").to_string(), s.get("status").to_string()))
        };
        api("blue") == Some(("37".into(), "UP".into()))
            && api("green") == Some(("63".into(), "UP".into()))
    });
    let stats = setup.api.stat().unwrap_or_default();
    let log = haproxy.log();
    haproxy.stop();
    assert!(
        restored,
        "not restored: {:?}\n{state}\n{log}",
        find(&stats, "api", "green")
    );
    // What was not changed keeps the configuration's values.
    let web = |slot| {
        find(&stats, "web", slot)
            .map(|s| (s.get("weight").to_string(), s.get("status").to_string()))
    };
    assert_eq!(web("blue").map(|w| w.0), Some("100".to_string()));
    assert_eq!(web("green"), Some(("0".to_string(), "MAINT".to_string())));
}

#[test]
fn a_tcp_runtime_api_answers_on_its_port() {
    let port = tools::free_port();
    let model = models::routing(port);
    let setup = Setup::new(&model, "prod", Some(port));
    assert!(matches!(setup.api, RuntimeApi::Tcp(_)));
    let haproxy = setup.start("tcp");
    let stats = setup.api.stat().expect("show stat over TCP");
    assert!(find(&stats, "api", "blue").is_some(), "{stats:?}");
    assert!(!Path::new(&setup.run_dir().join("admin.sock")).exists());
    haproxy.stop();
}
