//! Rules that span components (and the targets they are written for): names
//! unique across the workspace, dependencies that exist, fixtures loaded
//! into dependencies, host ports published once, Compose project names that
//! do not collide with test stacks. Cycles are in `cycles.rs`.

use std::collections::BTreeMap;

use super::component::ComponentDraft;
use super::environments::EnvironmentDecl;
use super::fields::defined_twice;
use super::proxy::ProxyPort;
use crate::diagnostic::{Candidates, Code, Diagnostic, Diagnostics};
use crate::model::{Graph, Protocol};
use crate::source::Span;
use crate::syntax::ast::{Ident, Item};

/// Component `name` is defined again; `first` is where it was defined first.
pub fn component_defined_twice(name: &Ident, first: &Ident) -> Diagnostic {
    defined_twice(
        format!("component `{}` is defined twice", name.name),
        name.span,
        Some(first.span),
    )
    .with_help("component names must be unique across all files of the workspace")
}

/// Every `depends_on` names another component that exists. `names` is
/// every component's name, sorted, and `positions` each one's index there.
pub fn check_dependencies(
    drafts: &[ComponentDraft],
    names: &[&str],
    positions: &super::NamePositions,
    diagnostics: &mut Diagnostics,
) {
    // Indexed when first needed: most workspaces name no unknown dependency.
    let mut candidates: Option<Candidates> = None;
    for draft in drafts {
        for dep in &draft.depends_on {
            if dep.name == draft.name.name {
                diagnostics.push(
                    Diagnostic::error(
                        Code::DependencyCycle,
                        format!("component `{}` depends on itself", dep.name),
                    )
                    .at(dep.span)
                    .with_help("remove it from `depends_on`"),
                );
            } else if !positions.contains_key(dep.name.as_str()) {
                let mut diagnostic = Diagnostic::error(
                    Code::UnknownDependency,
                    format!("unknown dependency `{}`", dep.name),
                )
                .at(dep.span)
                .with_label("no component has this name");
                let own = Some(draft.name.name.as_str());
                let candidates =
                    candidates.get_or_insert_with(|| Candidates::new(names.iter().copied()));
                if let Some(help) = candidates.suggestion(&dep.name, own, "components") {
                    diagnostic = diagnostic.with_help(help);
                }
                diagnostics.push(diagnostic);
            }
        }
    }
}

/// Environment `test-api` would share its Compose project name
/// (`STACK-test-api`) with the test stack of component `api`. `names` is
/// every component's name, sorted.
pub fn check_project_names(
    environments: &[EnvironmentDecl],
    names: &[&str],
    diagnostics: &mut Diagnostics,
) {
    for environment in environments {
        let (Some(span), Some(component)) = (
            environment.name_span,
            environment.model.name.strip_prefix("test-"),
        ) else {
            continue;
        };
        if names.binary_search(&component).is_ok() {
            diagnostics.push(
                Diagnostic::error(
                    Code::Duplicate,
                    format!(
                        "environment `{}` would share its Compose project with the test stack of `{component}`",
                        environment.model.name
                    ),
                )
                .at(span)
                .with_help("test stacks are the projects `STACK-test-COMPONENT`; rename the environment"),
            );
        }
    }
}

/// A component loads fixtures only into its (transitive) dependencies.
pub fn check_fixture_targets(
    drafts: &[ComponentDraft],
    graph: &Graph,
    diagnostics: &mut Diagnostics,
) {
    // With a dependency in doubt, which ones were meant is not known.
    let in_doubt = |d: &ComponentDraft| {
        d.depends_on_invalid
            || d.depends_on
                .iter()
                .any(|dep| graph.position(&dep.name).is_none())
    };
    for draft in drafts.iter().filter(|d| !in_doubt(d)) {
        for (_, target) in &draft.fixtures {
            // A target listed in `depends_on` but unknown is already an E0102.
            let listed = draft.depends_on.iter().any(|d| d.name == target.name);
            if !listed && !graph.depends_on(&draft.name.name, &target.name) {
                diagnostics.push(
                    Diagnostic::error(
                        Code::FixtureTarget,
                        format!(
                            "`{}` loads fixtures into `{}`, which it does not depend on",
                            draft.name.name, target.name
                        ),
                    )
                    .at(target.span)
                    .with_label("not a dependency")
                    .with_help(format!(
                        "add `{}` to `depends_on`, or load the fixtures into a dependency",
                        target.name
                    )),
                );
            }
        }
    }
}

/// Every environment runs the whole stack on one host: a host port is
/// published by one port of one component, per protocol (`53/tcp` and
/// `53/udp` are two host ports).
pub fn check_published_ports(drafts: &[ComponentDraft], diagnostics: &mut Diagnostics) {
    let mut seen: BTreeMap<(u16, Protocol), (&str, &str, Span)> = BTreeMap::new();
    for draft in drafts {
        for declared in &draft.ports.ports {
            let port = &declared.port;
            let Some(number) = port.published else {
                continue;
            };
            let span = declared.published_span.unwrap_or(declared.name_span);
            // One message for the port, not one per protocol.
            let mut reported = false;
            for &protocol in &port.protocols {
                let Some((component, port_name, first)) = seen.get(&(number, protocol)) else {
                    seen.insert(
                        (number, protocol),
                        (draft.name.name.as_str(), port.name.as_str(), span),
                    );
                    continue;
                };
                if reported {
                    continue;
                }
                reported = true;
                // TCP, the default, is named only beside UDP.
                let shown = match protocol {
                    Protocol::Tcp if !port.serves_udp() => number.to_string(),
                    _ => format!("{number}/{}", protocol.as_str()),
                };
                diagnostics.push(
                    Diagnostic::error(
                        Code::PortPublishedTwice,
                        format!("host port {shown} is published twice"),
                    )
                    .at(span)
                    .with_label(format!("`{}.{}` publishes it here", draft.name.name, port.name))
                    .also(*first, format!("`{component}.{port_name}` publishes it first"))
                    .with_help("every environment runs the whole stack on one host: give one of them another `publish` port, or `publish = false`"),
                );
            }
        }
    }
}

/// When some component has a route, every environment runs HAProxy, which
/// publishes its own host ports: no component may publish one of them.
pub fn check_proxy_ports(
    drafts: &[ComponentDraft],
    environments: &[EnvironmentDecl],
    diagnostics: &mut Diagnostics,
) {
    let routed = drafts.iter().any(|d| {
        d.block
            .items
            .iter()
            .any(|item| matches!(item, Item::Block(b) if b.kind.name == "route"))
    });
    if !routed {
        return;
    }
    for draft in drafts {
        for declared in &draft.ports.ports {
            // HAProxy publishes TCP ports only.
            let Some(number) = declared
                .port
                .published
                .filter(|_| declared.port.serves_tcp())
            else {
                continue;
            };
            let clashes: Vec<(&EnvironmentDecl, &ProxyPort)> = environments
                .iter()
                .filter_map(|e| {
                    e.proxy_ports
                        .iter()
                        .find(|p| p.number == number)
                        .map(|p| (e, p))
                })
                .collect();
            let Some((_, first)) = clashes.first() else {
                continue;
            };
            let span = declared.published_span.unwrap_or(declared.name_span);
            let mut diagnostic = Diagnostic::error(
                Code::PortPublishedTwice,
                format!("host port {number} is published twice: by a component and by HAProxy"),
            )
            .at(span)
            .with_label(format!(
                "`{}.{}` publishes it here",
                draft.name.name, declared.port.name
            ));
            let mut defaults = Vec::new();
            for (environment, port) in &clashes {
                let name = &environment.model.name;
                match port.span {
                    Some(at) => {
                        diagnostic = diagnostic.also(
                            at,
                            format!(
                                "the proxy of environment `{name}` publishes it as its `{}`",
                                port.attribute
                            ),
                        );
                    }
                    None => defaults.push(format!("`{name}`")),
                }
            }
            let by_default = if defaults.is_empty() {
                String::new()
            } else {
                format!(
                    "the proxy of {} {} publishes it by default as its `{}`; ",
                    if defaults.len() == 1 {
                        "environment"
                    } else {
                        "environments"
                    },
                    defaults.join(", "),
                    first.attribute
                )
            };
            diagnostics.push(diagnostic.with_help(format!(
                "{by_default}a component with a route makes every environment run an `haproxy` service on its `port` and `stats_port`: publish the component on another host port (`publish = ...`), or set the proxy's (`environment NAME {{ proxy {{ {} = ... }} }}`)",
                first.attribute
            )));
        }
    }
}
