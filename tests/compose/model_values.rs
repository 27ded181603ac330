//! Docker Compose accepts every file and reads in it what the Model says.

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};
use stackc::model::Component;

use stackc::model::PROXY_SERVICE;

use crate::tools::Compose;
use crate::workspaces::{self, compose_prints, env_file_values, expected_services, Built, Kind};
use crate::{compose_json, Failures};

#[test]
fn every_file_passes_compose_config_quiet() {
    let mut failures = Failures::default();
    let mut checked = 0;
    for built in workspaces::all() {
        for (file, _) in &built.files {
            let path = built.path(file).display().to_string();
            let out = Compose::get().run(["-f", &path, "config", "--quiet"], &built.vars);
            failures.check(out.status.success(), || {
                format!(
                    "{} {file}: {}",
                    built.label,
                    String::from_utf8_lossy(&out.stderr)
                )
            });
            checked += 1;
        }
    }
    assert!(checked > 0);
    failures.assert_none();
}

/// Services, environment values, `depends_on` conditions and published
/// ports of every file, as `docker compose config --format json` reads
/// them, against what the Model says.
#[test]
fn compose_reads_what_the_model_says() {
    let mut failures = Failures::default();
    for built in workspaces::all() {
        for (file, _) in &built.files {
            let kind = Kind::of(file);
            let config = compose_json(built, &[file], None);
            check_file(built, file, kind, &config, &mut failures);
        }
    }
    failures.assert_none();
}

fn check_file(built: &Built, file: &str, kind: Kind<'_>, config: &Value, failures: &mut Failures) {
    let model = &built.model;
    let at = |what: &str| format!("{} {file}: {what}", built.label);
    let services = config["services"].as_object().cloned().unwrap_or_default();
    let names: BTreeSet<String> = services.keys().cloned().collect();
    failures.equal(
        &at("services"),
        names,
        expected_services(model, kind, false),
    );

    for (name, service) in &services {
        // `slots` checks the haproxy service.
        if name == PROXY_SERVICE {
            continue;
        }
        if let Some(component) = model.component(name) {
            let plan = Plan::of(built, kind, component);
            failures.equal_maps(
                &at(&format!("{name}.environment")),
                &service["environment"],
                &Value::Object(environment(built, component, kind.environment())),
            );
            failures.equal(
                &at(&format!("{name}.depends_on")),
                conditions(service),
                plan.depends_on(built, component),
            );
            failures.equal(
                &at(&format!("{name}.ports")),
                ports(service),
                plan.ports(built, component),
            );
            failures.equal(
                &at(&format!("{name}.healthcheck")),
                service.get("healthcheck").is_some(),
                component.health.is_some(),
            );
            failures.equal(
                &at(&format!("{name}.pull_policy")),
                service.get("pull_policy").and_then(Value::as_str),
                plan.pull_policy(component),
            );
        } else {
            let fixture = model
                .components
                .iter()
                .flat_map(|c| &c.fixtures)
                .find(|f| &f.service == name);
            let Some(fixture) = fixture else {
                failures.check(false, || {
                    at(&format!("{name} is neither component nor loader"))
                });
                continue;
            };
            let target_healthy = built.component(&fixture.target).health.is_some();
            failures.equal(
                &at(&format!("{name}.depends_on")),
                conditions(service),
                vec![(
                    fixture.target.clone(),
                    condition(target_healthy).to_string(),
                )],
            );
            failures.equal(
                &at(&format!("{name}.restart")),
                &service["restart"],
                &json!("no"),
            );
            failures.equal(&at(&format!("{name}.ports")), ports(service), vec![]);
            failures.equal(
                &at(&format!("{name}.pull_policy")),
                service.get("pull_policy").and_then(Value::as_str),
                fixture.build.as_ref().map(|_| "build"),
            );
            failures.equal(
                &at(&format!("{name}.command")),
                service.get("command").cloned().unwrap_or(Value::Null),
                fixture
                    .command
                    .as_deref()
                    .map_or(Value::Null, loader_command),
            );
        }
    }
}

/// How a file describes a component, worked out from the kind of file.
struct Plan {
    dependencies: bool,
    fixtures: bool,
    publish: Publish,
    /// For services with a build context.
    pull_policy: &'static str,
}

/// Which ports a file publishes for a component.
#[derive(Clone)]
enum Publish {
    Nothing,
    /// Every published port on its own host port, on the port's
    /// `host_ip`, else the environment's (every address without one).
    Fixed(Option<String>),
    /// Every published port on 127.0.0.1, on a host port Docker picks.
    Ephemeral,
}

impl Plan {
    fn of(built: &Built, kind: Kind<'_>, component: &Component) -> Plan {
        let subject = match kind {
            Kind::Fragment(name) | Kind::TestStack(name) => name == component.name,
            Kind::Environment(_) => false,
        };
        match kind {
            Kind::Fragment(_) => Plan {
                dependencies: subject,
                fixtures: subject,
                publish: Publish::Nothing,
                pull_policy: "build",
            },
            Kind::TestStack(_) => Plan {
                dependencies: true,
                fixtures: subject,
                publish: if subject {
                    Publish::Ephemeral
                } else {
                    Publish::Nothing
                },
                pull_policy: "build",
            },
            Kind::Environment(name) => Plan {
                dependencies: true,
                fixtures: false,
                // On the environment's `host_ip`, every address without one.
                publish: Publish::Fixed(
                    built
                        .model
                        .environment(name)
                        .and_then(|e| e.host_ip.as_ref())
                        .map(|ip| compose_prints(ip, &built.vars)),
                ),
                pull_policy: "always",
            },
        }
    }

    fn depends_on(&self, built: &Built, component: &Component) -> Vec<(String, String)> {
        let mut want = Vec::new();
        if self.dependencies {
            for dep in &component.depends_on {
                let healthy = built.component(dep).health.is_some();
                want.push((dep.clone(), condition(healthy).to_string()));
            }
        }
        if self.fixtures {
            for fixture in &component.fixtures {
                want.push((
                    fixture.service.clone(),
                    "service_completed_successfully".to_string(),
                ));
            }
        }
        want.sort();
        want
    }

    /// One entry per protocol of each published port.
    fn ports(&self, built: &Built, component: &Component) -> Vec<PortEntry> {
        let mut want: Vec<_> = component
            .ports
            .iter()
            .filter_map(|p| {
                let published = p.published?;
                let (published, host_ip) = match &self.publish {
                    Publish::Nothing => return None,
                    Publish::Fixed(host_ip) => (
                        Some(published.to_string()),
                        p.host_ip
                            .as_ref()
                            .map(|ip| compose_prints(ip, &built.vars))
                            .or_else(|| host_ip.clone()),
                    ),
                    Publish::Ephemeral => (None, Some("127.0.0.1".to_string())),
                };
                Some(p.protocols.iter().map(move |protocol| {
                    (
                        u64::from(p.container),
                        published.clone(),
                        host_ip.clone(),
                        protocol.as_str().to_string(),
                    )
                }))
            })
            .flatten()
            .collect();
        want.sort();
        want
    }

    /// What Compose reads as the service's `pull_policy`: stackc's, for a
    /// build context (no workspace passes one through).
    fn pull_policy(&self, component: &Component) -> Option<&'static str> {
        component.build.as_ref().map(|_| self.pull_policy)
    }
}

/// A loader's command as Compose must read it: the words of a command made
/// only of plain words, else the whole command for `/bin/sh -c`. (Compose
/// prints a literal `$` as `$$`.)
fn loader_command(command: &str) -> Value {
    let plain = command
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '\t' || "-_./:,@%+".contains(c));
    let words: Vec<&str> = command.split_whitespace().collect();
    if plain && !words.is_empty() {
        json!(words)
    } else {
        json!(["/bin/sh", "-c", command.replace('$', "$$")])
    }
}

fn condition(healthy: bool) -> &'static str {
    if healthy {
        "service_healthy"
    } else {
        "service_started"
    }
}

/// The `env_file` values, then the spec's `env` (Compose lets
/// `environment` win over an env file).
fn environment(built: &Built, component: &Component, environment: &str) -> Map<String, Value> {
    let mut values: Map<String, Value> = env_file_values(built, component)
        .into_iter()
        .map(|(name, value)| (name, json!(value)))
        .collect();
    values.extend(component.env.iter().filter_map(|var| {
        var.value(environment)
            .map(|text| (var.name.clone(), json!(compose_prints(text, &built.vars))))
    }));
    values
}

fn conditions(service: &Value) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = service
        .get("depends_on")
        .and_then(Value::as_object)
        .map(|deps| {
            deps.iter()
                .map(|(name, dep)| {
                    let condition = dep["condition"].as_str().unwrap_or("?").to_string();
                    (name.clone(), condition)
                })
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

/// A `ports` entry: target, published, host_ip, protocol.
type PortEntry = (u64, Option<String>, Option<String>, String);

fn ports(service: &Value) -> Vec<PortEntry> {
    let mut found: Vec<_> = service
        .get("ports")
        .and_then(Value::as_array)
        .map(|ports| {
            ports
                .iter()
                .map(|p| {
                    (
                        p["target"].as_u64().unwrap_or(0),
                        p.get("published")
                            .and_then(Value::as_str)
                            .map(str::to_string),
                        p.get("host_ip").and_then(Value::as_str).map(str::to_string),
                        p["protocol"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}
