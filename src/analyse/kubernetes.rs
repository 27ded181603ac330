//! What a Kubernetes environment cannot take from a spec that one Docker
//! host can (E0127), checked only when some environment has `orchestrator
//! = kubernetes`; and what it ignores (W0003).
//!
//! - A component's name names its objects, its container and, when it has
//!   ports, its Services: Kubernetes wants a DNS label (lowercase letters,
//!   digits and `-`, ending with a letter or digit), and the Services a
//!   Rollout adds
//!   (`NAME-stable`, `NAME-canary`, `NAME-preview`) are at most 63 bytes.
//! - The stack's name is the value of the label `app.kubernetes.io/part-of`,
//!   which ends with a letter or digit.
//! - A port's name names a container port: an IANA service name, at most 15
//!   characters of lowercase letters, digits and `-`, with a letter, no
//!   `-` at either end nor two in a row; a port served on TCP and UDP has a
//!   second entry, `NAME-udp`, held to the same rules and named by no
//!   other port.
//! - A route's host is an Ingress rule's host, which may not be an IP address.
//! - A `blue_green` component's Rollout judges the new version once all the
//!   traffic is on it: no stable version serves beside it, so a tolerance
//!   relative to the stable version (`stable + ...`) has nothing to compare to.
//! - A `recreate` component runs as a Deployment: its `kpi` is not judged
//!   (W0003).

use std::net::IpAddr;

use super::cluster::first_kubernetes;
use super::component::ComponentDraft;
use super::names::is_valid_name;
use super::ports::DeclaredPort;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{Environment, Protocol, Strategy, Workload};
use crate::syntax::ast::{Block, Ident, Item, ValueKind};

/// The longest name Kubernetes takes for a Service or a label value.
const DNS_LABEL_MAX: usize = 63;
/// The longest port name (an IANA service name).
const PORT_NAME_MAX: usize = 15;

/// Every rule of the module, when some environment runs on Kubernetes.
/// `stack` is the `stack` block's name, when it has one.
pub fn check(
    stack: Option<&Ident>,
    drafts: &[ComponentDraft],
    environments: &[Environment],
    diagnostics: &mut Diagnostics,
) {
    let Some(environment) = first_kubernetes(environments) else {
        return;
    };
    let environment = environment.name.as_str();
    if let Some(stack) = stack {
        check_stack_name(stack, environment, diagnostics);
    }
    for draft in drafts {
        let workload = Workload::of(&draft.routes, draft.deploy.as_ref(), draft.kpi.as_ref());
        check_component_name(draft, workload, environment, diagnostics);
        for port in &draft.ports.ports {
            // A name Compose refuses is reported already (E0106).
            let name = &port.port.name;
            if let Some(problem) = port_name_problem(name).filter(|_| is_valid_name(name)) {
                diagnostics.push(cannot(
                    format!("the port name `{}` is not one Kubernetes takes", port.port.name),
                    port.name_span,
                    problem,
                    environment,
                    "a port name names a container port and a Service port: at most 15 lowercase letters, digits and `-`, with a letter, such as `http` or `admin-api`",
                ));
            } else if is_valid_name(name) {
                check_udp_entry(draft, port, environment, diagnostics);
            }
        }
        check_volumes(draft.block, environment, diagnostics);
        for route in blocks(draft.block, "route") {
            check_route_host(route, environment, diagnostics);
        }
        check_kpi(draft, workload, environment, diagnostics);
    }
}

/// E0127 at `span`: `message`, labelled with `label`, naming `environment`.
fn cannot(
    message: String,
    span: crate::source::Span,
    label: String,
    environment: &str,
    help: &str,
) -> Diagnostic {
    Diagnostic::error(
        Code::OrchestratorCannot,
        format!("{message}, and environment `{environment}` runs on Kubernetes"),
    )
    .at(span)
    .with_label(label)
    .with_help(help)
}

/// The stack's name as a label value. A name Compose refuses is reported
/// already (E0106).
fn check_stack_name(stack: &Ident, environment: &str, diagnostics: &mut Diagnostics) {
    let last = stack.name.chars().last();
    if let (Some(last @ ('-' | '_')), true) = (last, is_valid_name(&stack.name)) {
        diagnostics.push(cannot(
            format!("the stack name `{}` ends with `{last}`", stack.name),
            stack.span,
            "the value of the label `app.kubernetes.io/part-of` ends with a letter or digit"
                .to_string(),
            environment,
            "end the stack's name with a letter or digit",
        ));
    }
}

/// The component's name as its objects', container's and Services' name.
/// A name Compose refuses is reported already (E0106).
fn check_component_name(
    draft: &ComponentDraft,
    workload: Workload,
    environment: &str,
    diagnostics: &mut Diagnostics,
) {
    let name = &draft.name.name;
    if !is_valid_name(name) {
        return;
    }
    let problem = if name.contains('_') {
        Some("Kubernetes names hold no `_`".to_string())
    } else if name.ends_with('-') {
        Some("a Kubernetes name ends with a letter or digit".to_string())
    } else {
        let longest = workload
            .service_suffixes()
            .iter()
            .map(|suffix| format!("{name}-{suffix}"))
            .find(|service| service.len() > DNS_LABEL_MAX);
        longest.map(|service| {
            format!("its Rollout needs the Service `{service}`, longer than {DNS_LABEL_MAX} bytes")
        })
    };
    if let Some(problem) = problem {
        diagnostics.push(cannot(
            format!("the component name `{name}` is not one Kubernetes takes"),
            draft.name.span,
            problem,
            environment,
            "a component's name names its Kubernetes objects: lowercase letters, digits and `-`, ending with a letter or digit (at most 56 bytes for a canary Rollout, 55 for a blue-green one)",
        ));
    }
}

/// A port served on TCP and UDP has two named entries, `NAME` and
/// `NAME-udp`: the second must be a port name too, and no other port's.
fn check_udp_entry(
    draft: &ComponentDraft,
    port: &DeclaredPort,
    environment: &str,
    diagnostics: &mut Diagnostics,
) {
    if !(port.port.serves_tcp() && port.port.serves_udp()) {
        return;
    }
    let udp = port.port.entry_name(Protocol::Udp);
    if udp.len() > PORT_NAME_MAX {
        diagnostics.push(cannot(
            format!(
                "port `{}` is served on TCP and UDP, and its UDP entry `{udp}` is longer than {PORT_NAME_MAX} characters",
                port.port.name
            ),
            port.name_span,
            format!("the UDP entry is `{udp}`"),
            environment,
            "Kubernetes names a port's TCP entry `NAME` and its UDP entry `NAME-udp`: shorten the name to at most 11 characters",
        ));
    } else if let Some(other) = draft.ports.ports.iter().find(|p| p.port.name == udp) {
        diagnostics.push(
            cannot(
                format!(
                    "port `{}` is served on TCP and UDP, and its UDP entry `{udp}` takes the name of another port",
                    port.port.name
                ),
                port.name_span,
                format!("the UDP entry is `{udp}`"),
                environment,
                "Kubernetes names a port's TCP entry `NAME` and its UDP entry `NAME-udp`: rename one of the two ports",
            )
            .also(other.name_span, "the other port"),
        );
    }
}

/// What is wrong with `name` as a Kubernetes port name, if anything.
fn port_name_problem(name: &str) -> Option<String> {
    if name.len() > PORT_NAME_MAX {
        return Some(format!("longer than {PORT_NAME_MAX} characters"));
    }
    if name.contains('_') {
        return Some("`_` is not allowed".to_string());
    }
    if !name.bytes().any(|b| b.is_ascii_lowercase()) {
        return Some("it needs a letter".to_string());
    }
    if name.starts_with('-') || name.ends_with('-') || name.contains("--") {
        return Some("no `-` at either end nor two in a row".to_string());
    }
    None
}

/// A route's host may not be an IP address in an Ingress rule.
fn check_route_host(route: &Block, environment: &str, diagnostics: &mut Diagnostics) {
    let host = route.items.iter().find_map(|item| match item {
        Item::Attribute(a) if a.key.name == "host" => match &a.value.kind {
            ValueKind::String(literal) => Some(literal),
            _ => None,
        },
        _ => None,
    });
    if let Some(host) = host.filter(|h| h.value.parse::<IpAddr>().is_ok()) {
        diagnostics.push(cannot(
            format!("the route host `{}` is an IP address", host.value),
            host.span,
            "an Ingress rule's host is a DNS name".to_string(),
            environment,
            "route by a DNS name that resolves to the ingress controller",
        ));
    }
}

/// A relative tolerance on a blue-green Rollout (E0127); a `kpi` that a
/// recreated component's Deployment does not judge (W0003).
fn check_kpi(
    draft: &ComponentDraft,
    workload: Workload,
    environment: &str,
    diagnostics: &mut Diagnostics,
) {
    let Some(kpi) = blocks(draft.block, "kpi").next() else {
        return;
    };
    if workload == Workload::BlueGreenRollout {
        let relatives = kpi.items.iter().filter_map(|item| match item {
            Item::Attribute(a) if matches!(a.value.kind, ValueKind::Relative(_)) => Some(a),
            _ => None,
        });
        for relative in relatives {
            let help = format!(
                "write an absolute tolerance (`{} < ...`), or deploy with `strategy = canary`",
                relative.key.name
            );
            diagnostics.push(cannot(
                format!("`{}` is relative to the stable version, which a blue-green Rollout does not run beside the new one", relative.key.name),
                relative.key.span,
                "Argo Rollouts judges a blue-green version after all the traffic moved to it".to_string(),
                environment,
                &help,
            ));
        }
    }
    let recreated = draft
        .deploy
        .as_ref()
        .is_some_and(|d| d.strategy == Strategy::Recreate);
    if recreated && !draft.routes.is_empty() {
        diagnostics.push(
            Diagnostic::warning(
                Code::NoEffect,
                format!("the `kpi` is not judged in environment `{environment}`, which runs on Kubernetes"),
            )
            .at(kpi.kind.span)
            .with_label("`strategy = recreate` runs as a Deployment, which Kubernetes replaces without judging it")
            .with_help("deploy with `strategy = canary` or `blue_green` (an Argo Rollouts Rollout, judged by these KPIs), or remove the `kpi` block"),
        );
    }
}

/// W0003 on a component's `compose { volumes }`: the manifests carry no
/// volume (`compose { }` is for Compose and Swarm), so data a store keeps
/// there would live and die with its pod.
fn check_volumes(component: &Block, environment: &str, diagnostics: &mut Diagnostics) {
    for compose in blocks(component, "compose") {
        let volumes = compose.items.iter().find_map(|item| match item {
            Item::Attribute(a) if a.key.name == "volumes" => Some(a.key.span),
            Item::Block(b) if b.kind.name == "volumes" => Some(b.kind.span),
            _ => None,
        });
        if let Some(span) = volumes {
            diagnostics.push(
                Diagnostic::warning(
                    Code::NoEffect,
                    format!("environment `{environment}` runs on Kubernetes, whose manifests carry no volume"),
                )
                .at(span)
                .with_label("Compose and Swarm mount these; the Kubernetes pod's files live and die with it")
                .with_help("give the component storage with your cluster's tooling (a PersistentVolumeClaim patched in with kustomize, or a managed store)"),
            );
        }
    }
}

fn blocks<'a>(block: &'a Block, kind: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
    block.items.iter().filter_map(move |item| match item {
        Item::Block(b) if b.kind.name == kind => Some(b),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::port_name_problem;

    #[test]
    fn port_names_are_iana_service_names() {
        for good in ["http", "admin-api", "h2c", "a1"] {
            assert_eq!(port_name_problem(good), None, "{good}");
        }
        for bad in [
            "metrics_admin",
            "prometheus-metrics",
            "8080",
            "-x",
            "x-",
            "a--b",
        ] {
            assert!(port_name_problem(bad).is_some(), "{bad}");
        }
    }
}
