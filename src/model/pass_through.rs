//! Values of the `compose { }` pass-through block, for what stackc does not model.

use super::Text;

/// The Compose service keys the Model models: the Compose emitter writes
/// them from the component's own fields, so the pass-through may not set
/// them (the analyser refuses them; the emitter relies on that).
pub const MODELLED_COMPOSE_KEYS: &[&str] = &[
    "image",
    "build",
    "command",
    "ports",
    "environment",
    "depends_on",
    "healthcheck",
];

/// A pass-through value, written to the Compose service as given.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum PassValue {
    String(Text),
    Integer(i64),
    Boolean(bool),
    List(Vec<PassValue>),
    /// Keys in the order written.
    Map(Vec<(String, PassValue)>),
}
