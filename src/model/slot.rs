//! The two server slots of a routed component, and the names routing
//! takes: the analyser refuses components that would collide with them and
//! every target writes them from here (see docs/deploy.md, "Slots").

use serde::Serialize;

use crate::shell::variable_suffix;

/// The Compose service that runs HAProxy in each environment's whole-stack
/// file, once some component has a route.
pub const PROXY_SERVICE: &str = "haproxy";

/// One of the two fixed server slots of a routed component's backend. Their
/// roles (stable, canary) swap at every deploy; which one is live is read
/// back from HAProxy, never from a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Slot {
    /// Stable in a new configuration (weight 100); served by the component's
    /// own Compose service.
    Blue,
    /// Idle in a new configuration (weight 0, disabled); served by the
    /// Compose service `COMPONENT-green`, in the profile `slots`.
    Green,
}

impl Slot {
    /// Both slots, blue first.
    pub const ALL: [Slot; 2] = [Slot::Blue, Slot::Green];

    /// `blue` or `green`: the HAProxy server's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Slot::Blue => "blue",
            Slot::Green => "green",
        }
    }

    /// The slot's host name on the environment's network, the default
    /// address of its HAProxy server: `COMPONENT-blue`, `COMPONENT-green`.
    pub fn host(self, component: &str) -> String {
        format!("{component}-{}", self.as_str())
    }

    /// The component whose slot host name `host` is, the inverse of
    /// [`Slot::host`]: `image-resizer` for `image-resizer-blue` and the
    /// blue slot; `None` when `host` is not such a name.
    pub fn component_of(self, host: &str) -> Option<&str> {
        host.strip_suffix(self.as_str())?.strip_suffix('-')
    }

    /// The variable that overrides the slot's address in the HAProxy
    /// configuration: `STACK_SLOT_<COMPONENT>_<SLOT>`.
    pub fn address_variable(self, component: &str) -> String {
        variable("STACK_SLOT", component, self)
    }

    /// The variable that gives Compose the slot's image:
    /// `STACK_IMAGE_<COMPONENT>_<SLOT>`.
    pub fn image_variable(self, component: &str) -> String {
        variable("STACK_IMAGE", component, self)
    }

    /// `<COMPONENT>` in the slot variables: the name upper-cased, `-` as
    /// `_` (`image-resizer` → `IMAGE_RESIZER`).
    pub fn variable_key(component: &str) -> String {
        variable_suffix(component)
    }
}

/// `PREFIX_<COMPONENT>_<SLOT>`: the component's name upper-cased, `-` as `_`.
fn variable(prefix: &str, component: &str, slot: Slot) -> String {
    format!(
        "{prefix}_{}_{}",
        Slot::variable_key(component),
        slot.as_str().to_ascii_uppercase()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn component_of_inverts_host() {
        for slot in Slot::ALL {
            for component in ["api", "image-resizer", "a-blue", "x-green"] {
                assert_eq!(slot.component_of(&slot.host(component)), Some(component));
            }
        }
        assert_eq!(Slot::Blue.component_of("api-green"), None);
        assert_eq!(Slot::Green.component_of("green"), None);
        assert_eq!(Slot::Blue.component_of("apiblue"), None);
    }

    #[test]
    fn names_follow_the_component() {
        assert_eq!(Slot::Blue.host("image-resizer"), "image-resizer-blue");
        assert_eq!(
            Slot::Green.address_variable("image-resizer"),
            "STACK_SLOT_IMAGE_RESIZER_GREEN"
        );
        assert_eq!(Slot::Blue.image_variable("api"), "STACK_IMAGE_API_BLUE");
    }
}
