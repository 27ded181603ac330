//! One Compose service as a component: the keys the language models
//! become its attributes and blocks, the rest goes to the `compose { }`
//! pass-through, and what the analyser would refuse there is translated or
//! reported (docs/import.md lists each key).

use std::collections::BTreeSet;

use crate::analyse::{service_key, KeyRule};

use super::command::split_words;
use super::component::{Body, Component, LinkAlias};
use super::environment::{self, EnvIssue};
use super::healthcheck;
use super::interpolation::{compose_unescape, LangString};
use super::lang_value::{compose_string, describe, from_yaml, is_bare_key, LangValue, ValueLoss};
use super::paths::{rebase, Rebased};
use super::ports;
use super::report::{Place, Reporter};
use super::top_level::TopLevel;
use super::yaml::{Key, Node, Tag, Value};
use super::FileSystem;
use crate::source::FileId;

/// What a service is read against.
pub struct Context<'a> {
    pub file: FileId,
    /// The Compose file's folder, absolute, `/`-separated.
    pub folder: &'a str,
    /// The workspace root the import writes, absolute, `/`-separated.
    pub root: &'a str,
    /// Every service of the imported files, by its component name, with
    /// the service name it had.
    pub services: &'a BTreeSet<String>,
    /// The top-level secrets and configs services may name.
    pub top: &'a TopLevel,
    pub fs: &'a dyn FileSystem,
}

/// The component name of a service: lower case, `.` as `-`; `None` when it
/// does not follow the name rules then (a letter first, then letters,
/// digits, `-` and `_`; at most 63 bytes; not a name templates reserve).
pub fn component_name(service: &str) -> Option<String> {
    let name: String = service.to_ascii_lowercase().replace('.', "-");
    // A letter first: the parser reads a word starting with a digit as a
    // number.
    let ok = name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && name.len() <= 63
        && !matches!(name.as_str(), "env" | "stack" | "self" | "components");
    ok.then_some(name)
}

/// Converts the service `key` (already named `name`) with its map `node`.
pub fn convert(
    name: &str,
    key: &Key,
    node: &Node,
    cx: &Context,
    report: &mut Reporter,
) -> Component {
    let mut body = Body::default();
    let at = |n: &Node| Place::of(cx.file, n);
    let Some(entries) = node.as_map() else {
        report.dropped(
            at(node),
            format!("service `{}` is not a map of settings", key.name),
            "a service is a map: `image: ...`, `ports: [...]`",
        );
        return Component {
            name: name.to_string(),
            place: Place::key(cx.file, key),
            body,
            unbuilt: None,
            aliases: Vec::new(),
            keys: Vec::new(),
        };
    };
    let mut unbuilt = None;
    let mut aliases = Vec::new();
    let mut port_nodes: Option<&Node> = None;
    let mut health_node: Option<(&Key, &Node)> = None;
    for (k, value) in entries {
        // `!reset`: Compose takes the key away, whatever it holds.
        if k.tag == Some(Tag::Reset) {
            continue;
        }
        let kp = Place::key(cx.file, k);
        match k.name.as_str() {
            "image" => body.image = image(value, cx, report),
            "build" => {
                body.build = build(value, cx, report);
                if body.build.is_none() {
                    unbuilt = Some(Place::of(cx.file, value));
                }
            }
            "dockerfile" => report.dropped(
                kp,
                "`dockerfile` (another Dockerfile than the context's `Dockerfile`) is not imported",
                "stackc builds the context's `Dockerfile`: rename the file, or build the image beforehand and give its `image`",
            ),
            "command" => body.command = command(value, cx, report),
            "ports" => port_nodes = Some(value),
            "depends_on" | "links" => {
                dependencies(k, value, cx, report, &mut body.depends_on, &mut aliases)
            }
            "environment" => environment(value, cx, report, &mut body),
            "healthcheck" => health_node = Some((k, value)),
            "profiles" => report.profiles(kp),
            "extends" => {} // resolved before conversion
            "net" | "network_mode" => network_mode(k, value, cx, report, &mut body),
            "secrets" => body.secrets = references(k, value, &cx.top.secrets, cx, report),
            "configs" => body.configs = references(k, value, &cx.top.configs, cx, report),
            other if other.starts_with("x-") => pass(name, k, value, cx, report, &mut body),
            other => match service_key(other).map(|k| &k.rule) {
                None => report.dropped(
                    kp,
                    format!("`{other}` is not a key of a Compose service"),
                    "check the key's spelling against the Compose specification",
                ),
                Some(KeyRule::Refused(_)) => report.dropped(
                    kp,
                    format!("`{other}` is not imported: stackc cannot carry it into the files it writes"),
                    refused_help(other),
                ),
                Some(_) => pass(name, k, value, cx, report, &mut body),
            },
        }
    }
    if let Some(ports_node) = port_nodes {
        body.ports = read_ports(ports_node, cx, report);
    }
    if let Some((k, value)) = health_node {
        let read = healthcheck::read(value, &body.ports);
        let off = turns_health_off(value) && node.get("extends").is_some();
        for (sub_key, issue) in &read.issues {
            let place = sub_key
                .and_then(|s| value.entry(s))
                .map_or(Place::key(cx.file, k), |(sk, _)| Place::key(cx.file, sk));
            // Under `extends`, the base's check is dropped (extends.rs).
            let inherited = if off {
                "; the health check of the service it extends is not inherited"
            } else {
                ""
            };
            report.approximated(
                place,
                format!("health check: {issue}{inherited}"),
                "see docs/import.md, \"Health checks\", for how the timing is carried",
            );
        }
        body.health = read.health;
    }
    // Without an `image`, the build is tagged `STACK/NAME`, which the
    // environment files pull (`pull_policy: always`): a Docker Hub name.
    if let (Some(_), None) = (&body.build, &body.image) {
        if let Some((k, _)) = entries.iter().find(|(k, _)| k.name == "build") {
            report.approximated(
                Place::key(cx.file, k),
                format!("no `image`: stackc tags the build `STACK/{name}`, which the environment files pull"),
                format!("give it your registry's name with `image` (`image: registry.example.com/team/{name}`)"),
            );
        }
    }
    Component {
        name: name.to_string(),
        place: Place::key(cx.file, key),
        body,
        unbuilt,
        aliases,
        keys: entries
            .iter()
            .map(|(k, v)| (k.name.clone(), Place::key(cx.file, k), v.clone()))
            .collect(),
    }
}

/// Whether a `healthcheck` turns the check off (`disable: true`, or
/// `test: ["NONE"]`), which takes a check `extends` gives away too.
pub fn turns_health_off(healthcheck: &Node) -> bool {
    healthcheck
        .get("disable")
        .is_some_and(|d| d.value == Value::Bool(true))
        || healthcheck
            .get("test")
            .and_then(Node::as_list)
            .and_then(|t| t.first())
            .and_then(Node::as_str)
            == Some("NONE")
}

fn refused_help(key: &str) -> &'static str {
    match key {
        "container_name" => "other components reach this one by its service name",
        "volumes_from" => "mount the same named volume in both services instead",
        "external_links" => {
            "make the other service a component, or pass its address in `environment`"
        }
        _ => "see docs/compose.md, \"Every key\", for what to write instead",
    }
}

fn report_losses(losses: Vec<ValueLoss>, cx: &Context, report: &mut Reporter) {
    for loss in losses {
        report.approximated(
            Place::of(cx.file, loss.node),
            loss.what,
            "write the value in a form the language takes (docs/language.md, \"Run-time references\")",
        );
    }
}

fn image(value: &Node, cx: &Context, report: &mut Reporter) -> Option<LangValue> {
    let Some(text) = value.scalar_text() else {
        report.dropped(
            Place::of(cx.file, value),
            "`image` is not a string",
            "write `image: NAME:TAG`",
        );
        return None;
    };
    let mut losses = Vec::new();
    let written = compose_string(value, &text, &mut losses);
    report_losses(losses, cx, report);
    Some(LangValue::String(written))
}

/// `build:` as the language's `build`: the context alone as a string, or
/// the map with `dockerfile`, `target`, `args` and `labels`; the keys the
/// language has no word for are reported.
fn build(value: &Node, cx: &Context, report: &mut Reporter) -> Option<LangValue> {
    let place = Place::of(cx.file, value);
    let mut options: Vec<(String, LangValue)> = Vec::new();
    let mut dockerfile: Option<(String, &Node)> = None;
    let context = match &value.value {
        Value::String(s) => s.clone(),
        Value::Map(entries) => {
            for (k, v) in entries {
                match k.name.as_str() {
                    "context" => {}
                    "dockerfile" => match v.scalar_text() {
                        Some(file) if file == "Dockerfile" || file == "./Dockerfile" => {}
                        Some(file) => dockerfile = Some((file, v)),
                        None => report.dropped(
                            Place::of(cx.file, v),
                            "`build.dockerfile` is not a path",
                            "write `dockerfile: Dockerfile.prod`, relative to the context",
                        ),
                    },
                    "target" => match v.scalar_text() {
                        Some(stage) if is_stage_name(&stage) => {
                            options.push(("target".into(), LangValue::literal(&stage)));
                        }
                        _ => report.dropped(
                            Place::of(cx.file, v),
                            "`build.target` is not a build stage name",
                            "name a stage of the Dockerfile: a letter, then letters, digits, `-`, `_` and `.`",
                        ),
                    },
                    "args" => {
                        let args = build_args(v, cx, report);
                        if !args.is_empty() {
                            options.push(("args".into(), LangValue::Map(args)));
                        }
                    }
                    "labels" => {
                        let labels = build_labels(v, cx, report);
                        if !labels.is_empty() {
                            options.push(("labels".into(), LangValue::Map(labels)));
                        }
                    }
                    other => report.dropped(
                        Place::key(cx.file, k),
                        format!("`build.{other}` is not imported: the language's `build` takes `context`, `dockerfile`, `target`, `args` and `labels`"),
                        "build with those, or build the image beforehand and give its `image`",
                    ),
                }
            }
            value
                .get("context")
                .and_then(Node::scalar_text)
                .unwrap_or_else(|| ".".into())
        }
        _ => {
            report.dropped(
                place,
                "`build` is neither a path nor a map",
                "write `build: ./folder`",
            );
            return None;
        }
    };
    if context.contains("://") || context.starts_with("git@") || context.contains('$') {
        report.dropped(
            place,
            format!("the build context `{context}` is not a folder of the workspace"),
            "check the sources out into the workspace and build from that folder",
        );
        return None;
    }
    let relative = match rebase(&context, cx.folder, cx.root) {
        Rebased::Inside(relative) => relative,
        Rebased::Outside | Rebased::Absolute => {
            report.outside(place, &context);
            return None;
        }
    };
    let under_root = |path: &str| {
        if path == "." {
            cx.root.to_string()
        } else {
            format!("{}/{}", cx.root, path)
        }
    };
    let folder = under_root(&relative);
    let dockerfile = dockerfile.and_then(|(file, node)| {
        let inside = !file.contains('$')
            && matches!(rebase(&file, &folder, cx.root), Rebased::Inside(ref path) if cx.fs.is_file(&under_root(path)));
        if !inside {
            report.dropped(
                Place::of(cx.file, node),
                format!("`build.dockerfile` `{file}` is not a file of the workspace"),
                "name a Dockerfile inside the workspace, relative to the context",
            );
        }
        inside.then(|| file.trim_start_matches("./").to_string())
    });
    match &dockerfile {
        Some(file) => options.insert(0, ("dockerfile".into(), LangValue::literal(file))),
        None if !cx.fs.is_file(&format!("{folder}/Dockerfile")) => {
            report.dropped(
                place,
                format!("the build context `{context}` holds no `Dockerfile`"),
                "stackc builds a context's `Dockerfile` unless `dockerfile` names another: add one, or give the service an `image`",
            );
            return None;
        }
        None => {}
    }
    if options.is_empty() {
        return Some(LangValue::literal(&relative));
    }
    options.insert(0, ("context".into(), LangValue::literal(&relative)));
    Some(LangValue::Map(options))
}

/// BuildKit's rule for a stage name (after lowercasing): `[a-z][a-z0-9-_.]*`.
fn is_stage_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// `build.args` (a map, or a list of `NAME=value`) as the language's
/// `args` map, read as `environment` is; a name the shell does not take is
/// dropped (`docker build --build-arg` needs an `ARG` name).
fn build_args(value: &Node, cx: &Context, report: &mut Reporter) -> Vec<(String, LangValue)> {
    let (entries, issues) = environment::read(value);
    for issue in issues {
        match issue {
            EnvIssue::Name(node, name) => report.dropped(
                Place::of(cx.file, node),
                format!("the build argument `{name}` is not imported: an `ARG` name has letters, digits and `_`"),
                "rename the `ARG` in the Dockerfile and here",
            ),
            EnvIssue::FromShell(node, name) => report.approximated(
                Place::of(cx.file, node),
                format!("the build argument `{name}` takes its value from the shell; it is imported as `${{{name}}}`, which is empty, not unset, when the shell has none"),
                format!("give it a default: `{name}: ${{{name}:-value}}`"),
            ),
            EnvIssue::Value(loss) => report_losses(vec![loss], cx, report),
            EnvIssue::Shape(node) => report.dropped(
                Place::of(cx.file, node),
                "a `build.args` entry that is neither `NAME=value` nor `NAME: value`",
                "write `NAME: value`",
            ),
        }
    }
    let mut out = Vec::new();
    for entry in entries {
        if entry.key.contains('.') {
            report.dropped(
                Place::of(cx.file, value),
                format!("the build argument `{}` is not imported: an `ARG` name has letters, digits and `_`", entry.key),
                "rename the `ARG` in the Dockerfile and here",
            );
            continue;
        }
        out.push((entry.key, entry.value));
    }
    out
}

/// `build.labels` (a map, or a list of `KEY=value`) as the language's
/// `labels` map; a key with no value is an empty label, as Compose reads it.
fn build_labels(value: &Node, cx: &Context, report: &mut Reporter) -> Vec<(String, LangValue)> {
    let mut out: Vec<(String, LangValue)> = Vec::new();
    let mut losses = Vec::new();
    let mut add = |key: &str, text: &str, node, out: &mut Vec<(String, LangValue)>| {
        if key.is_empty() || key.chars().any(|c| c.is_whitespace() || c.is_control()) {
            report.dropped(
                Place::of(cx.file, node),
                format!("the label `{key}` is not imported: a key has no spaces"),
                "name labels in reverse-DNS form, such as `org.opencontainers.image.source`",
            );
            return;
        }
        out.retain(|(k, _)| k != key);
        out.push((
            key.to_string(),
            LangValue::String(compose_string(node, text, &mut losses)),
        ));
    };
    match &value.value {
        Value::Map(entries) => {
            for (k, v) in entries {
                let text = v.scalar_text().unwrap_or_default();
                add(&k.name, &text, v, &mut out);
            }
        }
        Value::List(items) => {
            for item in items {
                let text = item.scalar_text().unwrap_or_default();
                let (key, rest) = text.split_once('=').unwrap_or((&text, ""));
                add(key, rest, item, &mut out);
            }
        }
        _ => report.dropped(
            Place::of(cx.file, value),
            "`build.labels` is neither a map nor a list",
            "write `labels: { KEY: value }`",
        ),
    }
    report_losses(losses, cx, report);
    out
}

fn command(value: &Node, cx: &Context, report: &mut Reporter) -> Option<LangValue> {
    let place = Place::of(cx.file, value);
    let mut lost = Vec::new();
    let words: Vec<String> = match &value.value {
        Value::Null => return None,
        Value::List(items) => items
            .iter()
            .filter_map(|item| {
                let text = item.scalar_text()?;
                let (text, l) = compose_unescape(&text);
                lost.extend(l);
                Some(text)
            })
            .collect(),
        _ => {
            let Some(text) = value.scalar_text() else {
                report.dropped(
                    place,
                    "`command` is neither a string nor a list",
                    "write `command: [\"program\", \"arg\"]`",
                );
                return None;
            };
            let (text, l) = compose_unescape(&text);
            lost.extend(l);
            match split_words(&text) {
                Some(words) => words,
                None => {
                    report.dropped(
                        place,
                        "`command` has a quote that is not closed",
                        "close the quote",
                    );
                    return None;
                }
            }
        }
    };
    if words.is_empty() {
        report.dropped(
            place,
            "an empty `command` is not imported: the language's `command` is never empty, so the image's own command runs",
            "write the command the container runs, or leave `command` out",
        );
        return None;
    }
    for loss in lost {
        report.approximated(
            place,
            describe(&loss).replace("kept as literal text", "passed to the container as written, not expanded by Compose"),
            "the language's `command` is not interpolated: pass the value in `environment` and let the container's shell expand it",
        );
    }
    Some(LangValue::List(
        words.iter().map(|w| LangValue::literal(w)).collect(),
    ))
}

fn read_ports(node: &Node, cx: &Context, report: &mut Reporter) -> Vec<ports::PortEntry> {
    let Some(items) = node.as_list() else {
        report.dropped(
            Place::of(cx.file, node),
            "`ports` is not a list",
            "write `ports: [\"8080:80\"]`",
        );
        return Vec::new();
    };
    let mut mappings = Vec::new();
    for item in items {
        let place = Place::of(cx.file, item);
        if item.as_map().is_some() {
            port_settings(item, cx, report);
        }
        let parsed = match ports::parse_item(item) {
            Ok(parsed) => parsed,
            Err(why) => {
                let shown = item
                    .scalar_text()
                    .map(|t| format!(" `{t}`"))
                    .unwrap_or_default();
                report.dropped(
                    place,
                    format!("port{shown} not imported: {why}"),
                    "write `\"HOST:CONTAINER\"` with port numbers",
                );
                continue;
            }
        };
        let references = parsed.references.join("`, `");
        for mapping in parsed.mappings {
            if mapping.protocol == "sctp" {
                report.dropped(
                    place,
                    "an `sctp` port is not imported",
                    "the language's ports are `tcp` and `udp`",
                );
                continue;
            }
            match mapping.published {
                None if !references.is_empty() => report.approximated(
                    place,
                    format!(
                        "container port {} is published on the run-time reference `{references}`, which has no default; it is imported unpublished",
                        mapping.container
                    ),
                    format!(
                        "publish it on a number in the spec: `{{ container = {}  publish = 8080 }}`",
                        mapping.container
                    ),
                ),
                None => report.approximated(
                    place,
                    format!(
                        "container port {} is published on a host port Compose picks, which the language cannot say; it is imported unpublished",
                        mapping.container
                    ),
                    format!(
                        "give it a host port (`\"{0}:{0}\"`) to publish it",
                        mapping.container
                    ),
                ),
                Some(host) if !references.is_empty() => report.approximated(
                    place,
                    format!(
                        "the port holds the run-time reference `{references}`: container port {} is published on {host}, the default; the variable no longer changes it",
                        mapping.container
                    ),
                    "to publish it on another host port, edit the port's `publish` in the spec",
                ),
                Some(_) => {}
            }
            mappings.push(mapping);
        }
    }
    ports::entries(&mappings)
}

/// The long form's keys the language has no place for: reported, left out.
fn port_settings(item: &Node, cx: &Context, report: &mut Reporter) {
    for (k, _) in item.as_map().unwrap_or_default() {
        let known = [
            "target",
            "published",
            "host_ip",
            "protocol",
            "name",
            "mode",
            "app_protocol",
        ];
        if !known.contains(&k.name.as_str()) {
            report.dropped(
                Place::key(cx.file, k),
                format!("`{}` is not a key of a port", k.name),
                "a port's keys are `target`, `published`, `host_ip`, `protocol` and `name`",
            );
        }
    }
    if let Some((k, v)) = item.entry("mode") {
        let mode = v.scalar_text().unwrap_or_default();
        if mode != "ingress" {
            report.dropped(
                Place::key(cx.file, k),
                format!("the port's `mode: {mode}` is not imported"),
                "on one Docker host `docker compose up` publishes the port the same in either mode (the mode is Swarm's: `host` bypasses its routing mesh); stackc's Swarm stack files publish through the mesh",
            );
        }
    }
    if let Some((k, v)) = item.entry("app_protocol") {
        report.dropped(
            Place::key(cx.file, k),
            format!(
                "the port's `app_protocol: {}` is not imported",
                v.scalar_text().unwrap_or_default()
            ),
            "the language's ports say `tcp` or `udp` only; Compose passes `app_protocol` to no container (it is a hint for platforms)",
        );
    }
}

fn dependencies(
    key: &Key,
    value: &Node,
    cx: &Context,
    report: &mut Reporter,
    out: &mut Vec<String>,
    aliases: &mut Vec<LinkAlias>,
) {
    let mut names: Vec<(String, &Node)> = Vec::new();
    match &value.value {
        Value::List(items) => {
            for item in items {
                let Some(text) = item.scalar_text() else {
                    continue;
                };
                if key.name == "links" {
                    let (service, alias) = match text.split_once(':') {
                        Some((s, a)) => (s.to_string(), Some(a.to_string())),
                        None => (text.clone(), None),
                    };
                    if let Some(alias) = alias.filter(|a| *a != service) {
                        // Checked and carried once every service is read.
                        if let Some(target) = component_name(&service) {
                            aliases.push(LinkAlias {
                                target,
                                alias,
                                place: Place::of(cx.file, item),
                            });
                        }
                    }
                    names.push((service, item));
                } else {
                    names.push((text, item));
                }
            }
        }
        Value::Map(entries) => {
            for (k, v) in entries {
                if let Some((rk, restart)) = v.entry("restart") {
                    if restart.value == Value::Bool(true) {
                        report.dropped(
                            Place::key(cx.file, rk),
                            format!("`restart: true` (restart this service when `{}` restarts) is not imported", k.name),
                            "the language's `depends_on` is a list of names; restart the service by hand after restarting its dependency",
                        );
                    }
                }
                if let Some((rk, required)) = v.entry("required") {
                    if required.value == Value::Bool(false) {
                        report.approximated(
                            Place::key(cx.file, rk),
                            format!("`required: false`: `{}` is imported as a dependency every environment starts", k.name),
                            "stackc starts every component of the stack; leave the dependency out of `depends_on` if the service runs without it",
                        );
                    }
                }
                if let Some(condition) = v.get("condition").and_then(Node::scalar_text) {
                    if condition == "service_completed_successfully" {
                        report.approximated(
                            Place::of(cx.file, v),
                            "`service_completed_successfully`: the dependency is imported, but stackc waits for it to be healthy or started",
                            "a one-shot loader belongs in a `fixtures` block of the component it loads into",
                        );
                    }
                }
                names.push((k.name.clone(), v));
            }
        }
        _ => report.dropped(
            Place::of(cx.file, value),
            format!("`{}` is neither a list nor a map", key.name),
            "write a list of service names",
        ),
    }
    for (service, node) in names {
        let Some(name) = component_name(&service) else {
            continue;
        };
        if !cx.services.contains(&name) {
            report.unknown_dependency(Place::of(cx.file, node), &service);
            continue;
        }
        if !out.contains(&name) {
            out.push(name);
        }
    }
}

fn environment(value: &Node, cx: &Context, report: &mut Reporter, body: &mut Body) {
    let (entries, issues) = environment::read(value);
    for issue in issues {
        match issue {
            EnvIssue::Name(node, name) => report.dropped(
                Place::of(cx.file, node),
                format!("the variable `{name}` is not imported: the language cannot write its name"),
                "name it with letters, digits, `_` and `.`",
            ),
            EnvIssue::FromShell(node, name) => report.approximated(
                Place::of(cx.file, node),
                format!("`{name}` takes its value from the shell; it is imported as `${{{name}}}`, which is empty, not unset, when the shell has none"),
                format!("give it a default: `{name}: ${{{name}:-value}}`"),
            ),
            EnvIssue::Value(loss) => report_losses(vec![loss], cx, report),
            EnvIssue::Shape(node) => report.dropped(
                Place::of(cx.file, node),
                "an `environment` entry that is neither `NAME=value` nor `NAME: value`",
                "write `NAME: value`",
            ),
        }
    }
    for entry in entries {
        body.env.retain(|e| e.key != entry.key);
        body.env.push(entry);
    }
}

fn network_mode(key: &Key, value: &Node, cx: &Context, report: &mut Reporter, body: &mut Body) {
    match value.as_str() {
        Some("none") => body.compose.push(("network_mode".into(), LangValue::String(LangString("none".into())))),
        _ => report.dropped(
            Place::of(cx.file, value),
            format!("`{}: {}` is not imported: components share the stack's network", key.name, value.scalar_text().unwrap_or_default()),
            "components reach each other by name on the project's network; list the other service in `depends_on`",
        ),
    }
}

/// A key that goes to the pass-through, with what the analyser would
/// refuse in it taken out and reported.
fn pass(own: &str, key: &Key, value: &Node, cx: &Context, report: &mut Reporter, body: &mut Body) {
    let kp = Place::key(cx.file, key);
    let name = key.name.as_str();
    if !is_bare_key(name) {
        // A block's keys are names: an extension key such as `x-a.b` has
        // no way to be written.
        report.dropped(
            kp,
            format!("the key `{name}` is not imported: the language cannot write it as a key of `compose {{ }}`"),
            "name extension keys with letters, digits, `-` and `_`",
        );
        return;
    }
    if value.value == Value::Null {
        report.dropped(
            kp,
            format!("`{name}` has no value"),
            "give it a value or leave it out",
        );
        return;
    }
    match name {
        "ipc" | "pid" | "uts" => {
            let text = value.scalar_text().unwrap_or_default();
            if text.starts_with("service:") || text.starts_with("container:") || text.contains('$')
            {
                report.dropped(
                    kp,
                    format!(
                        "`{name}: {text}` is not imported: it joins another container's namespace"
                    ),
                    "leave it out; `host` (and for `ipc` `private`, `shareable`) is carried",
                );
                return;
            }
        }
        "scale" if value.value != Value::Int(1) => {
            report.dropped(
                kp,
                "`scale` other than 1 is not imported",
                "set `replicas = N` on the component for Swarm and Kubernetes environments",
            );
            return;
        }
        _ => {}
    }
    let mut losses = Vec::new();
    let filtered = match name {
        "volumes" => volumes(value, cx, report),
        "env_file" | "label_file" => files(value, cx, report),
        "labels" => labels(value, cx, report),
        "deploy" => deploy(value, cx, report),
        "networks" => networks(value, cx, report),
        _ => None,
    };
    let converted = match filtered {
        Some(v) => Some(v),
        None => from_yaml(value, &mut losses),
    };
    for loss in losses {
        report.approximated(
            Place::of(cx.file, loss.node),
            loss.what,
            "write the value in a form the language takes",
        );
    }
    if let Some(mut v) = converted {
        if name == "networks" {
            drop_taken_aliases(own, value, &mut v, cx, report);
        }
        // Every entry dropped (reported): the key is left out, not `= []`.
        let emptied = matches!(&v, LangValue::List(l) if l.is_empty())
            && value.as_list().is_some_and(|l| !l.is_empty());
        if !emptied {
            body.compose.push((name.to_string(), v));
        }
    }
}

/// Takes out of `networks` (`value` as written, `converted` as it will be
/// written) each alias that is the name of another imported service: on
/// the stack's one network that name would answer with either container,
/// which the analyser refuses (E0119).
fn drop_taken_aliases(
    own: &str,
    value: &Node,
    converted: &mut LangValue,
    cx: &Context,
    report: &mut Reporter,
) {
    let mut taken: Vec<(String, String)> = Vec::new();
    for (network, settings) in value.as_map().unwrap_or_default() {
        for alias in settings
            .get("aliases")
            .and_then(Node::as_list)
            .unwrap_or_default()
        {
            let Some(text) = alias.as_str() else {
                continue;
            };
            if text != own && cx.services.contains(text) {
                report.dropped(
                    Place::of(cx.file, alias),
                    format!("the network alias `{text}` is not imported: it is the name of the service `{text}`, which the alias would shadow"),
                    "choose another alias: on the stack's network a name must name one service only",
                );
                taken.push((network.name.clone(), text.to_string()));
            }
        }
    }
    let LangValue::Map(networks) = converted else {
        return;
    };
    for (network, settings) in networks.iter_mut() {
        let LangValue::Map(settings) = settings else {
            continue;
        };
        for (key, aliases) in settings.iter_mut() {
            if let (true, LangValue::List(items)) = (key == "aliases", aliases) {
                items.retain(|item| {
                    !matches!(item, LangValue::String(s)
                        if taken.iter().any(|(n, a)| n == network && *a == s.0))
                });
            }
        }
        // Every alias dropped: no `aliases = []`.
        let emptied = taken.iter().any(|(n, _)| n == network);
        settings.retain(|(key, v)| {
            !(emptied && key == "aliases" && matches!(v, LangValue::List(l) if l.is_empty()))
        });
    }
}

fn volumes(value: &Node, cx: &Context, report: &mut Reporter) -> Option<LangValue> {
    let items = value.as_list()?;
    let mut out = Vec::new();
    let mut losses = Vec::new();
    for item in items {
        match &item.value {
            Value::String(s) => {
                let mut parts = s.splitn(2, ':');
                let source = parts.next().unwrap_or_default();
                let rest = parts.next();
                if is_path(source) && rest.is_some() {
                    match rebase(source, cx.folder, cx.root) {
                        Rebased::Inside(rel) => {
                            let text = format!(
                                "./{}:{}",
                                rel.trim_start_matches("./"),
                                rest.unwrap_or_default()
                            );
                            let text = text.replacen("./.:", ".:", 1);
                            out.push(LangValue::String(compose_string(item, &text, &mut losses)));
                        }
                        Rebased::Absolute => {
                            out.push(LangValue::String(compose_string(item, s, &mut losses)))
                        }
                        Rebased::Outside => report.outside(Place::of(cx.file, item), source),
                    }
                } else {
                    out.push(LangValue::String(compose_string(item, s, &mut losses)));
                }
            }
            Value::Map(entries) => {
                let bind = item.get("type").and_then(Node::as_str) == Some("bind");
                let source = item.get("source").and_then(Node::as_str);
                match (bind, source) {
                    (true, Some(source)) if is_path(source) => {
                        match rebase(source, cx.folder, cx.root) {
                            Rebased::Inside(rel) => {
                                let mut map = Vec::new();
                                for (k, v) in entries {
                                    if k.name == "source" {
                                        let path = if rel == "." {
                                            ".".to_string()
                                        } else {
                                            format!("./{rel}")
                                        };
                                        map.push((k.name.clone(), LangValue::literal(&path)));
                                    } else if let Some(v) = from_yaml(v, &mut losses) {
                                        map.push((k.name.clone(), v));
                                    }
                                }
                                out.push(LangValue::Map(map));
                            }
                            Rebased::Absolute => out.extend(from_yaml(item, &mut losses)),
                            Rebased::Outside => report.outside(Place::of(cx.file, item), source),
                        }
                    }
                    _ => out.extend(from_yaml(item, &mut losses)),
                }
            }
            _ => out.extend(from_yaml(item, &mut losses)),
        }
    }
    report_losses(losses, cx, report);
    Some(LangValue::List(out))
}

fn is_path(source: &str) -> bool {
    source.starts_with('.') || source.starts_with('/') || source.starts_with('~')
}

fn files(value: &Node, cx: &Context, report: &mut Reporter) -> Option<LangValue> {
    let one = |node: &Node, path: &str, report: &mut Reporter| -> Option<LangValue> {
        match rebase(path, cx.folder, cx.root) {
            Rebased::Inside(rel) => {
                Some(LangValue::literal(&format!("./{rel}").replace("./.", ".")))
            }
            Rebased::Absolute => Some(LangValue::literal(path)),
            Rebased::Outside => {
                report.outside(Place::of(cx.file, node), path);
                None
            }
        }
    };
    match &value.value {
        Value::String(s) => Some(one(value, s, report).unwrap_or(LangValue::List(Vec::new()))),
        Value::List(items) => {
            let mut out = Vec::new();
            for item in items {
                match (&item.value, item.get("path").and_then(Node::as_str)) {
                    (Value::String(s), _) => out.extend(one(item, s, report)),
                    (Value::Map(entries), Some(path)) => {
                        if let Some(rebased) = one(item, path, report) {
                            let mut losses = Vec::new();
                            let map = entries
                                .iter()
                                .filter_map(|(k, v)| {
                                    if k.name == "path" {
                                        Some((k.name.clone(), rebased.clone()))
                                    } else {
                                        Some((k.name.clone(), from_yaml(v, &mut losses)?))
                                    }
                                })
                                .collect();
                            report_losses(losses, cx, report);
                            out.push(LangValue::Map(map));
                        }
                    }
                    _ => {}
                }
            }
            Some(LangValue::List(out))
        }
        _ => None,
    }
}

fn labels(value: &Node, cx: &Context, report: &mut Reporter) -> Option<LangValue> {
    let reserved = |name: &str| name.starts_with("com.docker.compose.");
    let mut losses = Vec::new();
    let out = match &value.value {
        Value::Map(entries) => {
            let mut map = Vec::new();
            for (k, v) in entries {
                if reserved(&k.name) {
                    report.dropped(
                        Place::key(cx.file, k),
                        format!(
                            "the label `{}` is not imported: Compose reserves the prefix",
                            k.name
                        ),
                        "use your own prefix (`com.example.team`)",
                    );
                    continue;
                }
                let text = v.scalar_text().unwrap_or_default();
                map.push((
                    k.name.clone(),
                    LangValue::String(compose_string(v, &text, &mut losses)),
                ));
            }
            LangValue::Map(map)
        }
        Value::List(items) => {
            let mut list = Vec::new();
            for item in items {
                let text = item.scalar_text().unwrap_or_default();
                if reserved(&text) {
                    report.dropped(
                        Place::of(cx.file, item),
                        format!("the label `{text}` is not imported: Compose reserves the prefix"),
                        "use your own prefix (`com.example.team`)",
                    );
                    continue;
                }
                list.push(LangValue::String(compose_string(item, &text, &mut losses)));
            }
            LangValue::List(list)
        }
        _ => return None,
    };
    report_losses(losses, cx, report);
    Some(out)
}

/// A service's `networks`: an entry without settings (`default:`) attaches
/// the service with Compose's defaults, as `default = {}` does.
fn networks(value: &Node, cx: &Context, report: &mut Reporter) -> Option<LangValue> {
    let entries = value.as_map()?;
    let mut losses = Vec::new();
    let map = entries
        .iter()
        .filter_map(|(k, v)| {
            let v = match v.value {
                Value::Null => LangValue::Map(Vec::new()),
                _ => from_yaml(v, &mut losses)?,
            };
            Some((k.name.clone(), v))
        })
        .collect();
    report_losses(losses, cx, report);
    Some(LangValue::Map(map))
}

fn deploy(value: &Node, cx: &Context, report: &mut Reporter) -> Option<LangValue> {
    let entries = value.as_map()?;
    let mut losses = Vec::new();
    let mut map = Vec::new();
    for (k, v) in entries {
        if k.name == "replicas" && v.value != Value::Int(1) {
            report.dropped(
                Place::key(cx.file, k),
                "`deploy.replicas` other than 1 is not imported",
                "set `replicas = N` on the component for Swarm and Kubernetes environments",
            );
            continue;
        }
        if let Some(v) = from_yaml(v, &mut losses) {
            map.push((k.name.clone(), v));
        }
    }
    report_losses(losses, cx, report);
    Some(LangValue::Map(map))
}

/// A service's `secrets` or `configs`: names of top-level ones, short
/// (`- db_password`) or long (`source`, `target`).
fn references(
    key: &Key,
    value: &Node,
    declared: &std::collections::BTreeMap<String, String>,
    cx: &Context,
    report: &mut Reporter,
) -> Option<LangValue> {
    let kind = key.name.trim_end_matches('s');
    let mut out = Vec::new();
    for item in value.as_list().unwrap_or_default() {
        let source = match &item.value {
            Value::String(s) => Some(s.clone()),
            Value::Map(_) => item.get("source").and_then(Node::scalar_text),
            _ => None,
        };
        let Some(source) = source else {
            report.dropped(
                Place::of(cx.file, item),
                format!("a {kind} reference without a `source`"),
                format!("name a top-level {kind}"),
            );
            continue;
        };
        let Some(name) = declared.get(&source) else {
            report.dropped(
                Place::of(cx.file, item),
                format!("`{source}` is not a top-level {kind} the import carries"),
                format!("declare it under the top-level `{}:` with `file`", key.name),
            );
            continue;
        };
        match &item.value {
            Value::Map(entries) => {
                let mut map = vec![("source".to_string(), LangValue::literal(name))];
                for (k, v) in entries {
                    match (k.name.as_str(), v.as_str()) {
                        ("source", _) => {}
                        ("target", Some(t)) => map.push(("target".into(), LangValue::literal(t))),
                        ("uid" | "gid" | "mode", _) => report.dropped(
                            Place::key(cx.file, k),
                            format!("`{}` of a {kind} reference is not imported: stackc refuses it", k.name),
                            format!("Compose bind-mounts a file-sourced {kind} with the file's own owner and mode, whatever the reference says: set them on the file (`chmod 0400 FILE`)"),
                        ),
                        _ => report.dropped(
                            Place::key(cx.file, k),
                            format!("`{}` of a {kind} reference is not imported", k.name),
                            "a reference takes `source` and `target`",
                        ),
                    }
                }
                out.push(LangValue::Map(map));
            }
            _ => out.push(LangValue::Name(name.clone())),
        }
    }
    (!out.is_empty()).then_some(LangValue::List(out))
}

#[cfg(test)]
#[path = "build_tests.rs"]
mod build_tests;

#[cfg(test)]
mod emptied_tests {
    use std::collections::BTreeMap;

    use crate::import::{import, Memory, Request};
    use crate::source::SourceMap;

    #[test]
    fn a_list_whose_entries_are_all_dropped_is_left_out() {
        let compose = "services:\n  web:\n    image: x\n    volumes: ['../out:/data']\n    networks:\n      default:\n        aliases: [db]\n  db:\n    image: y\n";
        let memory: BTreeMap<String, String> =
            [("/w/compose.yaml".to_string(), compose.to_string())].into();
        let inputs = vec!["/w/compose.yaml".to_string()];
        let shown = |p: &str| p.trim_start_matches("/w/").to_string();
        let request = Request {
            files: &inputs,
            root: "/w",
            shown: &shown,
        };
        let out = import(&request, &Memory(memory), &mut SourceMap::new());
        let web = out
            .workspace
            .as_ref()
            .and_then(|w| w.files.iter().find(|(p, _)| p == "components/web.stack"))
            .map(|(_, t)| t.clone())
            .unwrap_or_default();
        assert!(!web.contains("volumes"), "{web}");
        assert!(!web.contains("aliases"), "{web}");
        assert!(web.contains("default = { }"), "{web}");
    }
}
