//! Routed components in the whole-stack files: the blue and green slots and
//! the `haproxy` service (`tests/compose/slots.rs` reads them with Compose).

use super::*;
use crate::emit::haproxy;
use crate::model::{Route, RuntimeApi};

/// The shared model with a route on `api` (served on `http`), and the `dev`
/// environment's proxy on other ports, its host_ip and a TCP runtime API.
fn routed() -> Model {
    let mut model = model();
    if let Some(api) = model.components.iter_mut().find(|c| c.name == "api") {
        api.routes = vec![Route {
            name: "public".into(),
            host: "api.example".into(),
            path: "/".into(),
            port: port("http", 8080, Some(8080)),
        }];
    }
    if let Some(dev) = model.environments.iter_mut().find(|e| e.name == "dev") {
        dev.host_ip = Some(Text::literal("10.0.0.5"));
        dev.proxy.http_port = 8000;
        dev.proxy.stats_port = 8001;
        dev.proxy.runtime_api = RuntimeApi::Tcp {
            address: "127.0.0.1".into(),
            port: 9999,
        };
    }
    model
}

#[test]
fn only_the_environments_files_change() {
    let before = emit(&model());
    let after = emit(&routed());
    assert_eq!(before.len(), after.len());
    for ((path, old), (same, new)) in before.iter().zip(&after) {
        assert_eq!(path, same);
        let environment = path.starts_with("compose/environments/");
        assert_eq!(old != new, environment, "{path}");
    }
}

#[test]
fn the_components_service_is_the_blue_slot() {
    let files = emit(&routed());
    let dev = file(&files, "compose/environments/dev.yml");
    assert!(
        dev.contains("  api:\n    image: ${STACK_IMAGE_API_BLUE:-newsroom/api}\n    build:\n"),
        "{dev}"
    );
    assert!(
        dev.contains(
            "    labels:\n      com.example.team: news\n    networks:\n      default:\n        aliases:\n          - api-blue\n  web:\n"
        ),
        "{dev}"
    );
}

#[test]
fn the_green_slot_publishes_nothing_and_waits_for_its_profile() {
    let files = emit(&routed());
    let dev = file(&files, "compose/environments/dev.yml");
    let green = dev
        .split("\n  api-green:\n")
        .nth(1)
        .and_then(|rest| rest.split("\n  haproxy:\n").next())
        .unwrap_or_else(|| panic!("no api-green before haproxy: {dev}"));
    assert!(
        green.starts_with(
            "    image: ${STACK_IMAGE_API_GREEN:-newsroom/api}\n    profiles:\n      - slots\n    depends_on:\n"
        ),
        "{green}"
    );
    for absent in ["build:", "pull_policy", "ports:", "api-blue"] {
        assert!(!green.contains(absent), "{absent}: {green}");
    }
    assert!(
        green.ends_with("    networks:\n      default:\n        aliases:\n          - api"),
        "{green}"
    );
    assert!(green.contains("      NODE_ENV: dev\n"), "{green}");
}

#[test]
fn the_haproxy_service_runs_the_environments_configuration() {
    let model = routed();
    let files = emit(&model);
    let dev = file(&files, "compose/environments/dev.yml");
    let config = model
        .environment("dev")
        .and_then(|env| haproxy::config(&model, env))
        .expect("a configuration");
    let expected = format!(
        "  haproxy:
    image: docker.io/library/haproxy:2.6
    pull_policy: missing
    user: ${{STACK_UID:-0}}:${{STACK_GID:-0}}
    depends_on:
      api:
        condition: service_started
    environment:
      STACK_HAPROXY_RUNTIME_BIND: ipv4@:9999
    ports:
      - target: 80
        published: \"8000\"
        host_ip: \"10.0.0.5\"
        protocol: tcp
      - target: 8404
        published: \"8001\"
        host_ip: \"10.0.0.5\"
        protocol: tcp
      - target: 9999
        published: \"9999\"
        host_ip: \"127.0.0.1\"
        protocol: tcp
    volumes:
      - type: bind
        source: ../../haproxy/dev.cfg
        target: /usr/local/etc/haproxy/haproxy.cfg
        read_only: true
      - type: bind
        source: ${{STACK_STATE_DIR:-../../../.stack}}/dev/haproxy
        target: /var/run/haproxy
        bind:
          create_host_path: true
    labels:
      dev.stackc.haproxy-config: {}
",
        haproxy::checksum(config.as_bytes())
    );
    assert!(dev.ends_with(&expected), "{dev}");
    let test = file(&files, "compose/environments/test.yml");
    assert!(test.contains("        published: \"80\"\n"), "{test}");
    assert!(
        !test.contains("9999") && !test.contains("environment:\n      STACK_HAPROXY"),
        "{test}"
    );
}

/// The analyser refuses a component named like the `haproxy` service or a
/// slot (tests/errors/225, 226); a Model built by hand that breaks the rule
/// still renders, one service per name.
#[test]
fn a_model_breaking_the_naming_rule_still_renders_one_service_per_name() {
    let mut model = routed();
    let mut taken = Vec::new();
    for name in ["api-green", "haproxy"] {
        let mut other = component(name, &[]);
        other.image = Text::literal(format!("mine/{name}"));
        taken.push(other);
    }
    model.components.extend(taken);
    let files = emit(&model);
    let dev = file(&files, "compose/environments/dev.yml");
    for name in ["api-green", "haproxy"] {
        assert_eq!(dev.matches(&format!("\n  {name}:\n")).count(), 1, "{dev}");
    }
}
