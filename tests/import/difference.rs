//! The differences between an original Compose file and the whole-stack
//! file stackc builds from its import that the round trip forgives: each
//! one named, with why, and with the exact rule that recognises it. The
//! list is the data behind `docs/import.md`'s "Round-trip differences"
//! (a test keeps the two the same), and every entry must be needed by some
//! case of the corpus (a test fails on an entry no case uses).

use serde_json::{json, Value};

use crate::probe::{http_target, shell_words, Test};
use crate::record::{health_timing, Fields, Project};

/// One field of one service (or of the project's declared resources) that
/// differs: Compose's reading of the original (`want`) and of stackc's file
/// (`got`), `None` where the field is absent.
pub struct Field<'a> {
    /// `None` for a declared resource (`networks.backend`).
    pub service: Option<&'a str>,
    pub key: &'a str,
    pub want: Option<&'a Value>,
    pub got: Option<&'a Value>,
    pub original: &'a Project,
    pub generated: &'a Project,
    /// The variables both Compose runs had (`var:` in `case.txt`).
    pub vars: &'a [(String, String)],
}

impl Field<'_> {
    fn original_service(&self) -> Option<&Fields> {
        self.original.services.get(self.service?)
    }

    fn generated_service(&self) -> Option<&Fields> {
        self.generated.services.get(self.service?)
    }

    fn entry(&self, prefix: &str) -> Option<String> {
        self.key.strip_prefix(prefix).map(str::to_owned)
    }
}

/// A forgiven difference.
pub struct Difference {
    /// The name `docs/import.md` lists it by.
    pub id: &'static str,
    /// Why the two files differ there, one line.
    pub why: &'static str,
    /// The exact rule that recognises it.
    pub rule: Rule,
}

/// How a difference is recognised.
pub enum Rule {
    /// It explains the whole of `field`.
    Field(fn(&Field) -> bool),
    /// It explains part of one port of a `ports` field: given one of the
    /// original's ports, `None` when it does not apply to it, else the port
    /// as stackc's file holds it (`Some(None)`: not there). A port's
    /// differences concern its own keys, so several apply to one port, one
    /// after the other (see [`forgiven`]).
    Port(fn(&Value, &Field) -> Option<Option<Value>>),
}

/// The ids of the differences that together explain `field`, or `None`.
/// A field is explained by one [`Rule::Field`], or, for `ports`, by the
/// [`Rule::Port`] differences applied to each of the original's ports,
/// then `ports-order` when only the order still differs.
pub fn forgiven(field: &Field) -> Option<Vec<&'static str>> {
    for difference in DIFFERENCES {
        if let Rule::Field(forgives) = difference.rule {
            if forgives(field) {
                return Some(vec![difference.id]);
            }
        }
    }
    if field.key != "ports" || field.want.is_none() {
        return None;
    }
    let mut used = Vec::new();
    let mut ports = Vec::new();
    for port in ports_of(field.want) {
        let mut port = Some(port);
        for difference in DIFFERENCES {
            let (Rule::Port(rule), Some(current)) = (&difference.rule, &port) else {
                continue;
            };
            if let Some(written) = rule(current, field) {
                port = written;
                if !used.contains(&difference.id) {
                    used.push(difference.id);
                }
            }
        }
        ports.extend(port);
    }
    let got = ports_of(field.got);
    if ports != got {
        if sorted(ports) != sorted(got.clone()) {
            return None;
        }
        used.push(PORTS_ORDER);
    }
    (!used.is_empty()).then_some(used)
}

/// The order of ports, forgiven after each port's own differences.
const PORTS_ORDER: &str = "ports-order";

/// Every forgiven difference.
pub const DIFFERENCES: &[Difference] = &[
    Difference {
        id: "project-name",
        why: "the project is named by the stack and environment (`<stack>-test`), not by the original's folder or `name:`; Compose prefixes declared networks and volumes with it",
        rule: Rule::Field(project_name),
    },
    Difference {
        id: "pull-policy-always",
        why: "a whole-stack file sets `pull_policy: always` on every service with a build context (docs/compose.md, Pull and build)",
        rule: Rule::Field(pull_policy_always),
    },
    Difference {
        id: "health-exec-as-shell",
        why: "a `CMD` health check becomes a `command` health check, which stackc writes as `CMD-SHELL` with the same words, quoted for the shell",
        rule: Rule::Field(health_exec_as_shell),
    },
    Difference {
        id: "health-http-probe",
        why: "a plain curl/wget probe of a local URL becomes an `http` health check, which stackc writes as its own wget-or-curl probe of the same port and path",
        rule: Rule::Field(health_http_probe),
    },
    Difference {
        id: "health-timing",
        why: "stackc's health check has an interval and a deadline to become healthy (`interval × retries + start_period`): it writes the same interval, one probe's timeout as `min(interval, 10s)`, no start period, and retries covering the deadline (docs/compose.md, Health checks)",
        rule: Rule::Field(health_timing_rule),
    },
    Difference {
        id: "depends-on-healthy",
        why: "stackc waits for a dependency to be healthy whenever it has a health check (`service_healthy`), where the original waited only for it to start",
        rule: Rule::Field(depends_on_healthy),
    },
    Difference {
        id: "links-as-depends-on",
        why: "`links` become `depends_on` (stackc refuses `links`): the service is reached by its name on the default network, and a link alias becomes a network alias on the linked service's `default` network, which every container there resolves, where a link's alias resolved only in the linking container; Compose's `restart: true` on a link's implied dependency is not carried",
        rule: Rule::Field(links_as_depends_on),
    },
    Difference {
        id: "default-network-added",
        why: "a service naming networks is also attached to `default`, where its dependencies reach it by name (docs/compose.md, Named volumes and networks)",
        rule: Rule::Field(default_network_added),
    },
    Difference {
        id: "container-name-dropped",
        why: "`container_name` is refused by stackc (a name global on the Docker host); the import reports it and the service keeps its Compose-made name",
        rule: Rule::Field(container_name_dropped),
    },
    Difference {
        id: "profiles-dropped",
        why: "every component runs in every environment (stackc refuses `profiles`); the import reports the profiles, and the original is read with every profile enabled",
        rule: Rule::Field(profiles_dropped),
    },
    Difference {
        id: "health-disable-dropped",
        why: "`disable: true` is reported (W0006) and left out: the language cannot turn an image's own health check off, so the image's `HEALTHCHECK`, if it has one, runs",
        rule: Rule::Field(health_disable_dropped),
    },
    Difference {
        id: "depends-on-restart-dropped",
        why: "`restart: true` in a `depends_on` entry (restart this service when the dependency restarts) is left out: the language's `depends_on` is a list of names",
        rule: Rule::Field(depends_on_restart_dropped),
    },
    Difference {
        id: "volumes-from-dropped",
        why: "`volumes_from` is reported (W0005) and left out, with the dependency Compose implies for it: stackc refuses it; share a named volume instead",
        rule: Rule::Field(volumes_from_dropped),
    },
    Difference {
        id: "network-no-settings",
        why: "a network entry without settings is printed `null` when written `default:` and `{}` when written `default: {}`, as stackc writes it; both attach the service with Compose's defaults",
        rule: Rule::Field(network_no_settings),
    },
    Difference {
        id: "build-image-name",
        why: "a service with a build and no `image` is tagged `<stack>/<service>` (the language's default image), where Compose names the image after the project",
        rule: Rule::Field(build_image_name),
    },
    Difference {
        id: "env-bare-name-empty",
        why: "a variable listed without a value (`- NAME`) becomes `NAME = \"${NAME}\"` (reported, W0006): empty in the container when the shell does not set it, where Compose leaves it unset",
        rule: Rule::Field(env_bare_name_empty),
    },
    Difference {
        id: "command-reference-literal",
        why: "a `${...}` reference in `command` is written as literal text (reported, W0006): the language's commands hold no run-time references, so the container's shell, not Compose, expands it",
        rule: Rule::Field(command_reference_literal),
    },
    Difference {
        id: "ports-order",
        why: "ports are written in the order of the component's named ports (one entry for the same number on TCP and UDP), not the order of the original's list; the order means nothing to Compose",
        rule: Rule::Field(ports_order),
    },
    Difference {
        id: "ephemeral-port-unpublished",
        why: "a port published on a host port Compose picks (`\"8080\"`, `\"127.0.0.1::9090\"`) is imported unpublished (reported, W0006): the language publishes a port on a number it names, or not at all",
        rule: Rule::Port(ephemeral_port_unpublished),
    },
    Difference {
        id: "port-name-not-written",
        why: "a long-syntax port's `name` becomes the name of the component's port, which stackc does not write back into the Compose file",
        rule: Rule::Port(port_name_not_written),
    },
    Difference {
        id: "port-reference-default",
        why: "a published port given by a run-time reference (`\"${APP_PORT:-8080}:80\"`) is published on the reference's default (reported, W0006): the language's `publish` is a number, so the variable no longer changes it; without a default the port is imported unpublished",
        rule: Rule::Port(port_reference_default),
    },
    Difference {
        id: "port-mode-host",
        why: "a port's `mode: host` is reported (W0005) and left out: it is Swarm's (bypass the routing mesh); on one Docker host Compose publishes the port the same in either mode (it warns that `host` is only honored by Swarm)",
        rule: Rule::Port(port_mode_host),
    },
    Difference {
        id: "port-app-protocol",
        why: "a port's `app_protocol` (`http`) is reported (W0005) and left out: the language's ports say `tcp` or `udp`, and Compose hands the hint to no container",
        rule: Rule::Port(port_app_protocol),
    },
    Difference {
        id: "secret-reference-mode",
        why: "a secret reference's `mode` is reported (W0005) and left out (stackc refuses it): Compose bind-mounts a file-sourced secret with the file's own mode, whatever the reference says",
        rule: Rule::Field(secret_reference_mode),
    },
    Difference {
        id: "declared-default-driver",
        why: "a volume declared with `driver: local` is declared plain: `local` is Compose's default driver",
        rule: Rule::Field(declared_default_driver),
    },
];

fn project_name(field: &Field) -> bool {
    let (Some(want), Some(got)) = (field.want, field.got) else {
        return false;
    };
    if field.service.is_some() || !is_resource(field.key) {
        return false;
    }
    let entry = field
        .key
        .split_once('.')
        .map(|(_, e)| e)
        .unwrap_or_default();
    let mut want = want.clone();
    let mut got = got.clone();
    let (Some(want_map), Some(got_map)) = (want.as_object_mut(), got.as_object_mut()) else {
        return false;
    };
    let want_name = want_map.remove("name");
    let got_name = got_map.remove("name");
    want_map == got_map
        && want_name == Some(json!(format!("{}_{entry}", field.original.name)))
        && got_name == Some(json!(format!("{}_{entry}", field.generated.name)))
}

fn is_resource(key: &str) -> bool {
    ["networks.", "volumes.", "secrets.", "configs."]
        .iter()
        .any(|prefix| key.starts_with(prefix))
}

fn pull_policy_always(field: &Field) -> bool {
    field.key == "pull_policy"
        && field.want.is_none()
        && field.got == Some(&json!("always"))
        && field
            .generated_service()
            .is_some_and(|s| s.contains_key("build.context"))
}

fn health_exec_as_shell(field: &Field) -> bool {
    if field.key != "healthcheck.test" {
        return false;
    }
    let (Some(want), Some(got)) = (field.want, field.got) else {
        return false;
    };
    match (Test::of(want), Test::of(got)) {
        (Some(Test::Exec(words)), Some(Test::Shell(line))) => {
            shell_words(line).is_some_and(|got| got == words)
        }
        _ => false,
    }
}

fn health_http_probe(field: &Field) -> bool {
    field.key == "healthcheck.test"
        && match (field.want, field.got) {
            (Some(want), Some(got)) => {
                http_target(want).is_some() && http_target(want) == http_target(got)
            }
            _ => false,
        }
}

fn health_timing_rule(field: &Field) -> bool {
    if !matches!(
        field.key,
        "healthcheck.interval"
            | "healthcheck.timeout"
            | "healthcheck.retries"
            | "healthcheck.start_period"
    ) {
        return false;
    }
    let (Some(original), Some(generated)) = (field.original_service(), field.generated_service())
    else {
        return false;
    };
    let (
        Some((interval, _, retries, start)),
        Some((got_interval, got_timeout, got_retries, got_start)),
    ) = (health_timing(original), health_timing(generated))
    else {
        return false;
    };
    let budget = interval * retries + start;
    let got_budget = got_interval * got_retries;
    got_interval == interval
        && got_timeout == interval.min(10_000)
        && got_start == 0
        && got_budget >= budget
        && got_budget < budget + got_interval
}

fn depends_on_healthy(field: &Field) -> bool {
    let Some(dependency) = field.entry("depends_on.") else {
        return false;
    };
    let healthy = field
        .generated
        .services
        .get(&dependency)
        .is_some_and(|s| s.contains_key("healthcheck.test"));
    healthy
        && field.want == Some(&json!({"condition": "service_started", "required": true}))
        && field.got == Some(&json!({"condition": "service_healthy", "required": true}))
}

/// `links` entries as `(service, alias)`.
fn links(fields: &Fields) -> Vec<(String, String)> {
    fields
        .get("links")
        .and_then(Value::as_array)
        .map(|links| {
            links
                .iter()
                .filter_map(Value::as_str)
                .map(|link| match link.split_once(':') {
                    Some((service, alias)) => (service.to_owned(), alias.to_owned()),
                    None => (link.to_owned(), link.to_owned()),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn links_as_depends_on(field: &Field) -> bool {
    let (Some(original), Some(generated)) = (field.original_service(), field.generated_service())
    else {
        return false;
    };
    let links = links(original);
    if field.key == "links" {
        // Each linked service is a dependency, reached by its alias.
        return field.got.is_none()
            && !links.is_empty()
            && links.iter().all(|(service, alias)| {
                generated.contains_key(&format!("depends_on.{service}"))
                    && (service == alias
                        || field.generated.services.get(service).is_some_and(|s| {
                            s.get("networks.default")
                                .and_then(|n| n.get("aliases"))
                                .and_then(Value::as_array)
                                .is_some_and(|a| a.contains(&json!(alias)))
                        }))
            });
    }
    if field.key == "networks.default" {
        return link_aliases_on_default(field);
    }
    // The dependency Compose implies for a link: `restart: true` is not carried.
    let Some(dependency) = field.entry("depends_on.") else {
        return false;
    };
    if !links.iter().any(|(service, _)| *service == dependency) {
        return false;
    }
    let (Some(want), Some(got)) = (field.want, field.got) else {
        return false;
    };
    let mut want = want.clone();
    if let Some(map) = want.as_object_mut() {
        map.remove("restart");
    }
    let healthy = field
        .generated
        .services
        .get(&dependency)
        .is_some_and(|s| s.contains_key("healthcheck.test"));
    let condition = if healthy {
        "service_healthy"
    } else {
        "service_started"
    };
    let expected = json!({"condition": condition, "required": true});
    (want == json!({"condition": "service_started", "required": true}) || want == expected)
        && got == &expected
}

/// A linked service's `default` network in stackc's file: the original's
/// (or none) with the aliases other services' `links` give it added.
fn link_aliases_on_default(field: &Field) -> bool {
    let Some(service) = field.service else {
        return false;
    };
    let mut aliases: Vec<Value> = Vec::new();
    for other in field.original.services.values() {
        for (linked, alias) in links(other) {
            if linked == service && alias != service && !aliases.contains(&json!(alias)) {
                aliases.push(json!(alias));
            }
        }
    }
    if aliases.is_empty() {
        return false;
    }
    let Some(got) = field.got else {
        return false;
    };
    let mut want = match field.want {
        Some(Value::Object(map)) => map.clone(),
        None | Some(Value::Null) => serde_json::Map::new(),
        Some(_) => return false,
    };
    let mut all: Vec<Value> = want
        .get("aliases")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for alias in aliases {
        if !all.contains(&alias) {
            all.push(alias);
        }
    }
    want.insert("aliases".into(), Value::Array(all));
    let mut got = got.clone();
    // The order of aliases means nothing to Compose.
    for map in [Some(&mut want), got.as_object_mut()].into_iter().flatten() {
        if let Some(Value::Array(list)) = map.get_mut("aliases") {
            list.sort_by_key(Value::to_string);
        }
    }
    Value::Object(want) == got
}

fn default_network_added(field: &Field) -> bool {
    if field.key != "networks.default" || field.want.is_some() {
        return false;
    }
    match field.service {
        Some(_) => field
            .got
            .is_some_and(|got| got.is_null() || *got == json!({})),
        // The declaration Compose makes when a service is on `default`.
        None => {
            field.got
                == Some(&json!({"ipam": {}, "name": format!("{}_default", field.generated.name)}))
                && field.generated.services.iter().any(|(name, generated)| {
                    generated.contains_key("networks.default")
                        && field
                            .original
                            .services
                            .get(name)
                            .is_some_and(|original| !original.contains_key("networks.default"))
                })
        }
    }
}

fn container_name_dropped(field: &Field) -> bool {
    field.key == "container_name" && field.want.is_some() && field.got.is_none()
}

fn profiles_dropped(field: &Field) -> bool {
    field.key == "profiles" && field.want.is_some() && field.got.is_none()
}

fn health_disable_dropped(field: &Field) -> bool {
    field.key == "healthcheck.disable"
        && field.want == Some(&json!(true))
        && field.got.is_none()
        && field
            .generated_service()
            .is_some_and(|s| !s.contains_key("healthcheck.test"))
}

fn depends_on_restart_dropped(field: &Field) -> bool {
    if field.entry("depends_on.").is_none() {
        return false;
    }
    let (Some(want), Some(got)) = (field.want, field.got) else {
        return false;
    };
    let mut want = want.clone();
    let restart = want.as_object_mut().and_then(|map| map.remove("restart"));
    restart == Some(json!(true)) && want == *got
}

fn volumes_from_dropped(field: &Field) -> bool {
    let Some(original) = field.original_service() else {
        return false;
    };
    let sources: Vec<&str> = original
        .get("volumes_from")
        .and_then(Value::as_array)
        .map(|v| v.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if field.key == "volumes_from" {
        return field.got.is_none() && !sources.is_empty();
    }
    // The dependency Compose implies for it, when nothing else asks for it.
    field.entry("depends_on.").is_some_and(|dependency| {
        sources.contains(&dependency.as_str())
            && field.got.is_none()
            && !links(original)
                .iter()
                .any(|(service, _)| *service == dependency)
    })
}

fn network_no_settings(field: &Field) -> bool {
    field.key.starts_with("networks.")
        && field.service.is_some()
        && field.want == Some(&Value::Null)
        && field.got == Some(&json!({}))
}

fn build_image_name(field: &Field) -> bool {
    let stack = field
        .generated
        .name
        .strip_suffix("-test")
        .unwrap_or_default();
    field.key == "image"
        && field.want.is_none()
        && field.got.is_some_and(|got| {
            field
                .service
                .is_some_and(|s| *got == json!(format!("{stack}/{s}")))
        })
        && field
            .generated_service()
            .is_some_and(|s| s.contains_key("build.context"))
}

fn env_bare_name_empty(field: &Field) -> bool {
    let Some(name) = field.entry("environment.") else {
        return false;
    };
    let value = field
        .vars
        .iter()
        .find(|(n, _)| *n == name)
        .map_or("", |(_, v)| v.as_str());
    field.want == Some(&Value::Null) && field.got == Some(&json!(value))
}

fn command_reference_literal(field: &Field) -> bool {
    if field.key != "command" && field.key != "entrypoint" {
        return false;
    }
    let (Some(Value::Array(want)), Some(Value::Array(got))) = (field.want, field.got) else {
        return false;
    };
    want.len() == got.len()
        && want.iter().zip(got).all(|(want, got)| match (want, got) {
            _ if want == got => true,
            (Value::String(want), Value::String(got)) => {
                got.contains("$${")
                    && expand_literal_references(got, field.vars).as_ref() == Some(want)
            }
            _ => false,
        })
}

/// `text` with each `$${NAME}`, `$${NAME:-x}`, `$${NAME-x}` replaced by what
/// Compose's interpolation would have made of `${...}` with `vars`.
fn expand_literal_references(text: &str, vars: &[(String, String)]) -> Option<String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("$${") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 3..];
        let end = after.find('}')?;
        let inner = &after[..end];
        let (name, default, unset_if_empty) = match inner.split_once(":-") {
            Some((name, default)) => (name, default, true),
            None => match inner.split_once('-') {
                Some((name, default)) => (name, default, false),
                None => (inner, "", false),
            },
        };
        let value = vars
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str());
        out.push_str(match value {
            Some(v) if !(unset_if_empty && v.is_empty()) => v,
            _ => default,
        });
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

fn ports_of(value: Option<&Value>) -> Vec<Value> {
    value.and_then(Value::as_array).cloned().unwrap_or_default()
}

fn sorted(mut ports: Vec<Value>) -> Vec<String> {
    let mut keys: Vec<String> = ports.drain(..).map(|p| p.to_string()).collect();
    keys.sort();
    keys
}

fn ports_order(field: &Field) -> bool {
    field.key == "ports"
        && field.want.is_some()
        && sorted(ports_of(field.want)) == sorted(ports_of(field.got))
}

fn ephemeral_port_unpublished(port: &Value, _: &Field) -> Option<Option<Value>> {
    let published = port.get("published");
    (published.is_none() || published == Some(&json!(""))).then_some(None)
}

fn port_name_not_written(port: &Value, _: &Field) -> Option<Option<Value>> {
    let mut port = port.clone();
    port.as_object_mut()?.remove("name")?;
    Some(Some(port))
}

fn port_mode_host(port: &Value, _: &Field) -> Option<Option<Value>> {
    let mut port = port.clone();
    let map = port.as_object_mut()?;
    (map.get("mode")? == "host").then_some(())?;
    map.insert("mode".into(), json!("ingress"));
    Some(Some(port))
}

fn port_app_protocol(port: &Value, _: &Field) -> Option<Option<Value>> {
    let mut port = port.clone();
    port.as_object_mut()?.remove("app_protocol")?;
    Some(Some(port))
}

/// The original's port published on a variable's value (the run sets it),
/// where stackc's file has the same port on another number, the
/// reference's default.
fn port_reference_default(port: &Value, field: &Field) -> Option<Option<Value>> {
    let published = port.get("published")?.as_str()?;
    if !field.vars.iter().any(|(_, value)| value == published) {
        return None;
    }
    let without = |p: &Value| {
        let mut p = p.clone();
        p.as_object_mut().map(|m| m.remove("published"));
        p
    };
    ports_of(field.got)
        .into_iter()
        .find(|got| {
            without(got) == without(port)
                && got
                    .get("published")
                    .and_then(Value::as_str)
                    .is_some_and(|g| g != published)
        })
        .map(Some)
}

fn secret_reference_mode(field: &Field) -> bool {
    if field.key != "secrets" {
        return false;
    }
    let (Some(Value::Array(want)), Some(Value::Array(got))) = (field.want, field.got) else {
        return false;
    };
    let mut modes = 0;
    let want: Vec<Value> = want
        .iter()
        .cloned()
        .map(|mut reference| {
            if let Some(map) = reference.as_object_mut() {
                modes += usize::from(map.remove("mode").is_some());
            }
            reference
        })
        .collect();
    modes > 0 && want == *got
}

fn declared_default_driver(field: &Field) -> bool {
    let Some(entry) = field.entry("volumes.") else {
        return false;
    };
    if field.service.is_some() {
        return false;
    }
    let (Some(want), Some(got)) = (field.want, field.got) else {
        return false;
    };
    let mut want = want.clone();
    let Some(map) = want.as_object_mut() else {
        return false;
    };
    map.remove("driver") == Some(json!("local"))
        && map
            .insert(
                "name".into(),
                json!(format!("{}_{entry}", field.generated.name)),
            )
            .is_some()
        && want == *got
}
