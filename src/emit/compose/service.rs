//! One Compose service: a component or a fixture loader.

use std::borrow::Cow;

use indexmap::IndexMap;
use serde::Serialize;

use super::{
    BindMount, BuildContext, Dependency, FileMount, FileObjects, Healthcheck, PassThroughValue,
    PortMapping, PullPolicy, ServiceCommand,
};

/// Fields in the order they are written; empty ones are left out. Maps keep
/// insertion order (the spec's order); inserting a key again replaces its
/// value in place, so YAML never holds a duplicate key.
#[derive(Debug, Clone, Serialize)]
pub struct Service<'m> {
    pub image: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build: Option<BuildContext>,
    /// Set on services with a build context (see [`PullPolicy`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pull_policy: Option<PullPolicy>,
    /// The profiles that start it; empty: every `up` starts it (the green
    /// slot is in `slots`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub profiles: Vec<String>,
    /// A component's command as the spec gives it; a fixture loader's in
    /// the exec form, so Compose never splits a shell line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<ServiceCommand>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restart: Option<&'static str>,
    /// `UID:GID` the container runs as (the `haproxy` service).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub depends_on: IndexMap<String, Dependency>,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub environment: IndexMap<String, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<PortMapping>,
    /// Bind mounts stackc writes (the `haproxy` service's configuration and
    /// state); a component's own volumes are pass-through.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub volumes: Vec<BindMount>,
    /// Labels stackc writes (the `haproxy` service's configuration
    /// checksum); a component's own labels are pass-through.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub labels: IndexMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Shared by every service of the component (see
    /// [`super::SharedParts`]).
    pub healthcheck: Option<Cow<'m, Healthcheck>>,
    /// The declared secrets it mounts (the component's `secrets`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<FileMount>,
    /// The declared configs it mounts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub configs: Vec<FileMount>,
    /// What the file must declare at its top level for `secrets` and
    /// `configs`: not part of the service.
    #[serde(skip)]
    pub file_objects: FileObjects,
    /// The `compose { }` block, merged into the service.
    #[serde(flatten)]
    pub pass_through: IndexMap<String, PassThroughValue<'m>>,
}

impl<'m> Service<'m> {
    pub fn new(image: String) -> Service<'m> {
        Service {
            image,
            build: None,
            pull_policy: None,
            profiles: Vec::new(),
            command: None,
            restart: None,
            user: None,
            depends_on: IndexMap::new(),
            environment: IndexMap::new(),
            ports: Vec::new(),
            volumes: Vec::new(),
            labels: IndexMap::new(),
            healthcheck: None,
            secrets: Vec::new(),
            configs: Vec::new(),
            file_objects: FileObjects::default(),
            pass_through: IndexMap::new(),
        }
    }

    /// Adds a pass-through key unless stackc already writes that key: a YAML
    /// mapping must not repeat a key. (The analyser rejects the keys in
    /// `crate::model::MODELLED_COMPOSE_KEYS`, so this only keeps the
    /// emitter total.)
    pub fn pass_through(&mut self, key: &str, value: PassThroughValue<'m>) {
        let taken = match key {
            "image" => true,
            "build" => self.build.is_some(),
            "pull_policy" => self.pull_policy.is_some(),
            "profiles" => !self.profiles.is_empty(),
            "command" => self.command.is_some(),
            "restart" => self.restart.is_some(),
            "user" => self.user.is_some(),
            "depends_on" => !self.depends_on.is_empty(),
            "environment" => !self.environment.is_empty(),
            "ports" => !self.ports.is_empty(),
            "volumes" => !self.volumes.is_empty(),
            "labels" => !self.labels.is_empty(),
            "healthcheck" => self.healthcheck.is_some(),
            "secrets" => !self.secrets.is_empty(),
            "configs" => !self.configs.is_empty(),
            _ => false,
        };
        if !taken {
            self.pass_through.insert(key.to_string(), value);
        }
    }
}
