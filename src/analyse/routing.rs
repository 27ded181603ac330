//! Rules that relate a component's routes to its health check, `deploy` and
//! `kpi`, and routes across components: HAProxy judges the slots of a routed
//! component with its health check, a deploy shifts traffic through a route,
//! KPIs come from HAProxy's stats for the route's backend, and a host and
//! path lead to one backend only.

use super::component::ComponentDraft;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{HealthKind, Route, Strategy};
use crate::source::Span;
use crate::syntax::ast::{Block, Item, ValueKind};

/// The blocks of kind `kind` written directly in `block`.
fn blocks<'a>(block: &'a Block, kind: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
    block.items.iter().filter_map(move |item| match item {
        Item::Block(b) if b.kind.name == kind => Some(b),
        _ => None,
    })
}

/// The first route written, valid or not: the rules below ask whether the
/// spec routes the component, not whether its route is right (that is
/// reported where it is).
fn first_route<'a>(draft: &ComponentDraft<'a>) -> Option<&'a Block> {
    blocks(draft.block, "route").next()
}

/// Where the component's first route is named, when the spec routes it
/// (validly or not).
pub fn routed_at(draft: &ComponentDraft) -> Option<Span> {
    first_route(draft).map(route_span)
}

/// A routed component has an `http` or `tcp` health check; `kpi` is
/// written on routed components only, and so is `deploy` unless some
/// environment runs on a cluster (`clustered`), whose rolling updates it
/// shapes.
pub fn check_component(draft: &ComponentDraft, clustered: bool, diagnostics: &mut Diagnostics) {
    let route = first_route(draft);
    let health = blocks(draft.block, "health").next();
    if let Some(route) = route {
        let at = route_span(route);
        match (health, &draft.health) {
            (None, _) => diagnostics.push(
                Diagnostic::error(
                    Code::MissingAttribute,
                    format!("component `{}` is routed but has no health check", draft.name.name),
                )
                .at(at)
                .with_label("routed here")
                .with_help("add `health { http = \"/health\" }` or `health { tcp = PORT }`: HAProxy sends a slot traffic only while its health check passes, and a deploy waits for it"),
            ),
            (Some(block), Some(health)) if health.check.kind() == HealthKind::Command => {
                let command = block
                    .items
                    .iter()
                    .find_map(|item| match item {
                        Item::Attribute(a) if a.key.name == "command" => Some(a.key.span),
                        _ => None,
                    })
                    .unwrap_or(block.kind.span);
                diagnostics.push(
                    Diagnostic::error(
                        Code::OutOfRange,
                        "a routed component needs an `http` or `tcp` health check",
                    )
                    .at(command)
                    .with_label("HAProxy cannot run a command in the container")
                    .also(at, "routed here")
                    .with_help("HAProxy probes the slots itself, over the network: write `health { http = \"/health\" }` or `health { tcp = PORT }`"),
                );
            }
            // No check, or one already reported.
            _ => {}
        }
        check_one_port(draft, diagnostics);
        check_recreate_baseline(draft, diagnostics);
        return;
    }
    if let Some(kpi) = blocks(draft.block, "kpi").next() {
        diagnostics.push(
            Diagnostic::error(
                Code::MissingAttribute,
                format!("`kpi` on component `{}`, which has no route", draft.name.name),
            )
            .at(kpi.kind.span)
            .with_label("nothing to judge these by")
            .with_help("KPIs are read from HAProxy's stats for the backend of the component's route: add `route NAME { host = \"...\" }`, or remove `kpi`"),
        );
    }
    if let Some(deploy) = blocks(draft.block, "deploy").next().filter(|_| !clustered) {
        diagnostics.push(
            Diagnostic::warning(
                Code::NoEffect,
                format!("`deploy` on component `{}`, which has no route, has no effect", draft.name.name),
            )
            .at(deploy.kind.span)
            .with_label("nothing to shift traffic through")
            .with_help("a deploy shifts traffic between two slots behind HAProxy, so `stack deploy` is offered for routed components only: add `route NAME { host = \"...\" }`, or remove `deploy`"),
        );
    }
}

/// `strategy = recreate` stops the stable slot before the new one starts,
/// so no window ever has a stable value: a tolerance relative to it
/// (`stable + ...`) leaves every window inconclusive, and the deploy can
/// only fail safe. (`blue_green` measures its baseline while the new slot
/// warms up at weight 0, with the stable slot serving everything.)
fn check_recreate_baseline(draft: &ComponentDraft, diagnostics: &mut Diagnostics) {
    if !draft
        .deploy
        .as_ref()
        .is_some_and(|d| d.strategy == Strategy::Recreate)
    {
        return;
    }
    let Some(kpi) = blocks(draft.block, "kpi").next() else {
        return;
    };
    let strategy = blocks(draft.block, "deploy").find_map(|deploy| {
        deploy.items.iter().find_map(|item| match item {
            Item::Attribute(a) if a.key.name == "strategy" => Some(a.span()),
            _ => None,
        })
    });
    let relatives = kpi.items.iter().filter_map(|item| match item {
        Item::Attribute(a) if matches!(a.value.kind, ValueKind::Relative(_)) => Some(a),
        _ => None,
    });
    for relative in relatives {
        let mut diagnostic = Diagnostic::error(
            Code::OutOfRange,
            format!(
                "`{}` is relative to the stable slot, which `strategy = recreate` stops first",
                relative.key.name
            ),
        )
        .at(relative.key.span)
        .with_label("never measured: every window would be inconclusive");
        if let Some(strategy) = strategy {
            diagnostic =
                diagnostic.also(strategy, "the stable slot stops before the new one starts");
        }
        diagnostics.push(diagnostic.with_help(format!(
            "write an absolute tolerance instead (`{} < ...`), or deploy with `strategy = blue_green` or `canary`, which keep the stable slot serving",
            relative.key.name
        )));
    }
}

/// Every route of a component serves one port: the backend's two slots are
/// servers on one port each.
fn check_one_port(draft: &ComponentDraft, diagnostics: &mut Diagnostics) {
    let Some((first, rest)) = draft.routes.split_first() else {
        return;
    };
    let Some(other) = rest
        .iter()
        .find(|r| r.port.container != first.port.container)
    else {
        return;
    };
    let served = |route: &Route| format!("`{}` ({})", route.port.name, route.port.container);
    diagnostics.push(
        Diagnostic::error(
            Code::OutOfRange,
            format!("the routes of `{}` serve different ports", draft.name.name),
        )
        .at(port_span(draft, other))
        .with_label(format!("serves {}", served(other)))
        .also(port_span(draft, first), format!("serves {}", served(first)))
        .with_help("HAProxy sends a routed component's traffic to its two slots, `blue` and `green`, each a server on one port: give every route the same `port`, or split the component in two"),
    );
}

/// Where `route` says which port it serves: its `port`, or its name when it
/// serves the first port by default.
fn port_span(draft: &ComponentDraft, route: &Route) -> Span {
    let block = blocks(draft.block, "route")
        .find(|b| b.label.as_ref().is_some_and(|l| l.name == route.name));
    block.map_or(draft.name.span, |block| {
        block
            .items
            .iter()
            .find_map(|item| match item {
                Item::Attribute(a) if a.key.name == "port" => Some(a.value.span),
                _ => None,
            })
            .unwrap_or_else(|| route_span(block))
    })
}

/// Where a route is named: its label, or its kind when it has none.
fn route_span(route: &Block) -> Span {
    route.label.as_ref().map_or(route.kind.span, |l| l.span)
}

/// A route's host and path as HAProxy matches them: the host in lower case,
/// the path without trailing `/` (`/api` and `/api/` are one prefix).
fn claim_key(host: &str, path: &str) -> (String, String) {
    let path = path.trim_end_matches('/');
    let path = if path.is_empty() { "/" } else { path };
    (host.to_ascii_lowercase(), path.to_string())
}

/// A valid route, where it is written.
struct Claim<'a> {
    component: &'a str,
    route: &'a str,
    span: Span,
}

/// No two routes, of one component or two, claim the same host and path.
pub fn check_claims(drafts: &[ComponentDraft], diagnostics: &mut Diagnostics) {
    // Looked up only (diagnostics follow the drafts' order): hashed.
    let mut seen: fnv::FnvHashMap<(String, String), Claim> = fnv::FnvHashMap::default();
    for draft in drafts {
        for route in &draft.routes {
            let Some(block) = blocks(draft.block, "route")
                .find(|b| b.label.as_ref().is_some_and(|l| l.name == route.name))
            else {
                continue;
            };
            let span = written_span(block, "path")
                .or_else(|| written_span(block, "host"))
                .unwrap_or_else(|| route_span(block));
            let claim = Claim {
                component: &draft.name.name,
                route: &route.name,
                span,
            };
            let key = claim_key(&route.host, &route.path);
            match seen.get(&key) {
                Some(first) => diagnostics.push(claimed_twice(&key, first, &claim)),
                None => {
                    seen.insert(key, claim);
                }
            }
        }
    }
}

/// The span of the value of attribute `key` in `block`, if written.
fn written_span(block: &Block, key: &str) -> Option<Span> {
    block.items.iter().find_map(|item| match item {
        Item::Attribute(a) if a.key.name == key && matches!(a.value.kind, ValueKind::String(_)) => {
            Some(a.value.span)
        }
        _ => None,
    })
}

fn claimed_twice((host, path): &(String, String), first: &Claim, again: &Claim) -> Diagnostic {
    Diagnostic::error(
        Code::Duplicate,
        format!("host `{host}` and path `{path}` are claimed twice"),
    )
    .at(again.span)
    .with_label(format!("claimed again by `{}.{}`", again.component, again.route))
    .also(first.span, format!("first claimed by `{}.{}`", first.component, first.route))
    .with_help("HAProxy sends each request to one backend: give one of the routes another host or path (hosts are compared without case, and `/api` and `/api/` are one prefix)")
}

#[cfg(test)]
mod tests {
    use super::claim_key as claim;
    use crate::analyse::tests::{codes, model};

    #[test]
    fn a_routed_component_with_a_check_deploy_and_kpi_is_valid() {
        for check in ["http = \"/health\"", "tcp = http"] {
            let model = model(&format!(
                "stack s {{ }}\ncomponent api {{\n  ports = {{ http = 8080 }}\n  health {{ {check} }}\n  route public {{ host = \"api.example\" }}\n  deploy {{ }}\n  kpi {{ error_rate < 1% }}\n}}\n"
            ));
            assert!(model.component("api").is_some_and(|c| c.kpi.is_some()));
        }
    }

    #[test]
    fn a_deploy_without_a_route_only_warns() {
        let found = codes("stack s { }\ncomponent w { ports = { http = 80 }  deploy { } }\n");
        assert_eq!(found, ["W0003"]);
    }

    #[test]
    fn the_proxys_ports_matter_only_when_something_is_routed() {
        // Port 80 is the proxy's default; without a route there is no proxy.
        assert!(codes("stack s { }\ncomponent w { ports = { http = 80 } }\n").is_empty());
        assert_eq!(
            codes("stack s { }\ncomponent w { ports = { http = 80 } }\ncomponent a { ports = { http = 81 }  health { tcp = http }  route r { host = \"a.example\" } }\n"),
            ["E0107"]
        );
    }

    #[test]
    fn recreate_refuses_tolerances_relative_to_the_stable_slot() {
        let spec = |strategy: &str, kpi: &str| {
            codes(&format!(
                "stack s {{ }}\ncomponent a {{ ports = {{ http = 81 }}  health {{ tcp = http }}  route r {{ host = \"a.example\" }}  deploy {{ strategy = {strategy} }}  kpi {{ {kpi} }} }}\n"
            ))
        };
        assert_eq!(spec("recreate", "error_rate < stable + 1%"), ["E0108"]);
        assert_eq!(
            spec("recreate", "error_rate < 5%  error_rate < stable + 1%"),
            ["E0108"]
        );
        assert!(spec("recreate", "error_rate < 5%  response_time < 300ms").is_empty());
        // blue_green measures its baseline while the new slot warms up.
        assert!(spec("blue_green", "response_time < stable + 50ms").is_empty());
        assert!(spec("canary", "error_rate < stable + 1%").is_empty());
    }

    #[test]
    fn only_the_same_host_and_prefix_clash() {
        let two = |a: &str, b: &str| {
            codes(&format!(
                "stack s {{ }}\ncomponent x {{ ports = {{ http = 81 }}  health {{ tcp = http }}  route a {{ {a} }}  route b {{ {b} }} }}\n"
            ))
        };
        assert!(two("host = \"a.example\"", "host = \"b.example\"").is_empty());
        assert!(two("host = \"*.example\"", "host = \"a.example\"").is_empty());
        assert!(two(
            "host = \"a.example\"  path = \"/api\"",
            "host = \"a.example\"  path = \"/apix\""
        )
        .is_empty());
        assert_eq!(
            two("host = \"a.example\"", "host = \"A.EXAMPLE\"  path = \"/\""),
            ["E0101"]
        );
        assert_eq!(
            two(
                "host = \"a.example\"  path = \"/api\"",
                "host = \"a.example\"  path = \"/api/\""
            ),
            ["E0101"]
        );
    }

    #[test]
    fn the_routes_of_a_component_serve_one_port() {
        let routes = |a: &str, b: &str| {
            codes(&format!(
                "stack s {{ }}\ncomponent x {{ ports = {{ http = 81  alt = {{ container = 81  publish = false }}  admin = 82 }}  health {{ tcp = http }}  route a {{ host = \"a.example\" {a} }}  route b {{ host = \"b.example\" {b} }} }}\n"
            ))
        };
        assert!(routes("", "").is_empty());
        assert!(routes("port = http", "").is_empty());
        // Two names of one container port: one server port.
        assert!(routes("port = http", "port = alt").is_empty());
        assert_eq!(routes("", "port = admin"), ["E0108"]);
        assert_eq!(routes("port = admin", ""), ["E0108"]);
    }

    #[test]
    fn claims_compare_hosts_without_case_and_paths_without_trailing_slash() {
        assert_eq!(claim("API.example", "/api/"), claim("api.example", "/api"));
        assert_eq!(claim("a", "/"), claim("a", "//"));
        assert_ne!(claim("a", "/api"), claim("a", "/apix"));
        assert_eq!(claim("a", "/").1, "/");
    }
}
