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
    /// Whether this difference explains `field`.
    pub forgives: fn(&Field) -> bool,
}

/// Every forgiven difference.
pub const DIFFERENCES: &[Difference] = &[
    Difference {
        id: "project-name",
        why: "the project is named by the stack and environment (`<stack>-test`), not by the original's folder or `name:`; Compose prefixes declared networks and volumes with it",
        forgives: project_name,
    },
    Difference {
        id: "pull-policy-always",
        why: "a whole-stack file sets `pull_policy: always` on every service with a build context (docs/compose.md, Pull and build)",
        forgives: pull_policy_always,
    },
    Difference {
        id: "health-exec-as-shell",
        why: "a `CMD` health check becomes a `command` health check, which stackc writes as `CMD-SHELL` with the same words, quoted for the shell",
        forgives: health_exec_as_shell,
    },
    Difference {
        id: "health-http-probe",
        why: "a plain curl/wget probe of a local URL becomes an `http` health check, which stackc writes as its own wget-or-curl probe of the same port and path",
        forgives: health_http_probe,
    },
    Difference {
        id: "health-timing",
        why: "stackc's health check has an interval and a total time to become healthy: it writes the same interval, a per-probe timeout equal to the interval, and retries covering the original's retries and start period",
        forgives: health_timing_rule,
    },
    Difference {
        id: "depends-on-healthy",
        why: "stackc waits for a dependency to be healthy whenever it has a health check (`service_healthy`), where the original waited only for it to start",
        forgives: depends_on_healthy,
    },
    Difference {
        id: "links-as-depends-on",
        why: "`links` become `depends_on` (stackc refuses `links`): the service is reached by its name on the default network, a link alias by a network alias; Compose's `restart: true` on a link's implied dependency is not carried",
        forgives: links_as_depends_on,
    },
    Difference {
        id: "default-network-added",
        why: "a service naming networks is also attached to `default`, where its dependencies reach it by name (docs/compose.md, Named volumes and networks)",
        forgives: default_network_added,
    },
    Difference {
        id: "container-name-dropped",
        why: "`container_name` is refused by stackc (a name global on the Docker host); the import reports it and the service keeps its Compose-made name",
        forgives: container_name_dropped,
    },
    Difference {
        id: "profiles-dropped",
        why: "every component runs in every environment (stackc refuses `profiles`); the import reports the profiles, and the original is read with every profile enabled",
        forgives: profiles_dropped,
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
        && got_timeout == got_interval
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

fn default_network_added(field: &Field) -> bool {
    field.key == "networks.default"
        && field.want.is_none()
        && field
            .got
            .is_some_and(|got| got.is_null() || *got == json!({}))
}

fn container_name_dropped(field: &Field) -> bool {
    field.key == "container_name" && field.want.is_some() && field.got.is_none()
}

fn profiles_dropped(field: &Field) -> bool {
    field.key == "profiles" && field.want.is_some() && field.got.is_none()
}
