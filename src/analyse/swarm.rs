//! What a Docker Swarm environment cannot carry (E0127): the names Swarm
//! gives a stack's services and configs, and the `compose { }` keys and
//! values that a stack file (the Compose file format 3.8, which `docker
//! stack deploy` reads) has no place for. The keys Swarm ignores are left
//! out of stack files without a word ([`SwarmKey`]); docs/swarm.md lists
//! both.
//!
//! The values of the keys a stack file keeps are checked against the 3.8
//! schema, `swarm-v3.8.json` beside this file: `config_schema_v3.8.json`
//! as the docker CLI (github.com/docker/cli, `cli/compose/schema/data`,
//! © Docker, Inc., Apache License 2.0) embeds it, read out of the docker
//! 28.2.2 binary unchanged.

use std::sync::OnceLock;

use jsonschema::error::ValidationErrorKind;
use jsonschema::{Draft, ValidationError, Validator};
use serde_json::{Map, Value as Json};

use super::component::ComponentDraft;
use super::environments::EnvironmentDecl;
use super::pass_through_node::{NodeKind, PassNode};
use super::pass_through_values::{
    at, dotted, expected, found, holds_reference, key_span, rooted_at, segments, to_json,
};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{Orchestrator, SwarmKey, MERGED_DEPLOY_KEYS, PROXY_SERVICE};
use crate::syntax::ast::{Ident, Item};

/// The 3.8 schema document (JSON Schema draft 4).
const SCHEMA: &str = include_str!("swarm-v3.8.json");

/// The longest name Swarm gives a service (`STACK_SERVICE`).
const SERVICE_NAME_MAX: usize = 63;

/// The longest name of a Swarm config.
const CONFIG_NAME_MAX: usize = 64;

/// The edge configuration's name: `STACK_haproxy_` and 12 hexadecimal
/// digits of its content's digest (`crate::emit::swarm`).
const EDGE_CONFIG_SUFFIX: usize = "_haproxy_".len() + 12;

/// Every rule of this module, when some environment runs on Swarm.
/// `stack` is the stack's name.
pub fn check(
    drafts: &[ComponentDraft],
    environments: &[EnvironmentDecl],
    stack: &str,
    diagnostics: &mut Diagnostics,
) {
    let swarms: Vec<&EnvironmentDecl> = environments
        .iter()
        .filter(|e| e.model.orchestrator == Orchestrator::Swarm)
        .collect();
    let Some(first) = swarms.first() else {
        return;
    };
    let routed = drafts.iter().any(|d| !d.routes.is_empty());
    for environment in &swarms {
        check_names(drafts, environment, stack, routed, diagnostics);
        check_host_ip(environment, diagnostics);
    }
    for draft in drafts {
        check_pass_through(draft, &first.model.name, diagnostics);
        check_port_host_ips(draft, first, diagnostics);
    }
}

/// The names Swarm gives the services of the stack `STACK-ENV` (the
/// environment's Compose project: the names are valid already, so it is
/// the two joined) and the edge's config must fit its limits.
fn check_names(
    drafts: &[ComponentDraft],
    environment: &EnvironmentDecl,
    stack: &str,
    routed: bool,
    diagnostics: &mut Diagnostics,
) {
    let project = format!("{stack}-{}", environment.model.name);
    for draft in drafts {
        let service = format!("{project}_{}", draft.name.name);
        if service.len() > SERVICE_NAME_MAX {
            diagnostics.push(
                Diagnostic::error(
                    Code::OrchestratorCannot,
                    format!(
                        "Swarm would name `{}` `{service}` in environment `{}`: {} characters, more than the {SERVICE_NAME_MAX} Swarm takes",
                        draft.name.name,
                        environment.model.name,
                        service.len()
                    ),
                )
                .at(draft.name.span)
                .with_label("a Swarm service is named `STACK-ENVIRONMENT_COMPONENT`")
                .with_help("shorten the component's name, the environment's or the stack's"),
            );
        }
    }
    let Some(span) = environment.name_span.filter(|_| routed) else {
        return;
    };
    let edge = format!("{project}_{PROXY_SERVICE}");
    let config = project.len() + EDGE_CONFIG_SUFFIX;
    if edge.len() > SERVICE_NAME_MAX || config > CONFIG_NAME_MAX {
        diagnostics.push(
            Diagnostic::error(
                Code::OrchestratorCannot,
                format!(
                    "the stack `{project}` is too long a name for Swarm's edge: its config's name would be {config} characters long, more than the {CONFIG_NAME_MAX} Swarm takes"
                ),
            )
            .at(span)
            .with_label("runs on Swarm, with a route: the `haproxy` service and its config")
            .with_help(format!(
                "the config is `STACK-ENVIRONMENT_haproxy_DIGEST`: shorten the environment's or the stack's name to {} characters together",
                CONFIG_NAME_MAX - EDGE_CONFIG_SUFFIX - 1
            )),
        );
    }
}

/// W0003 for a port's `host_ip` when an environment runs on Swarm: it still
/// binds the port where an environment runs on one host, but Swarm
/// publishes the port on every address of its nodes, which the spec's
/// reader would not expect. Named once per port, with the first Swarm
/// environment.
fn check_port_host_ips(
    draft: &ComponentDraft,
    swarm: &EnvironmentDecl,
    diagnostics: &mut Diagnostics,
) {
    for port in &draft.ports.ports {
        let (Some(_), Some(span)) = (&port.port.host_ip, port.host_ip_span) else {
            continue;
        };
        let mut diagnostic = Diagnostic::warning(
            Code::NoEffect,
            format!(
                "`host_ip` of port `{}` has no effect in environment `{}`, which runs on Swarm",
                port.port.name, swarm.model.name
            ),
        )
        .at(span)
        .with_label("bound here on one host only");
        if let Some(environment) = swarm.name_span {
            diagnostic = diagnostic.also(environment, "runs on Swarm");
        }
        diagnostics.push(diagnostic.with_help(
            "Swarm publishes the port on every address of its nodes (a firewall on the nodes limits who reaches them); to keep it off the network there, `publish = false` and reach it from the stack's services",
        ));
    }
}

/// W0003 for a `host_ip` on a Swarm environment: Swarm publishes a port
/// on every address of its nodes, and its stack files have no `host_ip`.
fn check_host_ip(environment: &EnvironmentDecl, diagnostics: &mut Diagnostics) {
    let (Some(_), Some(span)) = (&environment.model.host_ip, environment.name_span) else {
        return;
    };
    diagnostics.push(
        Diagnostic::warning(
            Code::NoEffect,
            format!(
                "`host_ip` has no effect in environment `{}`, which runs on Swarm",
                environment.model.name
            ),
        )
        .at(span)
        .with_label("runs on Swarm")
        .with_help("Swarm publishes ports on every address of its nodes: remove `host_ip` (a firewall on the nodes limits who reaches them)"),
    );
}

/// The `compose { }` keys of `draft` that its own checks let through,
/// against what a stack file takes. `environment` names the first one
/// on Swarm, for the messages.
fn check_pass_through(draft: &ComponentDraft, environment: &str, diagnostics: &mut Diagnostics) {
    let mut scratch = Diagnostics::new();
    let keyed: Vec<(&Ident, PassNode)> = draft
        .block
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Block(b) if b.kind.name == "compose" => Some(b),
            _ => None,
        })
        .flat_map(|block| &block.items)
        .filter_map(|item| match item {
            Item::Attribute(a) => Some((&a.key, PassNode::of_value(&a.value))),
            Item::Block(b) if b.label.is_none() => {
                Some((&b.kind, PassNode::of_block(b, &mut scratch)))
            }
            _ => None,
        })
        // Keys reported by the Compose checks are not in the Model.
        .filter(|(key, _)| draft.compose.entries.iter().any(|(k, _)| *k == key.name))
        .collect();
    let published = draft.ports.ports.iter().any(|p| p.port.published.is_some());
    let mut kept: Vec<(&Ident, &PassNode)> = Vec::new();
    for (key, node) in &keyed {
        match SwarmKey::of(&key.name) {
            SwarmKey::Kept => kept.push((*key, node)),
            SwarmKey::Deploy => {
                check_deploy(node, environment, published, diagnostics);
                kept.push((*key, node));
            }
            SwarmKey::Refused => diagnostics.push(refused(key, environment)),
            SwarmKey::Ignored | SwarmKey::ComposeOnly => {}
        }
    }
    check_values(&kept, environment, diagnostics);
}

/// E0127 for a key a stack file has no place for.
fn refused(key: &Ident, environment: &str) -> Diagnostic {
    let name = key.name.as_str();
    let help = match name {
        "cpus" | "cpu_count" | "cpu_percent" | "cpu_period" | "cpu_quota" | "cpu_shares"
        | "mem_limit" | "mem_reservation" | "memswap_limit" => {
            "Swarm reserves and limits CPU and memory per task from the component's `resources { requests { } limits { } }`: write them there".to_string()
        }
        "pre_start" | "post_start" | "pre_stop" => {
            "Swarm runs no hooks beside a task: do this in the image's entrypoint, or in a component of its own".to_string()
        }
        "platform" => {
            "Swarm places tasks by node: `placement = [\"node.platform.arch == x86_64\"]`".to_string()
        }
        _ => format!(
            "remove `{name}` from `compose {{ }}`, whose keys reach every environment's files"
        ),
    };
    Diagnostic::error(
        Code::OrchestratorCannot,
        format!(
            "`{name}` cannot be carried into a Swarm stack file, and environment `{environment}` runs on Swarm"
        ),
    )
    .at(key.span)
    .with_label("the Compose file format 3.8, which `docker stack deploy` reads, has no such key")
    .with_help(help)
}

/// A pass-through `deploy`: stackc writes a Swarm service's `deploy` from
/// the component, merging only `labels` and `endpoint_mode`; `dnsrr` (no
/// virtual IP) cannot publish a port through the routing mesh.
fn check_deploy(
    node: &PassNode,
    environment: &str,
    published: bool,
    diagnostics: &mut Diagnostics,
) {
    let NodeKind::Map(entries) = &node.kind else {
        return;
    };
    for (key, value) in entries {
        if MERGED_DEPLOY_KEYS.contains(&key.name.as_str()) {
            if key.name == "endpoint_mode" && published && value.text() == Some("dnsrr") {
                diagnostics.push(
                    Diagnostic::error(
                        Code::OrchestratorCannot,
                        format!("`deploy.endpoint_mode = \"dnsrr\"` on a component that publishes a port, and environment `{environment}` runs on Swarm"),
                    )
                    .at(value.span)
                    .with_label("Swarm refuses a port published through its routing mesh without a virtual IP")
                    .with_help("remove `endpoint_mode`, or publish no port (`publish = false`) and reach it by name"),
                );
            }
            continue;
        }
        let written = match key.name.as_str() {
            "replicas" => "stackc writes it from the component's `replicas = N`",
            "resources" => "stackc writes it from the component's `resources { requests { } limits { } }`",
            "placement" => "stackc writes it from the component's `placement = [...]`",
            "update_config" | "rollback_config" => {
                "stackc writes it from the component's `deploy { strategy  steps  interval }` (docs/swarm.md)"
            }
            "restart_policy" => "stackc has Swarm restart a task that exits, whatever its status (`condition: any`)",
            "mode" => "stackc's services are `replicated`: `replicas` tasks each",
            _ => "stackc writes it",
        };
        diagnostics.push(
            Diagnostic::error(
                Code::OrchestratorCannot,
                format!(
                    "`deploy.{}` would clash with the `deploy` stackc writes for Swarm, and environment `{environment}` runs on Swarm",
                    key.name
                ),
            )
            .at(key.span)
            .with_label("stackc writes this key of a Swarm service itself")
            .with_help(format!(
                "{written}; a pass-through `deploy` may give `labels` and `endpoint_mode`"
            )),
        );
    }
}

/// The values of the keys a stack file keeps, against the 3.8 schema of a
/// service; a value holding a `${...}` reference is left to run time.
fn check_values(kept: &[(&Ident, &PassNode)], environment: &str, diagnostics: &mut Diagnostics) {
    let Some(validator) = validator() else {
        return;
    };
    let mut instance = Map::new();
    for (key, node) in kept {
        let value = if key.name == "deploy" {
            merged_deploy(node)
        } else {
            to_json(node)
        };
        if let Some(json) = value {
            instance.insert(key.name.to_string(), json);
        }
    }
    let instance = Json::Object(instance);
    let mut reported: Vec<String> = Vec::new();
    for error in validator.iter_errors(&instance) {
        for error in specific(&error) {
            let path = segments(error.instance_path().as_str());
            let Some(node) = at(kept, &path) else {
                continue;
            };
            let dotted = dotted(&path);
            if holds_reference(node) || reported.contains(&dotted) {
                continue;
            }
            diagnostics.push(value_refused(error, &dotted, node, environment));
            reported.push(dotted);
        }
    }
}

/// The errors that say what is wrong: for a value that matches none of
/// the forms a key takes (`oneOf`, `anyOf`), the errors of the forms of
/// its type (a map for a map), deepest first; else the error itself.
fn specific<'e>(error: &'e ValidationError<'e>) -> Vec<&'e ValidationError<'e>> {
    let (ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context }) =
        error.kind()
    else {
        return vec![error];
    };
    let here = error.instance_path().as_str();
    let fitting: Vec<&ValidationError> = context
        .iter()
        .filter(|branch| {
            !branch.iter().any(|e| {
                e.instance_path().as_str() == here
                    && matches!(e.kind(), ValidationErrorKind::Type { .. })
            })
        })
        .flatten()
        .collect();
    let Some(deepest) = fitting
        .iter()
        .map(|e| e.instance_path().as_str().len())
        .max()
    else {
        return vec![error];
    };
    fitting
        .into_iter()
        .filter(|e| e.instance_path().as_str().len() == deepest)
        .flat_map(specific)
        .collect()
}

/// The keys of a pass-through `deploy` that reach the stack file.
fn merged_deploy(node: &PassNode) -> Option<Json> {
    let NodeKind::Map(entries) = &node.kind else {
        return to_json(node);
    };
    let mut merged = Map::new();
    for (key, value) in entries {
        if MERGED_DEPLOY_KEYS.contains(&key.name.as_str()) {
            merged.insert(key.name.to_string(), to_json(value)?);
        }
    }
    Some(Json::Object(merged))
}

/// E0127 for a value the 3.8 schema refuses.
fn value_refused(
    error: &ValidationError,
    path: &str,
    node: &PassNode,
    environment: &str,
) -> Diagnostic {
    let (message, span, label) = match error.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected } => (
            format!(
                "`{path}`: a Swarm stack file takes no `{}` here, and environment `{environment}` runs on Swarm",
                unexpected.join("`, `")
            ),
            key_span(node, unexpected).unwrap_or(node.span),
            "not in the Compose file format 3.8, which `docker stack deploy` reads".to_string(),
        ),
        ValidationErrorKind::Type { kind } => (
            format!(
                "`{path}`: a Swarm stack file expects {} here, and environment `{environment}` runs on Swarm",
                expected(kind)
            ),
            node.span,
            format!("this is {}", found(node)),
        ),
        _ => (
            format!(
                "`{path}`: a Swarm stack file refuses this value ({}), and environment `{environment}` runs on Swarm",
                error.masked()
            ),
            node.span,
            "refused by the Compose file format 3.8, which `docker stack deploy` reads".to_string(),
        ),
    };
    Diagnostic::error(Code::OrchestratorCannot, message)
        .at(span)
        .with_label(label)
        .with_help("write what both Compose and the format 3.8 take (docs/swarm.md), or remove it from `compose { }`, whose keys reach every environment's files")
}

/// The validator of a 3.8 service; `None` if the embedded schema does not
/// load (a unit test sees it does). Formats are not checked: durations
/// and sizes are Compose's own forms, checked with the Compose keys.
fn validator() -> Option<&'static Validator> {
    static SERVICE: OnceLock<Option<Validator>> = OnceLock::new();
    SERVICE
        .get_or_init(|| {
            let document = rooted_at(SCHEMA, "#/definitions/service")?;
            jsonschema::options()
                .with_draft(Draft::Draft4)
                .should_validate_formats(false)
                .build(&document)
                .ok()
        })
        .as_ref()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::compose_keys::{KeyRule, SERVICE_KEYS};

    /// The properties of a service in the 3.8 schema.
    fn schema_keys() -> Vec<String> {
        let document: Json = serde_json::from_str(SCHEMA).expect("the schema is JSON");
        let properties = &document["definitions"]["service"]["properties"];
        let mut keys: Vec<String> = properties
            .as_object()
            .expect("service properties")
            .keys()
            .cloned()
            .collect();
        keys.sort();
        keys
    }

    #[test]
    fn the_schema_loads_and_refuses_what_the_format_lacks() {
        let validator = validator().expect("the 3.8 schema builds");
        let good = serde_json::json!({ "ulimits": { "nofile": 1024 }, "networks": ["a"] });
        assert!(validator.is_valid(&good));
        let bad = serde_json::json!({ "networks": { "a": { "priority": 1 } } });
        assert!(!validator.is_valid(&bad));
        let bad = serde_json::json!({ "deploy": { "labels": 5 } });
        assert!(!validator.is_valid(&bad));
    }

    /// Every key of a Compose service that reaches a stack file is a key
    /// of the 3.8 format, and every key the 3.8 format has is kept,
    /// ignored, modelled by stackc or refused by the Compose checks.
    #[test]
    fn the_swarm_table_follows_the_format() {
        let format = schema_keys();
        for key in SERVICE_KEYS {
            let treatment = SwarmKey::of(key.name);
            let in_format = format.iter().any(|k| k == key.name);
            match (treatment, &key.rule) {
                (_, KeyRule::Modelled(_)) => {}
                (SwarmKey::Kept | SwarmKey::Ignored | SwarmKey::Deploy, _) => {
                    assert!(in_format, "`{}` is not a key of the 3.8 format", key.name);
                }
                (SwarmKey::Refused | SwarmKey::ComposeOnly, KeyRule::Refused(_)) => {}
                (SwarmKey::Refused | SwarmKey::ComposeOnly, _) => {
                    assert!(!in_format, "`{}` is a key of the 3.8 format", key.name);
                }
            }
        }
        for key in &format {
            let known = SERVICE_KEYS.iter().find(|k| k.name == key);
            let rule = known.map(|k| &k.rule);
            let ok = matches!(rule, Some(KeyRule::Modelled(_) | KeyRule::Refused(_)))
                || matches!(
                    SwarmKey::of(key),
                    SwarmKey::Kept | SwarmKey::Ignored | SwarmKey::Deploy
                );
            assert!(ok, "the 3.8 key `{key}` has no treatment");
        }
    }
}
