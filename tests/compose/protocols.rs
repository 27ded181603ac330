//! What Compose reads in the files of `tests/fixtures/compose/protocols`:
//! issue 14's Compose features (UDP ports, a port on both protocols, a
//! port's own `host_ip`, variable names with `.` and `-`).

use serde_json::{json, Value};

use crate::compose_json_with;
use crate::workspaces::{self, Built};

fn protocols() -> &'static Built {
    workspaces::named("tests/fixtures/compose/protocols")
}

fn config(file: &str, vars: &[(&str, &str)]) -> Value {
    compose_json_with(protocols(), file, vars)
}

/// The service's ports as Compose reads them: (target, published,
/// protocol, host_ip).
fn ports(config: &Value, service: &str) -> Vec<(u64, String, String, String)> {
    config["services"][service]["ports"]
        .as_array()
        .unwrap_or_else(|| panic!("{service} has no ports: {config}"))
        .iter()
        .map(|p| {
            let text = |key: &str| p[key].as_str().unwrap_or_default().to_string();
            (
                p["target"].as_u64().unwrap_or_default(),
                text("published"),
                text("protocol"),
                text("host_ip"),
            )
        })
        .collect()
}

fn port(
    target: u64,
    published: &str,
    protocol: &str,
    host_ip: &str,
) -> (u64, String, String, String) {
    (
        target,
        published.to_string(),
        protocol.to_string(),
        host_ip.to_string(),
    )
}

#[test]
fn each_protocol_is_an_entry_and_a_ports_host_ip_wins() {
    let lan = config("compose/environments/lan.yml", &[]);
    assert_eq!(
        ports(&lan, "dns"),
        [
            port(53, "1053", "tcp", "10.0.0.5"),
            port(53, "1053", "udp", "10.0.0.5"),
            port(9153, "19153", "tcp", "127.0.0.1"),
        ]
    );
    assert_eq!(
        ports(&lan, "syslog"),
        [
            port(514, "1514", "udp", "10.0.0.5"),
            port(8080, "18080", "tcp", "::1"),
        ]
    );
    // A port's run-time reference is Compose's to expand.
    let bound = config(
        "compose/environments/lan.yml",
        &[("SYSLOG_BIND", "192.0.2.7")],
    );
    assert_eq!(
        ports(&bound, "syslog")[1],
        port(8080, "18080", "tcp", "192.0.2.7")
    );
    // Over the environment's run-time reference too.
    let dev = config(
        "compose/environments/dev.yml",
        &[("PROTOCOLS_BIND", "192.0.2.9")],
    );
    assert_eq!(
        ports(&dev, "dns"),
        [
            port(53, "1053", "tcp", "192.0.2.9"),
            port(53, "1053", "udp", "192.0.2.9"),
            port(9153, "19153", "tcp", "127.0.0.1"),
        ]
    );
}

#[test]
fn a_test_stack_publishes_every_protocol_on_loopback() {
    let test = config("compose/test/dns.yml", &[]);
    assert_eq!(
        ports(&test, "dns"),
        [
            port(53, "", "tcp", "127.0.0.1"),
            port(53, "", "udp", "127.0.0.1"),
            port(9153, "", "tcp", "127.0.0.1"),
        ]
    );
}

#[test]
fn variable_names_with_dots_and_dashes_reach_the_container() {
    let lan = config("compose/environments/lan.yml", &[]);
    let env = &lan["services"]["search"]["environment"];
    assert_eq!(env["discovery.type"], json!("single-node"));
    assert_eq!(env["cluster.name"], json!("protocols-lan"));
    assert_eq!(env["bootstrap.memory_lock"], json!("true"));
    assert_eq!(env["my-var"], json!("dashes"));
}
