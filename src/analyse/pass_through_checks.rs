//! The pass-through keys copied as written once their values pass a check:
//! values that would name something global on the Docker host, tie the
//! component to a service outside its files, run several containers of it,
//! or that Compose reserves. Each function is a
//! [`Check`](super::compose_keys::Check).

use super::pass_through_node::{NodeKind, PassNode};
use super::pass_through_refusals::refused;
use super::pass_through_scope::PassScope;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::source::Span;
use crate::syntax::ast::{Ident, ValueKind};

/// The label prefix Compose keeps for its own labels.
const RESERVED_LABEL_PREFIX: &str = "com.docker.compose.";

/// The `blkio_config` lists whose items name a device by `path`.
const BLKIO_DEVICE_LISTS: &[&str] = &[
    "weight_device",
    "device_read_bps",
    "device_read_iops",
    "device_write_bps",
    "device_write_iops",
];

/// Per-network keys that fix an address: a service's `ipv4_address` and
/// `ipv6_address` are checked against the declared networks
/// (`static_addresses`); a hook, a second container, may not take its
/// service's address; `link_local_ips` is not carried.
const FIXED_ADDRESS_KEYS: &[&str] = &["ipv4_address", "ipv6_address", "link_local_ips"];

/// `blkio_config`: every device `path` is an absolute path on the Docker
/// host (Compose passes it to the engine as written).
pub fn blkio_config(_: &Ident, node: &PassNode, _: &PassScope, diagnostics: &mut Diagnostics) {
    for list in BLKIO_DEVICE_LISTS {
        let Some((_, devices)) = node.entry(list) else {
            continue;
        };
        for device in devices.items() {
            let Some((_, path)) = device.entry("path") else {
                continue;
            };
            match path.text() {
                Some(text) if !text.starts_with(['/', '$']) => diagnostics.push(refused(
                    path.span,
                    format!("`blkio_config` device path `{text}` is not an absolute path"),
                    "write the device's path on the Docker host, such as `/dev/sda`",
                )),
                _ => {}
            }
        }
    }
}

/// `credential_spec`: `file` and `registry` pass; `config` needs a
/// top-level `configs:` entry.
pub fn credential_spec(_: &Ident, node: &PassNode, _: &PassScope, diagnostics: &mut Diagnostics) {
    if let Some((key, _)) = node.entry("config") {
        diagnostics.push(refused(
            key.span,
            "`credential_spec.config` needs a top-level `configs:` entry, which stackc does not write",
            "use `credential_spec = { file = \"NAME.json\" }`, a file in the Docker host's CredentialSpecs folder",
        ));
    }
}

/// `deploy`: every sub-key passes but `replicas`, which must be 1.
pub fn deploy(_: &Ident, node: &PassNode, scope: &PassScope, diagnostics: &mut Diagnostics) {
    if let Some((key, replicas)) = node.entry("replicas") {
        one_container("deploy.replicas", key, replicas, scope, diagnostics);
    }
}

/// `scale`: 1, or it is refused.
pub fn scale(key: &Ident, node: &PassNode, scope: &PassScope, diagnostics: &mut Diagnostics) {
    one_container("scale", key, node, scope, diagnostics);
}

/// A count of containers (`scale`, `deploy.replicas`) that must be the
/// literal 1: stackc publishes a component's ports once and waits for one
/// container. A run-time reference could be anything, so it is refused too.
fn one_container(
    what: &str,
    key: &Ident,
    node: &PassNode,
    scope: &PassScope,
    diagnostics: &mut Diagnostics,
) {
    let written = match &node.kind {
        NodeKind::Scalar(value) => match value.kind {
            ValueKind::Integer(1) => return,
            ValueKind::Integer(n) => format!("`{what} = {n}`"),
            _ => return,
        },
        NodeKind::String(literal) if literal.value.trim() == "1" => return,
        NodeKind::String(literal) => format!("`{what} = \"{}\"`", literal.value),
        _ => return,
    };
    let c = scope.component;
    diagnostics.push(
        refused(
            node.span,
            format!("{written} runs several containers of `{c}`; stackc publishes its ports once and waits for one container"),
            "remove it: on one host a component runs one container; for Swarm and Kubernetes environments write `replicas = N` on the component",
        )
        .also(key.span, "set here"),
    );
}

/// `devices`: the host side is a device on the Docker host: an absolute
/// path, a run-time reference, or a CDI name (`vendor.com/class=name`).
pub fn devices(_: &Ident, node: &PassNode, _: &PassScope, diagnostics: &mut Diagnostics) {
    for item in node.items() {
        let host = match &item.kind {
            NodeKind::Map(_) => item.entry("source").map(|(_, source)| source),
            _ => Some(item),
        };
        let Some(host) = host else {
            continue;
        };
        let Some(text) = host.text() else {
            continue;
        };
        if !names_a_device(text) {
            let example = text.rsplit('/').next().unwrap_or(text);
            let example = example.split(':').next().unwrap_or(example);
            diagnostics.push(refused(
                host.span,
                format!("`devices` entry `{text}` does not name a device on the Docker host"),
                format!("write the device's absolute path (`\"/dev/{example}\"`) or a CDI name (`\"vendor.com/device=gpu\"`)"),
            ));
        }
    }
}

/// An absolute path, a run-time reference, a CDI name (a `=` before any
/// `:`), or a Windows device class (`class/GUID`).
fn names_a_device(text: &str) -> bool {
    if text.starts_with(['/', '$']) || text.starts_with("class/") {
        return true;
    }
    match (text.find('='), text.find(':')) {
        (Some(equals), Some(colon)) => equals < colon,
        (Some(_), None) => true,
        _ => false,
    }
}

/// `labels`: no key with the prefix Compose reserves (E0106), in the map
/// form and in the `KEY=VALUE` list form.
pub fn labels(_: &Ident, node: &PassNode, _: &PassScope, diagnostics: &mut Diagnostics) {
    match &node.kind {
        NodeKind::Map(entries) => {
            for (key, _) in entries {
                reserved_label(&key.name, key.span, diagnostics);
            }
        }
        NodeKind::List(items) => {
            for item in items {
                if let Some(text) = item.text() {
                    let name = text.split('=').next().unwrap_or(text);
                    reserved_label(name, item.span, diagnostics);
                }
            }
        }
        _ => {}
    }
}

fn reserved_label(name: &str, span: Span, diagnostics: &mut Diagnostics) {
    if let Some(rest) = name.strip_prefix(RESERVED_LABEL_PREFIX) {
        diagnostics.push(
            Diagnostic::error(
                Code::InvalidName,
                format!("`{name}` is a label Compose reserves for itself"),
            )
            .at(span)
            .with_help(format!("use your own prefix, such as `com.example.{rest}`")),
        );
    }
}

/// `ipc`, `pid` and `uts`: a namespace of the host or the container's own
/// passes; sharing another service's or container's is refused, and so is
/// a run-time reference, which could be either.
pub fn namespace(key: &Ident, node: &PassNode, scope: &PassScope, diagnostics: &mut Diagnostics) {
    let Some(text) = node.text() else {
        return;
    };
    let k = &key.name;
    let c = scope.component;
    let message = if let Some(service) = text.strip_prefix("service:") {
        format!("`{k} = \"{text}\"` shares a namespace with `{service}`, which is not in every file `{c}` is written to")
    } else if text.starts_with("container:") {
        format!("`{k} = \"{text}\"` shares a namespace with a container outside the stack; container names are global on the Docker host")
    } else if text.contains('$') {
        format!("`{k}` is a run-time reference, which could name another service's or container's namespace")
    } else {
        return;
    };
    let allowed = match k.as_str() {
        "ipc" => "`\"private\"`, `\"shareable\"` and `\"host\"` are allowed",
        _ => "`\"host\"` is allowed",
    };
    diagnostics.push(refused(
        node.span,
        message,
        format!("remove it: stackc cannot share namespaces between components ({allowed})"),
    ));
}

/// `network_mode`: only `"none"`, on a component that declares no ports
/// (nothing reaches it); the other modes take the component off the
/// project's network, where HAProxy reaches a routed component's slots
/// (any mode is refused there). A `pre_start` hook runs on its service's
/// networks.
pub fn network_mode(
    key: &Ident,
    node: &PassNode,
    scope: &PassScope,
    diagnostics: &mut Diagnostics,
) {
    let Some(text) = node.text() else {
        return;
    };
    let c = scope.component;
    let (message, help) = if scope.hook {
        (
            format!("`network_mode` cannot be set in a `pre_start` hook: the hook runs on the networks of `{c}`"),
            "remove it".to_string(),
        )
    } else if scope.routed {
        (
            format!("`network_mode` cannot be set on `{c}`, which is routed"),
            format!("remove it: HAProxy reaches the slots of `{c}` on the stack's network by name (`{c}-blue`, `{c}-green`)"),
        )
    } else if text == "none" {
        if !scope.has_ports {
            return;
        }
        (
            format!("`network_mode = \"none\"` cuts `{c}` off the network, but it declares ports"),
            "remove `network_mode`, or the ports".to_string(),
        )
    } else {
        other_network_mode(text, c)
    };
    diagnostics.push(refused(node.span, message, help).also(key.span, "set here"));
}

/// Why a `network_mode` other than `"none"` is refused, and the help.
fn other_network_mode(text: &str, c: &str) -> (String, String) {
    let by_name = "remove it; components reach each other by name";
    if let Some(service) = text.strip_prefix("service:") {
        (
            format!("`network_mode = \"{text}\"` runs `{c}` in the network of `{service}`, which is not in every file `{c}` is written to"),
            format!("{by_name} (`{{{{ {service}.host }}}}`)"),
        )
    } else if text.starts_with("container:") {
        (
            format!("`network_mode = \"{text}\"` runs `{c}` in the network of a container outside the stack; container names are global on the Docker host"),
            by_name.to_string(),
        )
    } else if text.contains('$') {
        (
            "`network_mode` is a run-time reference, which could name the host's or another container's network".to_string(),
            "remove it, or write `network_mode = \"none\"` for a component nothing reaches".to_string(),
        )
    } else if text == "host" {
        (
            format!("`network_mode = \"host\"` puts `{c}` on the host's network: its dependents cannot reach it by name and its ports would collide between stacks"),
            "remove it and publish ports with `ports = { ... }`".to_string(),
        )
    } else if text == "bridge" {
        (
            format!("`network_mode = \"bridge\"` takes `{c}` off the project's network"),
            "remove it: components reach each other on the project's `default` network".to_string(),
        )
    } else {
        (
            format!("`network_mode = \"{text}\"` attaches `{c}` to a network outside the project, which is global on the Docker host"),
            format!("remove it and name the network in `networks = [{text}]`, which stackc declares per project"),
        )
    }
}

/// `networks`: names are declared in each file (so they belong to the
/// project); a service's static addresses are checked once the declared
/// networks are known, a hook's and `link_local_ips` are refused. In a
/// hook, a network must be one the service names too.
pub fn networks(_: &Ident, node: &PassNode, scope: &PassScope, diagnostics: &mut Diagnostics) {
    if scope.hook {
        for (span, name) in named_networks(node) {
            if name != "default" && !scope.service_networks.contains(&name) {
                diagnostics.push(refused(
                    span,
                    format!("the `pre_start` hook names the network `{name}`, which `{}` does not: Compose would not create it", scope.component),
                    format!("name `{name}` in the service's `networks` too, or remove it: the hook runs on the networks of `{}`", scope.component),
                ));
            }
        }
    }
    let NodeKind::Map(entries) = &node.kind else {
        return;
    };
    let c = scope.component;
    for (_, network) in entries {
        for fixed in FIXED_ADDRESS_KEYS {
            let Some((key, _)) = network.entry(fixed) else {
                continue;
            };
            let (message, help) = if scope.hook {
                (
                    format!("`{fixed}` cannot be set in a `pre_start` hook: the hook is a container of its own, beside `{c}`"),
                    "remove it: the hook reaches the network without a fixed address".to_string(),
                )
            } else if *fixed == "link_local_ips" {
                (
                    "`link_local_ips` is not carried into stackc's files".to_string(),
                    format!("remove it: other components reach `{c}` by name (`{{{{ {c}.host }}}}`); a fixed address is `ipv4_address` on a declared `network` with a subnet"),
                )
            } else {
                continue;
            };
            diagnostics.push(refused(key.span, message, help));
        }
    }
}

/// The networks a `networks` value names, where each is written: the
/// items of a list, the keys of a map.
pub fn named_networks<'a>(node: &PassNode<'a>) -> Vec<(Span, &'a str)> {
    match &node.kind {
        NodeKind::Map(entries) => entries
            .iter()
            .map(|(key, _)| (key.span, key.name.as_str()))
            .collect(),
        NodeKind::List(items) => items
            .iter()
            .filter_map(|item| item.text().map(|name| (item.span, name)))
            .collect(),
        _ => Vec::new(),
    }
}
