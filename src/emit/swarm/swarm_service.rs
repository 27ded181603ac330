//! One service of a stack file: a component, or the `haproxy` edge.

use indexmap::IndexMap;
use serde::Serialize;

use super::{Deploy, PublishedPort};
use crate::emit::compose::{FileMount, FileObjects, Healthcheck, PassThroughValue, ServiceCommand};

/// Fields in the order they are written; empty ones are left out. Never a
/// `build` (Swarm runs images, it builds nothing) and never a `depends_on`
/// condition (a stack file takes only a list, which Swarm ignores).
#[derive(Debug, Clone, Serialize)]
pub struct SwarmService<'m> {
    pub image: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<ServiceCommand>,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub environment: IndexMap<String, String>,
    /// What Swarm judges a task by: it joins the service's DNS only once
    /// healthy, and an update fails when it does not get healthy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub healthcheck: Option<Healthcheck>,
    /// How long a task may drain after SIGTERM; `None` when the
    /// pass-through gives its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop_grace_period: Option<String>,
    /// The direct dependencies, as a plain list: Swarm ignores it (it
    /// starts every service at once); the file says what depends on what.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<PublishedPort>,
    /// The declared secrets it mounts (made from files of the workspace).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<FileMount>,
    /// Swarm configs mounted as files: a component's declared ones, the
    /// `haproxy` service's configuration.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub configs: Vec<FileMount>,
    /// What the stack file must declare for `secrets` and `configs`: not
    /// part of the service.
    #[serde(skip)]
    pub file_objects: FileObjects,
    /// The `compose { }` keys a stack file takes, as written.
    #[serde(flatten)]
    pub pass_through: IndexMap<String, PassThroughValue<'m>>,
    pub deploy: Deploy<'m>,
}
