//! Routed components in the environments' whole-stack files, as Docker
//! Compose reads them with the profile `slots` enabled: each component's
//! own service is its blue slot, `COMPONENT-green` its green slot, and the
//! `haproxy` service runs the environment's HAProxy configuration. See
//! docs/deploy.md, "Slots".

use std::path::Path;

use serde_json::{json, Value};
use stackc::emit::compose::{slot_service_name, CONFIG_LABEL, SLOTS_PROFILE};
use stackc::emit::haproxy;
use stackc::model::Slot;
use stackc::model::PROXY_SERVICE;
use stackc::model::{Environment, Model, Orchestrator, RuntimeApi, Text, TextPart};

use crate::tools::Compose;
use crate::workspaces::{self, compose_prints, routed, Built};
use crate::Failures;

/// `docker compose -f FILE --profile slots config --format json`, with
/// `vars` on top of the workspace's own.
fn config(built: &Built, file: &Path, vars: &[(&str, &str)]) -> Value {
    let mut all = built.vars.clone();
    all.extend(vars.iter().map(|(n, v)| (n.to_string(), v.to_string())));
    let file = file.display().to_string();
    let args = [
        "-f",
        &file,
        "--profile",
        SLOTS_PROFILE,
        "config",
        "--format",
        "json",
    ];
    let text = Compose::get().ok(args, &all);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("Compose printed no JSON ({e}): {text}"))
}

fn routed_workspaces() -> Vec<&'static Built> {
    let found: Vec<&Built> = workspaces::all()
        .iter()
        .filter(|b| routed(&b.model).next().is_some())
        .collect();
    // newsroom, payments and the routes fixture: never a vacuous pass.
    assert!(found.len() >= 3, "workspaces with routes: {}", found.len());
    found
}

/// The aliases of a service on the project's default network.
fn default_aliases(service: &Value) -> Vec<String> {
    service["networks"]["default"]["aliases"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn network_names(service: &Value) -> Vec<String> {
    service["networks"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

#[test]
fn each_routed_component_has_a_blue_and_a_green_slot() {
    let mut failures = Failures::default();
    for built in routed_workspaces() {
        for environment in built.model.environments_on(Orchestrator::Compose) {
            let file = format!("compose/environments/{}.yml", environment.name);
            let at = |what: &str| format!("{} {file}: {what}", built.label);
            let services = config(built, &built.path(&file), &[])["services"].clone();
            for component in routed(&built.model) {
                let blue = &services[&component.name];
                let green_name = slot_service_name(&component.name, Slot::Green);
                let green = &services[&green_name];
                // Without overrides both run the spec's image, references
                // (nested ones included) expanded.
                let image = json!(compose_prints(&component.image, &built.vars));
                failures.equal(
                    &at(&format!("{} image", component.name)),
                    &blue["image"],
                    &image,
                );
                failures.equal(&at(&format!("{green_name} image")), &green["image"], &image);
                failures.check(
                    default_aliases(blue).contains(&Slot::Blue.host(&component.name)),
                    || {
                        at(&format!(
                            "{} lacks the alias {}-blue: {blue}",
                            component.name, component.name
                        ))
                    },
                );
                failures.check(default_aliases(green).contains(&component.name), || {
                    at(&format!(
                        "{green_name} lacks the alias {}: {green}",
                        component.name
                    ))
                });
                failures.equal(
                    &at(&format!("{green_name} profiles")),
                    &green["profiles"],
                    &json!([SLOTS_PROFILE]),
                );
                failures.check(blue.get("profiles").is_none(), || {
                    at("the blue slot has a profile")
                });
                failures.check(green.get("ports").is_none(), || {
                    at(&format!("{green_name} publishes ports"))
                });
                failures.check(green.get("build").is_none(), || {
                    at(&format!("{green_name} builds"))
                });
                for key in [
                    "environment",
                    "depends_on",
                    "healthcheck",
                    "command",
                    "restart",
                    "labels",
                ] {
                    failures.equal(
                        &at(&format!("{green_name} {key}")),
                        &green.get(key),
                        &blue.get(key),
                    );
                }
                failures.equal(
                    &at(&format!("{green_name} networks")),
                    network_names(green),
                    network_names(blue),
                );
            }
        }
    }
    failures.assert_none();
}

/// The spec's image keeps its own references inside each slot's default:
/// Compose expands them when the slot's variable is not set.
#[test]
fn a_spec_images_references_expand_inside_the_default() {
    let mut failures = Failures::default();
    let mut nested = 0;
    for built in routed_workspaces() {
        let Some(environment) = built.model.environments.first() else {
            continue;
        };
        let file = built.path(&format!("compose/environments/{}.yml", environment.name));
        let mut vars = built.vars.clone();
        for component in routed(&built.model) {
            for part in &component.image.parts {
                if let TextPart::Variable { name, .. } = part {
                    vars.push((name.clone(), format!("set-{}", name.to_lowercase())));
                    nested += 1;
                }
            }
        }
        let given: Vec<(&str, &str)> = vars.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let services = config(built, &file, &given)["services"].clone();
        for component in routed(&built.model) {
            let want = json!(compose_prints(&component.image, &vars));
            for slot in Slot::ALL {
                let service = slot_service_name(&component.name, slot);
                failures.equal(
                    &format!("{} {service} image", built.label),
                    &services[&service]["image"],
                    &want,
                );
            }
        }
    }
    // newsroom's api and the routes fixture's api tag their image at run time.
    assert!(nested >= 2, "images with references: {nested}");
    failures.assert_none();
}

#[test]
fn overrides_choose_each_slots_image() {
    let mut failures = Failures::default();
    for built in routed_workspaces() {
        let Some(environment) = built.model.environments.first() else {
            continue;
        };
        let file = built.path(&format!("compose/environments/{}.yml", environment.name));
        let mut names = Vec::new();
        for component in routed(&built.model) {
            for slot in Slot::ALL {
                let value = format!("example.test/{}:{}", component.name, slot.as_str());
                names.push((slot.image_variable(&component.name), value));
            }
        }
        let vars: Vec<(&str, &str)> = names
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let services = config(built, &file, &vars)["services"].clone();
        for component in routed(&built.model) {
            for slot in Slot::ALL {
                let service = slot_service_name(&component.name, slot);
                failures.equal(
                    &format!("{} {service} image", built.label),
                    &services[&service]["image"],
                    &json!(format!("example.test/{}:{}", component.name, slot.as_str())),
                );
            }
        }
    }
    failures.assert_none();
}

/// One `haproxy` service to check: where its files are and what the
/// Model says.
struct ProxyCase<'a> {
    label: &'a str,
    model: &'a Model,
    environment: &'a Environment,
    /// The output folder the configurations were written to.
    out: &'a Path,
    /// The state folder the service must mount (`.stack` in the workspace).
    state: &'a Path,
    vars: &'a [(String, String)],
}

/// What the `haproxy` service of the case's environment must say.
fn check_proxy(failures: &mut Failures, case: &ProxyCase<'_>, proxy: &Value) {
    let ProxyCase {
        label,
        model,
        environment,
        out,
        state,
        vars,
    } = *case;
    let at = |what: &str| format!("{label} {}: haproxy {what}", environment.name);
    failures.equal(
        &at("image"),
        &proxy["image"],
        &json!(compose_prints(&environment.proxy.image, vars)),
    );
    failures.equal(&at("pull_policy"), &proxy["pull_policy"], &json!("missing"));
    let mut depends: Vec<(String, String)> = proxy["depends_on"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v["condition"].as_str().unwrap_or("?").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    depends.sort();
    let mut want: Vec<(String, String)> = routed(model)
        .map(|c| (c.name.clone(), "service_started".to_string()))
        .collect();
    want.sort();
    failures.equal(&at("depends_on"), depends, want);

    let host_ip = environment
        .host_ip
        .as_ref()
        .map(|ip| compose_prints(ip, vars));
    let mut ports: Vec<(u64, Option<String>, Option<String>)> = proxy["ports"]
        .as_array()
        .map(|ports| {
            ports
                .iter()
                .map(|p| {
                    (
                        p["target"].as_u64().unwrap_or(0),
                        p["published"].as_str().map(str::to_string),
                        p["host_ip"].as_str().map(str::to_string),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    ports.sort();
    let mut want = vec![
        (
            80,
            Some(environment.proxy.http_port.to_string()),
            host_ip.clone(),
        ),
        (
            8404,
            Some(environment.proxy.stats_port.to_string()),
            host_ip,
        ),
    ];
    if let RuntimeApi::Tcp { address, port } = &environment.proxy.runtime_api {
        want.push((
            u64::from(*port),
            Some(port.to_string()),
            Some(address.clone()),
        ));
    }
    want.sort();
    failures.equal(&at("ports"), ports, want);

    let config_file = out.join(haproxy::config_path(&environment.name));
    let bytes = std::fs::read(&config_file).unwrap_or_default();
    failures.equal(
        &at("mounted configuration"),
        String::from_utf8_lossy(&bytes).to_string(),
        haproxy::config(model, environment).unwrap_or_default(),
    );
    let volumes = proxy["volumes"].as_array().cloned().unwrap_or_default();
    failures.equal(
        &at("volumes"),
        json!(volumes),
        json!([
            {
                "type": "bind",
                "source": config_file.display().to_string(),
                "target": "/usr/local/etc/haproxy/haproxy.cfg",
                "read_only": true,
            },
            {
                "type": "bind",
                "source": state.join(&environment.name).join("haproxy").display().to_string(),
                "target": "/var/run/haproxy",
                // Compose prints `create_host_path: true`, its default, so.
                "bind": {},
            },
        ]),
    );
    failures.equal(
        &at("label"),
        &proxy["labels"][CONFIG_LABEL],
        &json!(haproxy::checksum(&bytes)),
    );
}

#[test]
fn the_proxy_service_runs_the_environments_configuration() {
    let mut failures = Failures::default();
    for built in routed_workspaces() {
        for environment in built.model.environments_on(Orchestrator::Compose) {
            let file = built.path(&format!("compose/environments/{}.yml", environment.name));
            let services = config(built, &file, &[])["services"].clone();
            let proxy = &services[PROXY_SERVICE];
            let state = built.workspace.join(".stack");
            let case = ProxyCase {
                label: &built.label,
                model: &built.model,
                environment,
                out: &built.out,
                state: &state,
                vars: &built.vars,
            };
            check_proxy(&mut failures, &case, proxy);
            failures.equal(
                &format!("{} user", built.label),
                &proxy["user"],
                &json!("0:0"),
            );
            let vars = [
                ("STACK_UID", "1000"),
                ("STACK_GID", "1001"),
                ("STACK_STATE_DIR", "/srv/stack-state"),
            ];
            let services = config(built, &file, &vars)["services"].clone();
            let proxy = &services[PROXY_SERVICE];
            failures.equal(
                &format!("{} user", built.label),
                &proxy["user"],
                &json!("1000:1001"),
            );
            failures.equal(
                &format!("{} state folder", built.label),
                &proxy["volumes"][1]["source"],
                &json!(format!("/srv/stack-state/{}/haproxy", environment.name)),
            );
        }
    }
    failures.assert_none();
}

/// The `proxy { }` settings reach the service: image with a run-time
/// reference, ports on the environment's `host_ip`, and a TCP runtime API
/// published on a loopback address only.
#[test]
fn proxy_settings_and_a_tcp_runtime_api_reach_compose() {
    let built = workspaces::all()
        .iter()
        .find(|b| b.label == "tests/fixtures/compose/routes")
        .expect("the routes fixture");
    let mut model = built.model.clone();
    for (environment, address) in model.environments.iter_mut().zip(["127.0.0.1", "::1"]) {
        environment.proxy.image =
            stackc::model::split_references("example.test/haproxy:${HAPROXY_TAG:-2.6}");
        environment.proxy.http_port = 18080;
        environment.proxy.stats_port = 18404;
        environment.proxy.runtime_api = RuntimeApi::Tcp {
            address: address.to_string(),
            port: 19999,
        };
        environment.host_ip = Some(Text::literal("127.0.0.2"));
    }
    let out = built.workspace.join("generated-tcp");
    if out.exists() {
        std::fs::remove_dir_all(&out).expect("clean");
    }
    let files = stackc::emit::compose::emit(&model)
        .into_iter()
        .chain(haproxy::emit(&model));
    for (path, text) in files {
        let target = out.join(path);
        std::fs::create_dir_all(target.parent().expect("a parent")).expect("mkdir");
        std::fs::write(&target, text).expect("write");
    }
    let mut failures = Failures::default();
    for environment in &model.environments {
        let file = out.join(format!("compose/environments/{}.yml", environment.name));
        let services = config(built, &file, &[])["services"].clone();
        let state = built.workspace.join(".stack");
        let case = ProxyCase {
            label: "tcp runtime API",
            model: &model,
            environment,
            out: &out,
            state: &state,
            vars: &built.vars,
        };
        check_proxy(&mut failures, &case, &services[PROXY_SERVICE]);
    }
    failures.assert_none();
}
