//! Static addresses: a component's pass-through
//! `networks { backend { ipv4_address = "172.28.0.10" } }` (or
//! `ipv6_address`). Docker gives a container a fixed address only on a
//! network with a subnet it was told, so the network must be a declared
//! `network` with a subnet of the address's family holding it (not the
//! subnet's own address, its IPv4 broadcast address or the gateway); two
//! components may not take one address; a routed component, which runs
//! two slots of one service, takes none; and `docker stack deploy` does not
//! take them (E0127 when an environment runs on Swarm).

use std::net::IpAddr;

use super::component::ComponentDraft;
use super::networks::{host_problem, NetworkDecl};
use super::pass_through_node::{NodeKind, PassNode};
use super::pass_through_refusals::refused;
use crate::diagnostic::{did_you_mean, Code, Diagnostic, Diagnostics};
use crate::model::{Environment, Orchestrator, Subnet};
use crate::source::Span;
use crate::syntax::ast::Ident;

/// The per-network keys that fix an address, each with its family's name.
const KEYS: &[(&str, Family)] = &[("ipv4_address", Family::V4), ("ipv6_address", Family::V6)];

/// An address family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `ipv4_address`.
    V4,
    /// `ipv6_address`.
    V6,
}

impl Family {
    fn name(self) -> &'static str {
        match self {
            Family::V4 => "IPv4",
            Family::V6 => "IPv6",
        }
    }

    fn example(self) -> &'static str {
        match self {
            Family::V4 => "172.28.0.0/16",
            Family::V6 => "fd00:28::/64",
        }
    }

    fn of(address: IpAddr) -> Family {
        if address.is_ipv6() {
            Family::V6
        } else {
            Family::V4
        }
    }
}

/// One static address, as written in a service's `networks` map.
#[derive(Debug, Clone)]
pub struct StaticAddress {
    /// The network's name, and where it is written.
    pub network: String,
    pub network_span: Span,
    /// `ipv4_address` or `ipv6_address`, and where the key is written.
    pub key: &'static str,
    pub key_span: Span,
    pub family: Family,
    /// The value when it is a string (another type is reported by the
    /// schema check), and where it is written.
    pub text: Option<String>,
    pub span: Span,
}

/// The static addresses a service's `networks` map gives (a hook's are
/// refused by the `networks` check).
pub fn static_addresses(keyed: &[(&Ident, PassNode)]) -> Vec<StaticAddress> {
    let mut out = Vec::new();
    for (key, node) in keyed {
        if key.name != "networks" {
            continue;
        }
        let NodeKind::Map(entries) = &node.kind else {
            continue;
        };
        for (network, settings) in entries {
            for (name, family) in KEYS {
                if let Some((key, value)) = settings.entry(name) {
                    out.push(StaticAddress {
                        network: network.name.to_string(),
                        network_span: network.span,
                        key: name,
                        key_span: key.span,
                        family: *family,
                        text: value.text().map(str::to_string),
                        span: value.span,
                    });
                }
            }
        }
    }
    out
}

/// Checks every component's static addresses against the declared
/// `networks` and the `environments`' orchestrators.
pub fn check(
    drafts: &[ComponentDraft],
    networks: &[NetworkDecl],
    environments: &[Environment],
    diagnostics: &mut Diagnostics,
) {
    let swarm = environments
        .iter()
        .find(|e| e.orchestrator == Orchestrator::Swarm);
    // (network, address) → where it is taken, by which component.
    let mut taken: Vec<(&str, IpAddr, Span, &str)> = Vec::new();
    for draft in drafts {
        let component = draft.name.name.as_str();
        for address in &draft.compose.addresses {
            let Some(ip) = check_one(draft, address, networks, swarm, diagnostics) else {
                continue;
            };
            let first = taken
                .iter()
                .find(|(network, taken_ip, _, _)| *network == address.network && *taken_ip == ip);
            if let Some((_, _, span, other)) = first {
                diagnostics.push(
                    Diagnostic::error(
                        Code::Duplicate,
                        format!("`{component}` and `{other}` both take the address `{ip}` on the network `{}`", address.network),
                    )
                    .at(address.span)
                    .with_label(format!("taken by `{component}` here"))
                    .also(*span, format!("taken by `{other}` here"))
                    .with_help("give each component its own address: Docker refuses to start a second container on an address in use"),
                );
                continue;
            }
            taken.push((&address.network, ip, address.span, component));
        }
    }
}

/// The address, when it is one the network can give the component;
/// otherwise reports why not (once).
fn check_one(
    draft: &ComponentDraft,
    address: &StaticAddress,
    networks: &[NetworkDecl],
    swarm: Option<&Environment>,
    diagnostics: &mut Diagnostics,
) -> Option<IpAddr> {
    let component = draft.name.name.as_str();
    let key = address.key;
    let network_name = address.network.as_str();
    if let Some(environment) = swarm {
        diagnostics.push(
            Diagnostic::error(
                Code::OrchestratorCannot,
                format!("`{key}` fixes the address of `{component}`, and environment `{}` runs on Swarm", environment.name),
            )
            .at(address.key_span)
            .with_label("`docker stack deploy` gives a service's tasks no fixed address")
            .with_help(format!("remove it: other components reach `{component}` by name (`{{{{ {component}.host }}}}`), which Swarm resolves to the service's virtual IP")),
        );
        return None;
    }
    if !draft.routes.is_empty() {
        diagnostics.push(refused(
            address.key_span,
            format!("`{key}` fixes the address of `{component}`, which is routed: its blue and green slots would both take it"),
            format!("remove it: HAProxy reaches the slots by name, and so do other components (`{{{{ {component}.host }}}}`)"),
        ));
        return None;
    }
    let family = address.family;
    let suggested = suggested_settings(address);
    let Some(network) = networks.iter().find(|n| n.name.name == network_name) else {
        let close = did_you_mean(network_name, networks.iter().map(|n| n.name.name.as_str()));
        let help = match close {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!(
                "declare the network with a subnet that holds the address at the top level, `network {network_name} {{ {suggested} }}`, or remove `{key}`: other components reach `{component}` by name (`{{{{ {component}.host }}}}`)"
            ),
        };
        diagnostics.push(
            refused(
                address.key_span,
                format!("`{key}` needs a network with a subnet, and `{network_name}` is not a declared network"),
                help,
            )
            .also(address.network_span, "on this network"),
        );
        return None;
    };
    if network.invalid {
        return None;
    }
    let subnet = match network.model.subnet {
        Some(subnet) if Family::of(subnet.address) == family => subnet,
        Some(subnet) => {
            diagnostics.push(
                refused(
                    address.key_span,
                    format!("`{key}` needs an {} subnet, and the subnet of `{network_name}` is `{subnet}`", family.name()),
                    format!("use `{}` for an address in `{subnet}`", other_key(family)),
                )
                .also(network.subnet_span.unwrap_or(network.name.span), "the network's subnet"),
            );
            return None;
        }
        None => {
            let (why, help) = if network.model.external {
                (
                    format!("`{network_name}` is an external network, whose subnet stackc does not know"),
                    format!("remove `{key}`: other components reach `{component}` by name (`{{{{ {component}.host }}}}`); or fix addresses on a network of the stack's own, declared with a `subnet`"),
                )
            } else {
                (
                    format!("the network `{network_name}` is declared without a subnet"),
                    format!("add `{suggested}` to `network {network_name}`, a pool that holds the address; or remove `{key}`: other components reach `{component}` by name (`{{{{ {component}.host }}}}`)"),
                )
            };
            diagnostics.push(
                refused(
                    address.key_span,
                    format!("`{key}` needs a network with a subnet: {why}"),
                    help,
                )
                .also(network.name.span, "declared here"),
            );
            return None;
        }
    };
    let text = address.text.as_deref()?;
    let parsed = text
        .parse::<IpAddr>()
        .ok()
        .filter(|ip| Family::of(*ip) == family);
    let Some(ip) = parsed else {
        let why = if text.contains('$') {
            "a run-time reference, which stackc cannot check against the subnet".to_string()
        } else {
            format!("not an {} address", family.name())
        };
        diagnostics.push(
            Diagnostic::error(Code::OutOfRange, format!("`{key} = \"{text}\"` is {why}"))
                .at(address.span)
                .with_help(format!(
                    "write an address in the subnet `{subnet}` of `{network_name}`"
                )),
        );
        return None;
    };
    let gateway = network.model.effective_gateway();
    let subnet_span = network.subnet_span.unwrap_or(network.name.span);
    // The problem, and the line to show beside the address: the gateway's
    // when the address is the gateway, else the subnet's.
    let problem = match host_problem(ip, subnet) {
        Some(problem) => Some((problem, subnet_span, "the network's subnet".to_string())),
        None if gateway == Some(ip) => Some(match network.gateway_span() {
            Some(span) if network.model.gateway.is_some() => (
                format!("is the gateway of `{network_name}`"),
                span,
                "the network's gateway".to_string(),
            ),
            _ => (
                format!("is the gateway of `{network_name}`: Docker's default gateway, the subnet's first address, when no `gateway` is written"),
                subnet_span,
                format!("the network's subnet, whose first address `{ip}` Docker gives the gateway"),
            ),
        }),
        None => None,
    };
    if let Some((problem, span, label)) = problem {
        let suggested = if gateway == Some(subnet.nth(1)) {
            subnet.nth(2)
        } else {
            subnet.nth(1)
        };
        diagnostics.push(
            Diagnostic::error(Code::OutOfRange, format!("the address `{ip}` {problem}"))
                .at(address.span)
                .also(span, label)
                .with_help(format!(
                    "write another address in `{subnet}`, such as `\"{suggested}\"`"
                )),
        );
        return None;
    }
    Some(ip)
}

/// The settings to suggest for a network that has no subnet: the
/// address's /24 (IPv4) or /64 (IPv6), widened while the address would be
/// the subnet's own or its broadcast address, with a `gateway` elsewhere
/// when the address is the subnet's first, Docker's default gateway; the
/// family's example when the address is not one.
fn suggested_settings(address: &StaticAddress) -> String {
    let example = || format!("subnet = \"{}\"", address.family.example());
    let ip = address
        .text
        .as_deref()
        .and_then(|text| text.parse::<IpAddr>().ok())
        .filter(|ip| Family::of(*ip) == address.family);
    let Some(ip) = ip else {
        return example();
    };
    let prefixes: &[u8] = match address.family {
        Family::V4 => &[24, 16, 8],
        Family::V6 => &[64, 48],
    };
    let Some(subnet) = prefixes
        .iter()
        .filter_map(|prefix| Subnet::containing(ip, *prefix))
        .find(|subnet| host_problem(ip, *subnet).is_none())
    else {
        return example();
    };
    if subnet.first_host() != ip {
        return format!("subnet = \"{subnet}\"");
    }
    let gateway = match address.family {
        // The last host address: the broadcast address's neighbour.
        Family::V4 => subnet.nth((1u128 << (32 - u32::from(subnet.prefix))) - 2),
        Family::V6 => subnet.nth(2),
    };
    format!("subnet = \"{subnet}\"  gateway = \"{gateway}\"")
}

fn other_key(family: Family) -> &'static str {
    match family {
        Family::V4 => "ipv6_address",
        Family::V6 => "ipv4_address",
    }
}

#[cfg(test)]
mod tests {
    /// The error codes of a workspace with the declared networks
    /// `networks` and a component `db` whose pass-through is `compose`,
    /// beside `extra` (a network some test leaves unused is warned about).
    fn codes(networks: &str, compose: &str, extra: &str) -> Vec<&'static str> {
        let mut codes = crate::analyse::tests::codes(&format!(
            "stack s {{ }}\n{networks}\ncomponent db {{\n  compose {{\n{compose}\n  }}\n}}\n{extra}\n"
        ));
        codes.retain(|code| *code != "W0003");
        codes
    }

    const BOTH: &str = r#"network backend { subnet = "172.28.0.0/16"  gateway = "172.28.0.254"  ip_range = "172.28.5.0/24" }
network v6 { subnet = "fd00:28::/64" }"#;

    #[test]
    fn addresses_in_the_subnets_pass() {
        for compose in [
            r#"networks { backend { ipv4_address = "172.28.0.1" } }"#,
            r#"networks { backend { ipv4_address = "172.28.5.9"  aliases = ["x"] } v6 { ipv6_address = "fd00:28::10" } }"#,
            r#"networks = { backend = { ipv4_address = "172.28.255.254" } }"#,
        ] {
            assert_eq!(codes(BOTH, compose, ""), Vec::<&str>::new(), "{compose}");
        }
    }

    #[test]
    fn addresses_a_network_cannot_give_are_refused() {
        for (compose, code) in [
            // The subnet's own address, its broadcast address, the gateway.
            (
                r#"networks { backend { ipv4_address = "172.28.0.0" } }"#,
                "E0108",
            ),
            (
                r#"networks { backend { ipv4_address = "172.28.255.255" } }"#,
                "E0108",
            ),
            (
                r#"networks { backend { ipv4_address = "172.28.0.254" } }"#,
                "E0108",
            ),
            (
                r#"networks { backend { ipv4_address = "${DB_IP}" } }"#,
                "E0108",
            ),
            (
                r#"networks { backend { ipv6_address = "fd00:28::10" } }"#,
                "E0119",
            ),
            (
                r#"networks { v6 { ipv4_address = "172.28.0.10" } }"#,
                "E0119",
            ),
            (
                r#"networks { backend { link_local_ips = ["169.254.0.5"] } }"#,
                "E0119",
            ),
            (
                r#"networks = [backend]  pre_start = [{ image = "busybox"  networks = { backend = { ipv4_address = "172.28.0.9" } } }]"#,
                "E0119",
            ),
        ] {
            assert_eq!(codes(BOTH, compose, ""), vec![code], "{compose}");
        }
    }

    #[test]
    fn a_routed_component_takes_no_address() {
        let compose = r#"networks { backend { ipv4_address = "172.28.0.10" } } }
  ports = { http = 8080 }  health { http = "/health" }
  route r { host = "db.example" "#;
        assert_eq!(codes(BOTH, compose, ""), vec!["E0119"]);
    }

    #[test]
    fn one_address_per_network_and_component() {
        let twice = r#"component cache { compose { networks { backend { ipv4_address = "172.28.0.10" } } } }"#;
        let compose = r#"networks { backend { ipv4_address = "172.28.0.10" } }"#;
        assert_eq!(codes(BOTH, compose, twice), vec!["E0101"]);
        let elsewhere = r#"network other { subnet = "172.28.0.0/16" }
component cache { compose { networks { other { ipv4_address = "172.28.0.10" } } } }"#;
        assert_eq!(codes(BOTH, compose, elsewhere), Vec::<&str>::new());
    }
}
