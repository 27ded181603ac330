//! Where a pass-through key is checked: the component's own service, or one
//! of its `pre_start` hooks.

use super::file_objects::Kind;

/// What the checks of one `compose { }` block (or one `pre_start` hook in
/// it) need to know about the component around it.
#[derive(Debug, Clone, Copy)]
pub struct PassScope<'a> {
    /// The component's name, for messages (`api`).
    pub component: &'a str,
    /// The component declares ports (published or not), which other
    /// components reach over the project's network.
    pub has_ports: bool,
    /// The component has a route: HAProxy reaches its slots on the
    /// project's network by name.
    pub routed: bool,
    /// The keys are those of a `pre_start` hook, an init container that
    /// takes the container keys only and runs on the service's networks.
    pub hook: bool,
    /// The named volumes the service itself mounts. Compose makes only
    /// those the project's; a hook may use no other.
    pub service_volumes: &'a [&'a str],
    /// The networks the service itself names, likewise.
    pub service_networks: &'a [&'a str],
    /// The declared `secret` and `config` blocks, so that a refused
    /// `secrets` or `configs` says whether to declare one or to list it.
    pub declared: &'a [(Kind, &'a str)],
}

impl<'a> PassScope<'a> {
    /// The scope of the service of `component`, which declares ports or
    /// not, and is routed or not, in a workspace declaring the secrets and
    /// configs `declared`.
    pub fn service(
        component: &'a str,
        has_ports: bool,
        routed: bool,
        declared: &'a [(Kind, &'a str)],
    ) -> PassScope<'a> {
        PassScope {
            component,
            has_ports,
            routed,
            hook: false,
            service_volumes: &[],
            service_networks: &[],
            declared,
        }
    }

    /// "a Compose service" or "a `pre_start` hook", for messages.
    pub fn what(&self) -> &'static str {
        if self.hook {
            "a `pre_start` hook"
        } else {
            "a Compose service"
        }
    }
}
