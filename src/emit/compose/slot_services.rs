//! The two slots of a routed component in an environment's whole-stack
//! file (see docs/deploy.md, "Slots"): the component's own service is the
//! blue slot; `COMPONENT-green`, in the profile `slots`, is the green one.

use std::borrow::Cow;

use super::{compose_string, network_aliases, PassThroughValue, Service};
use crate::model::Component;
use crate::model::Slot;

/// The profile of the green slots: `stack up` (no profile) never starts one;
/// the task runner starts it for a deploy.
pub const SLOTS_PROFILE: &str = "slots";

/// Pass-through keys a second container of the component cannot share with
/// the first (`container_name` must be unique on the engine) or that stackc
/// sets itself on the green slot.
const NOT_ON_GREEN: &[&str] = &["container_name", "profiles", "pull_policy"];

/// The service name of `component`'s `slot`: the component's own name for
/// blue, `COMPONENT-green` for green.
pub fn service_name(component: &str, slot: Slot) -> String {
    match slot {
        Slot::Blue => component.to_string(),
        Slot::Green => slot.host(component),
    }
}

/// Makes `service`, the component's own, the blue slot: its image comes
/// from `STACK_IMAGE_<COMPONENT>_BLUE` when set (the image deployed there
/// last), and it answers to `COMPONENT-blue` too, the address HAProxy gives
/// the slot.
pub fn make_blue(service: &mut Service<'_>, component: &Component) {
    service.image = slot_image(component, Slot::Blue);
    add_alias(service, &Slot::Blue.host(&component.name));
}

/// The green slot, from the component's service as the environment writes
/// it (`own`, before [`make_blue`]): its image from `STACK_IMAGE_<COMPONENT>_GREEN` (the spec's
/// image when unset), never built (it runs the image a deploy names), no
/// published port (traffic reaches it through HAProxy), in the profile
/// `slots`, and answering to the component's name too, so that while both
/// slots run the name reaches both (as it does in HAProxy).
pub fn green<'m>(own: &Service<'m>, component: &Component) -> Service<'m> {
    let mut service = own.clone();
    service.image = slot_image(component, Slot::Green);
    service.build = None;
    service.pull_policy = None;
    service.ports = Vec::new();
    for key in NOT_ON_GREEN {
        service.pass_through.shift_remove(*key);
    }
    service.profiles = vec![SLOTS_PROFILE.to_string()];
    add_alias(&mut service, &component.name);
    service
}

/// `${STACK_IMAGE_<COMPONENT>_<SLOT>:-<the spec's image>}`; the spec's
/// image keeps its own references (`newsroom/api:${VERSION:-latest}`),
/// which Compose expands inside the default.
fn slot_image(component: &Component, slot: Slot) -> String {
    let variable = slot.image_variable(&component.name);
    let image = compose_string::text(&component.image);
    let mut out = String::with_capacity(variable.len() + image.len() + 5);
    for piece in ["${", &variable, ":-", &image, "}"] {
        out.push_str(piece);
    }
    out
}

fn add_alias(service: &mut Service<'_>, alias: &str) {
    let networks = service.pass_through.get("networks").map(|v| v.0.as_ref());
    let merged = network_aliases::with_alias(networks, alias);
    service
        .pass_through
        .insert("networks".to_string(), PassThroughValue(Cow::Owned(merged)));
}
