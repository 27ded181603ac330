//! The `compose { }` pass-through: Compose service keys stackc does not
//! model. Every key is looked up in the table of Compose's service keys
//! ([`compose_keys`](super::compose_keys)), which says whether it is copied,
//! checked, rebased, scoped to the project or refused; a key the table does
//! not know is refused with the closest one it does.

use super::compose_keys::{is_extension, service_key, KeyRule, HOOK_ONLY_KEY, SERVICE_KEYS};
use super::fields::set_twice;
use super::pass_through_checks::named_networks;
use super::pass_through_cross::network_aliases;
use super::pass_through_hooks::hooks;
use super::pass_through_node::PassNode;
use super::pass_through_paths::named_volumes;
use super::pass_through_refusals::refused;
use super::pass_through_scope::PassScope;
use super::pass_through_values::check_values;
use super::static_addresses::{static_addresses, StaticAddress};
use crate::diagnostic::{did_you_mean, Code, Diagnostic, Diagnostics};
use crate::model::PassValue;
use crate::source::Span;
use crate::syntax::ast::{Block, Ident, Item};

/// A component's `compose { }` block, checked.
#[derive(Debug, Clone, Default)]
pub struct PassThrough {
    /// The keys and values in the order written, without those reported.
    pub entries: Vec<(String, PassValue)>,
    /// Where `network_mode = "none"` is set: the component is off every
    /// network, which is checked against its dependents and fixture loaders
    /// once every component is known.
    pub without_network: Option<Span>,
    /// The network aliases the service and its `pre_start` hooks take,
    /// where each is written: checked against the other services' names
    /// once every component is known.
    pub aliases: Vec<(Span, String)>,
    /// The networks the service names (`networks = [backend]`), each with
    /// where it is written, checked against the declared networks once
    /// every network is known.
    pub networks: Vec<(Span, String)>,
    /// The static addresses the service takes on its networks, checked
    /// against the declared networks' subnets once those are known.
    pub addresses: Vec<StaticAddress>,
}

/// A key and its value as written.
type Keyed<'a> = (&'a Ident, PassNode<'a>);

impl PassThrough {
    /// Checks the block of the component `scope` describes.
    pub fn lower(block: &Block, scope: &PassScope, diagnostics: &mut Diagnostics) -> PassThrough {
        let keyed = keyed(block, diagnostics);
        let volumes = names(&keyed, "volumes", named_volumes);
        let networks = names(&keyed, "networks", named_networks);
        let scope = PassScope {
            service_volumes: &volumes,
            service_networks: &networks,
            ..*scope
        };
        PassThrough {
            entries: lower_keys(&keyed, &scope, diagnostics),
            without_network: without_network(&keyed, &scope, diagnostics),
            aliases: network_aliases(&keyed),
            networks: keyed
                .iter()
                .find(|(k, _)| k.name == "networks")
                .map(|(_, node)| {
                    named_networks(node)
                        .into_iter()
                        .map(|(span, name)| (span, name.to_string()))
                        .collect()
                })
                .unwrap_or_default(),
            addresses: static_addresses(&keyed),
        }
    }
}

/// The block's keys and values, as written; an `include` or a labelled
/// block is reported and left out.
fn keyed<'a>(block: &'a Block, diagnostics: &mut Diagnostics) -> Vec<Keyed<'a>> {
    let mut keyed = Vec::new();
    for item in &block.items {
        match item {
            Item::Attribute(attribute) => {
                keyed.push((&attribute.key, PassNode::of_value(&attribute.value)));
            }
            Item::Block(nested) if nested.label.is_none() => {
                keyed.push((&nested.kind, PassNode::of_block(nested, diagnostics)));
            }
            other => diagnostics.push(
                Diagnostic::error(
                    Code::UnknownAttribute,
                    "`compose` holds Compose service keys",
                )
                .at(other.span())
                .with_help("write `key = value`, or `key { ... }` for a nested map"),
            ),
        }
    }
    keyed
}

/// The names (volumes, networks: per `of`) that the value of `key` uses.
fn names<'a>(
    keyed: &[Keyed<'a>],
    key: &str,
    of: fn(&PassNode<'a>) -> Vec<(Span, &'a str)>,
) -> Vec<&'a str> {
    keyed
        .iter()
        .find(|(k, _)| k.name == key)
        .map(|(_, node)| of(node).into_iter().map(|(_, name)| name).collect())
        .unwrap_or_default()
}

/// Where `network_mode = "none"` is set on a component without ports (with
/// ports, the value is reported by its check), when `networks` is not set
/// too (reported here: Compose refuses the pair).
fn without_network(
    keyed: &[Keyed],
    scope: &PassScope,
    diagnostics: &mut Diagnostics,
) -> Option<Span> {
    let (key, node) = keyed.iter().find(|(k, _)| k.name == "network_mode")?;
    if node.text() != Some("none") || scope.has_ports {
        return None;
    }
    if let Some((named, _)) = keyed.iter().find(|(k, _)| k.name == "networks") {
        diagnostics.push(
            refused(
                key.span,
                "`networks` and `network_mode` cannot both be set",
                "remove one of them",
            )
            .also(named.span, "networks named here"),
        );
        return None;
    }
    Some(node.span)
}

/// The keys of a service (or of a hook, per `scope`) that pass, lowered
/// for the Model, in the order written; every other one is reported once.
pub fn lower_keys(
    keyed: &[Keyed],
    scope: &PassScope,
    diagnostics: &mut Diagnostics,
) -> Vec<(String, PassValue)> {
    let mut out: Vec<(String, PassValue)> = Vec::new();
    let mut seen: Vec<(&str, Span)> = Vec::new();
    let mut kept: Vec<(&Ident, &PassNode)> = Vec::new();
    for (key, node) in keyed {
        let name = key.name.as_str();
        let rule = match known_rule(key, scope, diagnostics) {
            Some(KeyRule::Modelled(native)) if !scope.hook => {
                diagnostics.push(collision(key, native));
                continue;
            }
            Some(rule) => rule,
            None => continue,
        };
        if let Some((_, first)) = seen.iter().find(|(k, _)| *k == name) {
            diagnostics.push(set_twice(name, key.span, *first));
            continue;
        }
        seen.push((name, key.span));
        let value = match rule {
            KeyRule::Refused(refusal) => {
                let (message, help) = refusal(node, scope);
                diagnostics.push(refused(key.span, message, help).with_label("refused"));
                continue;
            }
            KeyRule::Hooks => hooks(node, scope, diagnostics),
            KeyRule::Checked(check) | KeyRule::Rebased(check) | KeyRule::Scoped(check) => {
                check(key, node, scope, diagnostics);
                node.lower(diagnostics)
            }
            KeyRule::Modelled(_) | KeyRule::Passed => node.lower(diagnostics),
        };
        if let Some(value) = value {
            out.push((name.to_string(), value));
            kept.push((key, node));
        }
    }
    check_values(&kept, scope.hook, diagnostics);
    out
}

/// The rule of `key` in `scope`; `None`, reported, for a key Compose does
/// not take there. Extension keys (`x-...`) pass.
fn known_rule(key: &Ident, scope: &PassScope, diagnostics: &mut Diagnostics) -> Option<KeyRule> {
    let name = key.name.as_str();
    if is_extension(name) || (scope.hook && name == HOOK_ONLY_KEY) {
        return Some(KeyRule::Passed);
    }
    match service_key(name) {
        Some(known) if known.container || !scope.hook => Some(known.rule),
        _ => {
            diagnostics.push(unknown_key(key, scope));
            None
        }
    }
}

/// E0109 for a key Compose does not take, with the closest one it does.
fn unknown_key(key: &Ident, scope: &PassScope) -> Diagnostic {
    let candidates = SERVICE_KEYS
        .iter()
        .filter(|k| k.container || !scope.hook)
        .map(|k| k.name)
        .chain(scope.hook.then_some(HOOK_ONLY_KEY));
    let help = match did_you_mean(&key.name, candidates) {
        Some(close) => format!("did you mean `{close}`?"),
        None if scope.hook => "a hook takes the container keys of a service, listed in docs/compose.md#every-key; extension keys start with `x-`".to_string(),
        None => "the keys are listed in docs/compose.md#every-key; extension keys start with `x-`".to_string(),
    };
    Diagnostic::error(
        Code::UnknownAttribute,
        format!("`{}` is not a key of {}", key.name, scope.what()),
    )
    .at(key.span)
    .with_label("unknown key")
    .with_help(help)
}

/// E0116 for a key stackc writes itself; `native` is how the spec says it.
fn collision(key: &Ident, native: &str) -> Diagnostic {
    Diagnostic::error(
        Code::PassThroughCollision,
        format!(
            "`{}` is written by stackc; the pass-through cannot set it",
            key.name
        ),
    )
    .at(key.span)
    .with_label("collides with what stackc writes")
    .with_help(format!("use {native} in the component instead"))
}

#[cfg(test)]
mod tests {
    /// The codes of the diagnostics of a workspace whose component `api`
    /// (with a dependency `db`) has the pass-through `compose`.
    fn codes(compose: &str) -> Vec<&'static str> {
        crate::analyse::tests::codes(&format!(
            "stack s {{ }}\ncomponent db {{ }}\ncomponent api {{\n  depends_on = [db]\n  compose {{\n{compose}\n  }}\n}}\n"
        ))
    }

    #[test]
    fn allowed_values_pass() {
        for compose in [
            r#"ipc = "shareable"  pid = "host"  uts = "host""#,
            r#"scale = 1  deploy { replicas = 1  resources { limits { cpus = "0.5" } } }"#,
            r#"scale = "1""#,
            r#"devices = ["/dev/ttyUSB0:/dev/ttyUSB0", "nvidia.com/gpu=all", "${DEVICE}:/dev/x"]"#,
            r#"blkio_config { weight_device = [{ path = "/dev/sda"  weight = 400 }] }"#,
            r#"security_opt = ["seccomp=unconfined", "seccomp:builtin", "seccomp=${PROFILE}", "label=disable"]"#,
            r#"volumes = [{ type = "bind"  source = "conf/app.conf"  target = "/a" }, { type = "image"  source = "redis:7"  target = "/i" }, { type = "npipe"  source = "\\\\.\\pipe\\docker_engine"  target = "/p" }, { type = "tmpfs"  target = "/t" }]"#,
            r#"labels = ["com.example.a=1"]  label_file = "config/app.labels""#,
            r#"credential_spec = { file = "spec.json" }"#,
            r#"networks { backend { aliases = ["x"] } }"#,
            r#"x-anything = { links = ["db"] }"#,
            r#"pre_start = [{ image = "busybox"  environment = { A = "1" }  per_replica = true  x-note = "n" }]"#,
        ] {
            assert_eq!(codes(compose), Vec::<&str>::new(), "{compose}");
        }
    }

    #[test]
    fn both_forms_are_checked_alike() {
        for (attribute, block, code) in [
            (
                "deploy = { replicas = 2 }",
                "deploy { replicas = 2 }",
                "E0119",
            ),
            (
                r#"develop = { watch = [{ path = "../x"  action = "sync" }] }"#,
                r#"develop { watch = [{ path = "../x"  action = "sync" }] }"#,
                "E0003",
            ),
            (
                r#"networks = { backend = { ipv4_address = "10.0.0.2" } }"#,
                r#"networks { backend { ipv4_address = "10.0.0.2" } }"#,
                "E0119",
            ),
            (
                r#"extends = { file = "../x.yml"  service = "b" }"#,
                r#"extends { file = "../x.yml"  service = "b" }"#,
                "E0119",
            ),
        ] {
            assert_eq!(codes(attribute), vec![code], "{attribute}");
            assert_eq!(codes(block), vec![code], "{block}");
        }
    }

    #[test]
    fn a_refused_key_set_twice_is_refused_once() {
        assert_eq!(
            codes("links = [\"db\"]\n links = [\"db\"]"),
            ["E0119", "E0101"]
        );
    }
}
