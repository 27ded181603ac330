//! The names routing takes once some component has a route (see
//! docs/deploy.md): each environment's Compose file gains the service
//! `haproxy`, and each routed component `X` runs as two slots, its own
//! service (network alias `X-blue`) and the service `X-green`, whose
//! addresses and images are set through `STACK_SLOT_X_*` and
//! `STACK_IMAGE_X_*` (`X` upper-cased, `-` as `_`). No component, network
//! alias or other routed component may take one of them.
//!
//! The names come from the Model (`model::PROXY_SERVICE`, `model::Slot`),
//! where the emitters take them too.

use std::collections::hash_map::Entry;

use super::component::ComponentDraft;
use super::names::NAME_MAX;
use super::routing::routed_at;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{Slot, PROXY_SERVICE};
use crate::source::Span;

/// The longest name of a routed component, in bytes: `NAME-green` is a host
/// name on the stack's network, a DNS label of at most [`NAME_MAX`] bytes.
pub const ROUTED_NAME_MAX: usize = NAME_MAX - "-green".len();

/// A name routing takes: the name, what takes it and where the route that
/// makes it is written.
#[derive(Debug, Clone)]
pub struct TakenName {
    pub name: String,
    pub taker: Taker,
    pub route: Span,
}

/// What takes a name: the proxy service, or a routed component's slot.
#[derive(Debug, Clone)]
pub enum Taker {
    Proxy,
    Slot { slot: Slot, component: String },
}

impl TakenName {
    /// What the name names, for messages (written only when one is).
    pub fn what(&self) -> String {
        match &self.taker {
            Taker::Proxy => format!("the `{PROXY_SERVICE}` service, which runs HAProxy"),
            Taker::Slot { slot, component } => {
                format!("the {} slot of `{component}`", slot.as_str())
            }
        }
    }
}

/// The routed components, each with where its first route is written.
fn routed<'d, 'a>(drafts: &'d [ComponentDraft<'a>]) -> Vec<(&'d ComponentDraft<'a>, Span)> {
    drafts
        .iter()
        .filter_map(|d| routed_at(d).map(|route| (d, route)))
        .collect()
}

/// The names routing takes in the workspace, looked up rather than listed
/// (two strings per routed component): `haproxy` once some component is
/// routed, and `X-blue` and `X-green` of each routed `X`.
pub struct TakenNames<'d> {
    /// Where the first route of the workspace is written.
    first_route: Option<Span>,
    /// Each routed component's first route.
    route_of: fnv::FnvHashMap<&'d str, Span>,
}

impl<'d> TakenNames<'d> {
    /// The names the routed components of `drafts` take.
    pub fn new(drafts: &'d [ComponentDraft]) -> TakenNames<'d> {
        TakenNames::of_routed(&routed(drafts))
    }

    /// The names `routed` (each routed component with its first route)
    /// take.
    fn of_routed(routed: &[(&'d ComponentDraft, Span)]) -> TakenNames<'d> {
        TakenNames {
            first_route: routed.first().map(|(_, route)| *route),
            route_of: routed
                .iter()
                .map(|(draft, route)| (draft.name.name.as_str(), *route))
                .collect(),
        }
    }

    /// What takes `name`, if routing takes it. No name is taken twice:
    /// the slots' suffixes differ and `haproxy` has none.
    pub fn get(&self, name: &str) -> Option<TakenName> {
        if name == PROXY_SERVICE {
            return self.first_route.map(|route| TakenName {
                name: name.to_string(),
                taker: Taker::Proxy,
                route,
            });
        }
        Slot::ALL.into_iter().find_map(|slot| {
            let component = slot.component_of(name)?;
            self.route_of.get(component).map(|route| TakenName {
                name: name.to_string(),
                taker: Taker::Slot {
                    slot,
                    component: component.to_string(),
                },
                route: *route,
            })
        })
    }
}

/// No component takes a name routing takes, a routed component's name
/// leaves room for `-green`, and no two routed components share slot
/// variables.
pub fn check(drafts: &[ComponentDraft], diagnostics: &mut Diagnostics) {
    let routed = routed(drafts);
    let taken_names = TakenNames::of_routed(&routed);
    for draft in drafts {
        if let Some(taken) = taken_names.get(&draft.name.name) {
            diagnostics.push(name_taken(draft, &taken));
        }
    }
    let mut keys: fnv::FnvHashMap<String, &ComponentDraft> = fnv::FnvHashMap::default();
    for (draft, _) in routed {
        let name = &draft.name.name;
        if name.len() > ROUTED_NAME_MAX && name.len() <= NAME_MAX {
            diagnostics.push(too_long_for_slots(draft));
        }
        match keys.entry(Slot::variable_key(name)) {
            Entry::Occupied(first) => diagnostics.push(variables_shared(first.get(), draft)),
            Entry::Vacant(place) => {
                place.insert(draft);
            }
        }
    }
}

fn name_taken(draft: &ComponentDraft, taken: &TakenName) -> Diagnostic {
    let name = &draft.name.name;
    let help = if taken.name == PROXY_SERVICE {
        format!("with a route in the workspace, each environment's Compose file runs HAProxy as the service `{PROXY_SERVICE}`: rename the component")
    } else {
        "a routed component `X` runs as two Compose services, `X` (its blue slot, also named `X-blue` on the network) and `X-green`: rename the component".to_string()
    };
    Diagnostic::error(
        Code::Duplicate,
        format!("component `{name}` takes the name of {}", taken.what()),
    )
    .at(draft.name.span)
    .with_label("a Compose service and host name routing needs")
    .also(taken.route, "routed here")
    .with_help(help)
}

fn too_long_for_slots(draft: &ComponentDraft) -> Diagnostic {
    let name = &draft.name.name;
    Diagnostic::error(
        Code::InvalidName,
        format!(
            "the routed component `{name}` is {} bytes long, more than {ROUTED_NAME_MAX}",
            name.len()
        ),
    )
    .at(draft.name.span)
    .with_label(format!("{} bytes", name.len()))
    .with_help(format!(
        "shorten it: its green slot `{name}-green` is a host name on the stack's network, and a DNS label holds at most {NAME_MAX} bytes"
    ))
}

fn variables_shared(first: &ComponentDraft, again: &ComponentDraft) -> Diagnostic {
    let key = Slot::variable_key(&again.name.name);
    Diagnostic::error(
        Code::Duplicate,
        format!(
            "routed components `{}` and `{}` differ only in `-` and `_`",
            first.name.name, again.name.name
        ),
    )
    .at(again.name.span)
    .also(first.name.span, "declared here")
    .with_help(format!(
        "both would set their slots through `STACK_SLOT_{key}_BLUE`, `STACK_SLOT_{key}_GREEN`, `STACK_IMAGE_{key}_BLUE` and `STACK_IMAGE_{key}_GREEN`; rename one"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::tests::{codes, messages};

    const ROUTED: &str = "ports = { http = { container = 81  publish = false } }  health { tcp = http }  route r { host = \"a.example\" }";

    #[test]
    fn names_are_taken_only_when_something_is_routed() {
        let plain =
            "stack s { }\ncomponent haproxy { }\ncomponent api { }\ncomponent api-green { }\n";
        assert!(codes(plain).is_empty());
        let routed = format!(
            "stack s {{ }}\ncomponent haproxy {{ }}\ncomponent api {{ {ROUTED} }}\ncomponent api-green {{ }}\ncomponent api-blue {{ }}\ncomponent api-red {{ }}\n"
        );
        assert_eq!(codes(&routed), ["E0101", "E0101", "E0101"]);
    }

    #[test]
    fn routed_names_leave_room_for_the_green_slot() {
        let named = |n: usize| {
            codes(&format!(
                "stack s {{ }}\ncomponent {} {{ {ROUTED} }}\n",
                "a".repeat(n)
            ))
        };
        assert!(named(ROUTED_NAME_MAX).is_empty());
        assert_eq!(named(ROUTED_NAME_MAX + 1), ["E0106"]);
        // Longer than any name: reported once, as a name.
        assert_eq!(named(NAME_MAX + 1), ["E0106"]);
    }

    #[test]
    fn routed_names_differing_in_dash_and_underscore_clash() {
        let routed = |second: &str| {
            codes(&format!(
                "stack s {{ }}\ncomponent a-b {{ {ROUTED} }}\ncomponent {second}\n",
            ))
        };
        assert_eq!(
            routed(&format!(
                "a_b {{ {} }}",
                ROUTED.replace("a.example", "b.example")
            )),
            ["E0101"]
        );
        // Only routed components have slot variables.
        assert!(routed("a_b { }").is_empty());
    }

    #[test]
    fn each_taken_name_is_reported_with_what_takes_it() {
        let spec = format!(
            "stack s {{ }}\ncomponent haproxy {{ }}\ncomponent api {{ {ROUTED} }}\ncomponent api-blue {{ {} }}\ncomponent api-blue-green {{ }}\ncomponent api-green-blue {{ }}\ncomponent green {{ }}\n",
            ROUTED.replace("a.example", "b.example")
        );
        let mut found = messages(&spec);
        found.retain(|m| m.contains("takes the name"));
        assert_eq!(
            found,
            [
                "component `haproxy` takes the name of the `haproxy` service, which runs HAProxy",
                "component `api-blue` takes the name of the blue slot of `api`",
                "component `api-blue-green` takes the name of the green slot of `api-blue`",
            ]
        );
    }
}
