//! Pass-through rules across components: a component cut off the network
//! (`network_mode = "none"`) is one nothing else may need to reach, and a
//! network alias may not take another service's (or slot's) name.

use super::component::ComponentDraft;
use super::pass_through_node::{NodeKind, PassNode};
use super::pass_through_refusals::refused;
use super::routing_names::TakenNames;
use crate::diagnostic::Diagnostics;
use crate::source::Span;
use crate::syntax::ast::Ident;

/// Reports `network_mode = "none"` on a component that another depends on:
/// the dependent could not reach it. (Fixture loaders load into a
/// dependency only, E0115, so this covers them too.)
pub fn check_without_network(drafts: &[ComponentDraft], diagnostics: &mut Diagnostics) {
    for draft in drafts {
        let Some(span) = draft.compose.without_network else {
            continue;
        };
        let name = draft.name.name.as_str();
        let dependent = drafts
            .iter()
            .find(|d| d.depends_on.iter().any(|dep| dep.name == name));
        if let Some(dependent) = dependent {
            diagnostics.push(refused(
                span,
                format!(
                    "`network_mode = \"none\"` cuts `{name}` off the network, but `{}` depends on it",
                    dependent.name.name
                ),
                "remove `network_mode`, or the dependency",
            ));
        }
    }
}

/// Reports a network alias (of a service or of one of its `pre_start`
/// hooks) that is the name of another component, of a fixture loader's
/// service, or one routing takes (`haproxy`, the slots' `X-blue` and
/// `X-green`): on the shared network Docker's resolver would answer that
/// name with either container, so the other service could be reached at
/// the wrong one.
pub fn check_aliases(drafts: &[ComponentDraft], diagnostics: &mut Diagnostics) {
    // Most stacks give no alias: then no name, nor its message, is needed.
    if drafts.iter().all(|d| d.compose.aliases.is_empty()) {
        return;
    }
    let services = service_names(drafts);
    let taken_names = TakenNames::new(drafts);
    for draft in drafts {
        let own = draft.name.name.as_str();
        for (span, alias) in &draft.compose.aliases {
            if alias == own {
                continue;
            }
            let taken = services
                .iter()
                .find(|(name, _)| name == alias)
                .map(|(name, what)| (name.clone(), what.clone()))
                .or_else(|| {
                    taken_names.get(alias).map(|taken| {
                        let what = taken.what();
                        (taken.name, what)
                    })
                });
            if let Some((name, what)) = taken {
                diagnostics.push(refused(
                    *span,
                    format!("the network alias `{alias}` of `{own}` is the name of {what}: that name would resolve to `{own}` too"),
                    format!("choose another alias: on the stack's network `{name}` must name one service only"),
                ));
            }
        }
    }
}

/// The name of every component and fixture loader of the stack, with what
/// it names, for messages (routing's names are looked up apart).
fn service_names(drafts: &[ComponentDraft]) -> Vec<(String, String)> {
    let mut names = Vec::new();
    for draft in drafts {
        let component = draft.name.name.as_str();
        names.push((
            component.to_string(),
            format!("the component `{component}`"),
        ));
        for (_, target) in &draft.fixtures {
            let loader = format!("{component}-fixtures-{}", target.name);
            let what = format!("the fixtures loader `{loader}`");
            names.push((loader, what));
        }
    }
    names
}

/// The network aliases a `compose { }` block gives, where each is written:
/// those of the service's `networks` and of each `pre_start` hook's.
pub fn network_aliases(keyed: &[(&Ident, PassNode)]) -> Vec<(Span, String)> {
    let mut aliases = Vec::new();
    for (key, node) in keyed {
        match key.name.as_str() {
            "networks" => aliases.extend(aliases_of(node)),
            "pre_start" => {
                for hook in node.items() {
                    if let Some((_, networks)) = hook.entry("networks") {
                        aliases.extend(aliases_of(networks));
                    }
                }
            }
            _ => {}
        }
    }
    aliases
}

/// The aliases in a `networks` map (a list of networks has none).
fn aliases_of(networks: &PassNode) -> Vec<(Span, String)> {
    let NodeKind::Map(entries) = &networks.kind else {
        return Vec::new();
    };
    entries
        .iter()
        .filter_map(|(_, network)| network.entry("aliases"))
        .flat_map(|(_, list)| list.items())
        .filter_map(|item| item.text().map(|text| (item.span, text.to_string())))
        .collect()
}
