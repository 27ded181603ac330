//! What Compose reads in the files of `tests/fixtures/compose/language`,
//! value by value: the answers to issue 9's field reports (a number kept as
//! written, published ports bound per environment, nested defaults, a
//! component `command`, published ports in templates).

use serde_json::{json, Value};

use crate::compose_json_with;
use crate::workspaces::{self, Built};

fn language() -> &'static Built {
    workspaces::named("tests/fixtures/compose/language")
}

fn config(file: &str, vars: &[(&str, &str)]) -> Value {
    compose_json_with(language(), file, vars)
}

#[test]
fn numbers_reach_the_container_as_written() {
    let config = config("compose/environments/dev.yml", &[]);
    let env = &config["services"]["api"]["environment"];
    assert_eq!(env["ADMIN_PIN"], json!("0123"));
    assert_eq!(env["NEGATIVE"], json!("-007"));
}

#[test]
fn published_ports_are_bound_to_the_environments_address() {
    let dev = config("compose/environments/dev.yml", &[]);
    let port = &dev["services"]["api"]["ports"][0];
    assert_eq!(port["host_ip"], json!("127.0.0.1"));
    assert_eq!(port["published"], json!("18080"));
    // Without `host`, dev's ports are reached where they are bound.
    assert_eq!(
        dev["services"]["api"]["environment"]["PUBLIC_URL"],
        json!("http://127.0.0.1:18080/")
    );

    let lan = config("compose/environments/lan.yml", &[]);
    assert_eq!(
        lan["services"]["web"]["ports"][0]["host_ip"],
        json!("0.0.0.0")
    );
    assert_eq!(
        lan["services"]["api"]["environment"]["PUBLIC_URL"],
        json!("http://10.0.0.5:18080/")
    );
    let bound = config(
        "compose/environments/lan.yml",
        &[
            ("LANGUAGE_BIND", "192.0.2.7"),
            ("LANGUAGE_HOST", "lan.example"),
        ],
    );
    assert_eq!(
        bound["services"]["web"]["ports"][0]["host_ip"],
        json!("192.0.2.7")
    );
    assert_eq!(
        bound["services"]["api"]["environment"]["PUBLIC_URL"],
        json!("http://lan.example:18080/")
    );

    // The test environment binds nothing of its own: every address.
    let test = config("compose/environments/test.yml", &[]);
    assert_eq!(test["services"]["api"]["ports"][0].get("host_ip"), None);
}

#[test]
fn defaults_may_hold_references() {
    let unset = config("compose/environments/dev.yml", &[]);
    assert_eq!(
        unset["services"]["api"]["environment"]["LOG_LEVEL"],
        json!("info")
    );
    assert_eq!(unset["services"]["web"]["image"], json!("nginx:1.27"));
    let inner = config(
        "compose/environments/dev.yml",
        &[("LOG_LEVEL", "debug"), ("DEFAULT_TAG", "1.26")],
    );
    assert_eq!(
        inner["services"]["api"]["environment"]["LOG_LEVEL"],
        json!("debug")
    );
    assert_eq!(inner["services"]["web"]["image"], json!("nginx:1.26"));
    let outer = config(
        "compose/environments/dev.yml",
        &[
            ("LANGUAGE_LOG", "warn"),
            ("LOG_LEVEL", "debug"),
            ("WEB_TAG", "1.25"),
        ],
    );
    assert_eq!(
        outer["services"]["api"]["environment"]["LOG_LEVEL"],
        json!("warn")
    );
    assert_eq!(outer["services"]["web"]["image"], json!("nginx:1.25"));
}

#[test]
fn a_shell_command_reaches_a_shell_and_a_list_runs_as_is() {
    let config = config("compose/test/web.yml", &[]);
    assert_eq!(
        config["services"]["api"]["command"],
        json!([
            "/bin/sh",
            "-c",
            "migrate --to latest && exec serve --port $$PORT"
        ])
    );
    assert_eq!(
        config["services"]["web"]["command"],
        json!(["nginx", "-g", "daemon off;"])
    );
}

#[test]
fn templates_see_published_ports() {
    let config = config("compose/environments/dev.yml", &[]);
    assert_eq!(
        config["services"]["web"]["environment"]["API_URL"],
        json!("http://api:8080 (published on 18080)")
    );
}
