//! `network NAME { }` blocks: networks declared with settings (Compose's
//! top-level `networks:` entries), and what they mean where the stack runs.
//!
//! - A network's settings are Compose's: `driver`, `internal`, `external`,
//!   and one IPAM pool, `subnet` (CIDR, IPv4 or IPv6) with `gateway` and
//!   `ip_range` inside it. An IPv6 subnet makes the network IPv6-enabled
//!   (Docker 20.10 keeps IPv6 off on a network with an IPv6 pool and no
//!   `--ipv6`: containers would get no IPv6 address).
//! - `external = true` is a network created outside the stack, looked up by
//!   its name; the Compose specification takes no other setting beside it
//!   (Compose v5.6.1's `config` passes one on, unused).
//! - `default` is the network Compose gives every project, and `host` and
//!   `none` are Docker's own, which no container joins beside another
//!   network: none of them is declared here.
//! - A declared network no component names has no effect (W0003); nor
//!   does any in a Kubernetes environment (its manifests carry no network).
//!   A Swarm stack file (format 3.8) takes `subnet`, `internal` and
//!   `external`; its networks are overlay networks, and it has no place
//!   for `gateway`, `ip_range` or IPv6 (W0003 on each).

use std::net::IpAddr;

use super::component::ComponentDraft;
use super::fields::{defined_twice, expect_boolean, Fields, Schema};
use super::labels;
use crate::diagnostic::{did_you_mean, Code, Diagnostic, Diagnostics};
use crate::model::{Environment, Network, Orchestrator, Subnet};
use crate::source::Span;
use crate::syntax::ast::{Block, Ident, Item, StringLit};

const NETWORK: Schema = Schema {
    what: "a network",
    attributes: &[
        "driver", "internal", "external", "subnet", "gateway", "ip_range",
    ],
    blocks: &[],
};

/// Names no `network` block may take: Compose's project network and
/// Docker's networks that a container joins alone.
const RESERVED: &[(&str, &str)] = &[
    ("default", "`default` is the network Compose gives every project, and stackc puts every service on it"),
    ("host", "`host` is Docker's host network, which a container cannot join beside the project's network"),
    ("none", "`none` is Docker's network without a connection, which a container cannot join beside the project's network"),
];

/// A checked `network` block, with the spans later rules point at.
pub struct NetworkDecl<'a> {
    pub name: &'a Ident,
    pub model: Network,
    /// Where `subnet` is written, when it is valid.
    pub subnet_span: Option<Span>,
    /// A setting had an error (reported): static addresses on the network
    /// are not checked against it.
    pub invalid: bool,
    spans: NetworkSpans,
}

/// Where each setting Swarm may not take is written.
#[derive(Default)]
struct NetworkSpans {
    driver: Option<Span>,
    gateway: Option<Span>,
    ip_range: Option<Span>,
}

/// Every declared network, sorted by name; a name declared twice keeps the
/// first, and is reported.
pub fn networks<'a>(blocks: &[&'a Block], diagnostics: &mut Diagnostics) -> Vec<NetworkDecl<'a>> {
    let mut out: Vec<NetworkDecl> = Vec::new();
    for block in blocks {
        let Some(name) = labels::required(block, "network NAME { }", diagnostics) else {
            continue;
        };
        if let Some((_, why)) = RESERVED.iter().find(|(n, _)| *n == name.name) {
            diagnostics.push(
                Diagnostic::error(Code::InvalidName, format!("a network cannot be named `{}`", name.name))
                    .at(name.span)
                    .with_label("reserved")
                    .with_help(format!("{why}: choose another name, and list it in the components' `compose {{ networks = [NAME] }}`")),
            );
            continue;
        }
        if let Some(first) = out.iter().find(|n| n.name.name == name.name) {
            diagnostics.push(
                defined_twice(
                    format!("network `{}` is defined twice", name.name),
                    name.span,
                    Some(first.name.span),
                )
                .with_help("merge the two `network` blocks"),
            );
            continue;
        }
        out.push(network(name, block, diagnostics));
    }
    out.sort_by(|a, b| a.name.name.cmp(&b.name.name));
    out
}

fn network<'a>(
    name: &'a Ident,
    block: &'a Block,
    diagnostics: &mut Diagnostics,
) -> NetworkDecl<'a> {
    let fields = Fields::read(&block.items, block.span(), &NETWORK, diagnostics);
    let before = diagnostics.error_count();
    let boolean = |key: &str, diagnostics: &mut Diagnostics| {
        fields
            .value(key, diagnostics)
            .and_then(|v| expect_boolean(v, diagnostics))
            .unwrap_or(false)
    };
    let internal = boolean("internal", diagnostics);
    let external = boolean("external", diagnostics);
    let mut spans = NetworkSpans::default();
    let mut model = Network {
        name: name.name.to_string(),
        driver: None,
        internal,
        external,
        subnet: None,
        gateway: None,
        ip_range: None,
    };
    let mut subnet_span = None;
    if external {
        external_alone(block, diagnostics);
    } else {
        if let Some(literal) = fields.string("driver", diagnostics) {
            spans.driver = Some(literal.span);
            model.driver = driver(literal, diagnostics);
        }
        if let Some(literal) = fields.string("subnet", diagnostics) {
            model.subnet = cidr(literal, "subnet", diagnostics);
            subnet_span = model.subnet.map(|_| literal.span);
        }
        let needs_subnet = |key: &str, diagnostics: &mut Diagnostics| {
            let attribute = fields.attribute(key)?;
            if fields.attribute("subnet").is_none() {
                diagnostics.push(
                    Diagnostic::error(Code::MissingAttribute, format!("`{key}` needs a `subnet`"))
                        .at(attribute.key.span)
                        .with_help(format!("add `subnet = \"172.28.0.0/16\"` to network `{}`, a pool that holds the `{key}`", name.name)),
                );
                return None;
            }
            fields.string(key, diagnostics)
        };
        if let Some(literal) = needs_subnet("gateway", diagnostics) {
            spans.gateway = Some(literal.span);
            model.gateway = model
                .subnet
                .and_then(|subnet| gateway(literal, subnet, diagnostics));
        }
        if let Some(literal) = needs_subnet("ip_range", diagnostics) {
            spans.ip_range = Some(literal.span);
            model.ip_range = model
                .subnet
                .and_then(|subnet| ip_range(literal, subnet, diagnostics));
        }
    }
    NetworkDecl {
        name,
        model,
        subnet_span,
        invalid: diagnostics.error_count() > before || fields.has_unknown(),
        spans,
    }
}

impl NetworkDecl<'_> {
    /// Where `gateway` is written.
    pub fn gateway_span(&self) -> Option<Span> {
        self.spans.gateway
    }
}

/// E0109 for each setting beside `external = true`.
fn external_alone(block: &Block, diagnostics: &mut Diagnostics) {
    for item in &block.items {
        let Item::Attribute(attribute) = item else {
            continue;
        };
        let key = attribute.key.name.as_str();
        if key == "external" || !NETWORK.attributes.contains(&key) {
            continue;
        }
        diagnostics.push(
            Diagnostic::error(Code::UnknownAttribute, format!("`{key}` cannot be set on an external network"))
                .at(attribute.key.span)
                .with_label("the network is created outside the stack, with its own settings")
                .with_help("remove it: the network keeps the settings it was created with (`docker network create`), and the Compose specification takes no other setting beside `external: true`; or remove `external` and let each project create the network"),
        );
    }
}

/// A driver's name: not blank, no white space and no `$` (Compose would
/// read it as a reference).
fn driver(literal: &StringLit, diagnostics: &mut Diagnostics) -> Option<String> {
    let value = literal.value.as_str();
    if value.is_empty() || value.contains(|c: char| c.is_whitespace() || c == '$') {
        diagnostics.push(
            Diagnostic::error(
                Code::OutOfRange,
                format!("`{value}` is not a network driver's name"),
            )
            .at(literal.span)
            .with_help(
                "write a driver's name, such as `\"bridge\"` (Docker's default) or `\"macvlan\"`",
            ),
        );
        return None;
    }
    Some(value.to_string())
}

/// `ADDRESS/PREFIX` with the host bits zero, as Docker takes it.
fn cidr(literal: &StringLit, key: &str, diagnostics: &mut Diagnostics) -> Option<Subnet> {
    let value = literal.value.as_str();
    let parsed = value.split_once('/').and_then(|(address, prefix)| {
        let address: IpAddr = address.parse().ok()?;
        let digits =
            !prefix.is_empty() && prefix.len() <= 3 && prefix.bytes().all(|b| b.is_ascii_digit());
        let prefix: u8 = prefix.parse().ok().filter(|_| digits)?;
        Some((address, Subnet::containing(address, prefix)?))
    });
    let Some((address, subnet)) = parsed else {
        // An address without its prefix: suggest the usual one, when the
        // address starts such a network.
        let suggested = value.parse::<IpAddr>().ok().and_then(|address| {
            let prefix = if address.is_ipv6() { 64 } else { 24 };
            Subnet::containing(address, prefix).filter(|s| s.address == address)
        });
        let help = match suggested {
            Some(subnet) => format!("add `/` and the prefix length (how many leading bits name the network): `{key} = \"{subnet}\"`"),
            None => format!("write `{key} = \"172.28.0.0/16\"` (IPv4) or `\"fd00:28::/64\"` (IPv6): an address, `/` and the prefix length"),
        };
        diagnostics.push(
            Diagnostic::error(
                Code::OutOfRange,
                format!("`{value}` is not a network in CIDR notation"),
            )
            .at(literal.span)
            .with_help(help),
        );
        return None;
    };
    if address != subnet.address {
        diagnostics.push(
            Diagnostic::error(
                Code::OutOfRange,
                format!("`{value}` has bits set after its prefix"),
            )
            .at(literal.span)
            .with_label("a pool is written from its network's own address; the bits after the prefix must be zero")
            .with_help(format!("write `{subnet}`")),
        );
        return None;
    }
    Some(subnet)
}

/// An address in `subnet`, neither its own address nor (IPv4) its broadcast one.
fn gateway(literal: &StringLit, subnet: Subnet, diagnostics: &mut Diagnostics) -> Option<IpAddr> {
    let value = literal.value.as_str();
    let Ok(address) = value.parse::<IpAddr>() else {
        diagnostics.push(
            Diagnostic::error(Code::OutOfRange, format!("`{value}` is not an IP address"))
                .at(literal.span)
                .with_help(format!(
                    "write an address in `{subnet}`, such as `\"{}\"`",
                    subnet.first_host()
                )),
        );
        return None;
    };
    if let Some(problem) = host_problem(address, subnet) {
        diagnostics.push(
            Diagnostic::error(Code::OutOfRange, format!("the gateway `{value}` {problem}"))
                .at(literal.span)
                .with_help(format!(
                    "write an address in `{subnet}`, such as `\"{}\"`",
                    subnet.first_host()
                )),
        );
        return None;
    }
    Some(address)
}

/// A CIDR range inside `subnet`.
fn ip_range(literal: &StringLit, subnet: Subnet, diagnostics: &mut Diagnostics) -> Option<Subnet> {
    let range = cidr(literal, "ip_range", diagnostics)?;
    if !subnet.covers(&range) {
        diagnostics.push(
            Diagnostic::error(
                Code::OutOfRange,
                format!("the range `{range}` is not inside the subnet `{subnet}`"),
            )
            .at(literal.span)
            .with_help(format!(
                "write a range inside `{subnet}` (a longer prefix), or widen the subnet"
            )),
        );
        return None;
    }
    Some(range)
}

/// Why `address` cannot be a host of `subnet`: outside it, its network
/// address, or (IPv4) its broadcast address. `None` when it can be.
pub fn host_problem(address: IpAddr, subnet: Subnet) -> Option<String> {
    if !subnet.contains(address) {
        Some(format!("is not in the subnet `{subnet}`"))
    } else if address == subnet.address {
        Some(format!("is the address of the subnet `{subnet}` itself"))
    } else if !subnet.is_ipv6() && address == subnet.last() {
        Some(format!("is the broadcast address of the subnet `{subnet}`"))
    } else {
        None
    }
}

/// W0003 for a declared network no component names, for one in a
/// Kubernetes environment, and for what a Swarm stack file cannot take.
pub fn check_use(
    networks: &[NetworkDecl],
    drafts: &[ComponentDraft],
    environments: &[Environment],
    diagnostics: &mut Diagnostics,
) {
    let mut named: Vec<&str> = drafts
        .iter()
        .flat_map(|d| d.compose.networks.iter().map(|(_, n)| n.as_str()))
        .collect();
    named.extend(misspelt(networks, drafts, diagnostics));
    let kubernetes = environments
        .iter()
        .find(|e| e.orchestrator == Orchestrator::Kubernetes);
    let swarm = environments
        .iter()
        .find(|e| e.orchestrator == Orchestrator::Swarm);
    for network in networks {
        let name = network.name.name.as_str();
        if !named.contains(&name) {
            diagnostics.push(
                Diagnostic::warning(Code::NoEffect, format!("no component uses the network `{name}`"))
                    .at(network.name.span)
                    .with_label("declared here, named in no component's `compose { networks }`")
                    .with_help(format!("name it in the components that should share it, `compose {{ networks = [{name}] }}`, or remove it")),
            );
            continue;
        }
        if let Some(environment) = kubernetes {
            diagnostics.push(
                Diagnostic::warning(
                    Code::NoEffect,
                    format!(
                        "environment `{}` runs on Kubernetes, whose manifests carry no network",
                        environment.name
                    ),
                )
                .at(network.name.span)
                .with_label(
                    "Compose and Swarm declare it; on Kubernetes every pod reaches every Service",
                )
                .with_help("limit traffic with your cluster's NetworkPolicy objects"),
            );
        }
        if let Some(environment) = swarm {
            swarm_settings(network, &environment.name, diagnostics);
        }
    }
}

/// W0003 for a network a component names that is not declared, when its
/// name is close to a declared one's (`networks = [backedn]` beside
/// `network backend`, a few edits apart): Compose would create a second network with its
/// defaults, and the component would not join the declared one. Not when
/// the component takes a static address on it (E0119 says so). Returns
/// the declared networks so meant, which are not also reported unused.
fn misspelt<'a>(
    networks: &[NetworkDecl<'a>],
    drafts: &[ComponentDraft],
    diagnostics: &mut Diagnostics,
) -> Vec<&'a str> {
    let mut meant = Vec::new();
    if networks.is_empty() {
        return meant;
    }
    let declared: Vec<&'a str> = networks.iter().map(|n| n.name.name.as_str()).collect();
    for draft in drafts {
        for (span, name) in &draft.compose.networks {
            if declared.contains(&name.as_str()) || name == "default" {
                continue;
            }
            // Within a few edits only: an undeclared network is legitimate
            // (Compose's defaults), so a loose likeness is not a warning.
            let Some(close) = did_you_mean(name, declared.iter().copied()).filter(|close| {
                strsim::damerau_levenshtein(name, close) <= (name.len() / 3).max(1)
            }) else {
                continue;
            };
            let Some(decl) = networks.iter().find(|n| n.name.name == close) else {
                continue;
            };
            meant.push(decl.name.name.as_str());
            if draft.compose.addresses.iter().any(|a| a.network == *name) {
                continue;
            }
            diagnostics.push(
                Diagnostic::warning(
                    Code::NoEffect,
                    format!("`{name}` is not a declared network: Compose creates it with its defaults, and `{}` does not join `{close}`", draft.name.name),
                )
                .at(*span)
                .with_label("not declared")
                .also(decl.name.span, "a declared network with a close name")
                .with_help(format!("did you mean `{close}`? To mean a network of its own, declare it: `network {name} {{ }}`")),
            );
        }
    }
    meant
}

/// W0003 on each setting of `network` that the Swarm stack file of
/// `environment` leaves out.
fn swarm_settings(network: &NetworkDecl, environment: &str, diagnostics: &mut Diagnostics) {
    let model = &network.model;
    let mut dropped: Vec<(Span, String)> = Vec::new();
    if let (Some(span), Some(driver)) = (network.spans.driver, &model.driver) {
        if driver != "overlay" {
            dropped.push((
                span,
                format!("`driver = \"{driver}\"`: a stack's networks are overlay networks"),
            ));
        }
    }
    if let (Some(span), Some(subnet)) = (network.subnet_span, model.subnet) {
        if subnet.is_ipv6() {
            dropped.push((
                span,
                "an IPv6 `subnet`: the Compose file format 3.8 cannot enable IPv6 on a network"
                    .to_string(),
            ));
        }
    }
    if let Some(span) = network.spans.gateway.filter(|_| model.gateway.is_some()) {
        dropped.push((
            span,
            "`gateway`: the Compose file format 3.8 takes only a `subnet`".to_string(),
        ));
    }
    if let Some(span) = network.spans.ip_range.filter(|_| model.ip_range.is_some()) {
        dropped.push((
            span,
            "`ip_range`: the Compose file format 3.8 takes only a `subnet`".to_string(),
        ));
    }
    for (span, what) in dropped {
        diagnostics.push(
            Diagnostic::warning(
                Code::NoEffect,
                format!(
                    "environment `{environment}` runs on Swarm, whose stack file leaves out {what}"
                ),
            )
            .at(span)
            .with_label("written in the Compose files only")
            .with_help("keep it for the Compose environments and test stacks, or remove it"),
        );
    }
}
