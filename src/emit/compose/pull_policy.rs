//! When Compose pulls the image of a service that it can also build.

use serde::Serialize;

/// Compose's `pull_policy`, as stackc writes it on services that have a
/// build context (the images a team builds itself); services with only an
/// image keep Compose's default (`missing`: pulled when not present).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PullPolicy {
    /// Built from the context on every `up`, never pulled: test stacks and
    /// fragments test the checkout, not a registry's image of the same name.
    Build,
    /// Pulled on every `up` (what CI pushed for that tag); Compose builds
    /// from the context only when the pull fails: whole-stack files.
    Always,
    /// Pulled when not present (Compose's default), written explicitly on
    /// the `haproxy` service, which has no build context: a release of the
    /// proxy image is pulled once, and a locally built one is never pulled.
    Missing,
}
