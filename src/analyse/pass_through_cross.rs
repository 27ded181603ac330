//! Pass-through rules across components: a component cut off the network
//! (`network_mode = "none"`) is one nothing else may need to reach.

use super::component::ComponentDraft;
use super::pass_through_refusals::refused;
use crate::diagnostic::Diagnostics;

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
