//! A whole stack file, for `docker stack deploy -c`.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde::Serialize;

use super::SwarmService;
use crate::emit::compose::{Ipam, IpamPool, NamedResources};
use crate::model::Network as Declared;

/// The network every service is on unless the pass-through names others
/// (then it is added to them): Compose's `default`, made an overlay
/// network, which spans the swarm's nodes.
pub const DEFAULT_NETWORK: &str = "default";

/// The top level: `version`, `services`, then the networks, volumes,
/// secrets and configs the services use.
#[derive(Debug, Clone, Serialize)]
pub struct StackFile<'m> {
    /// The format `docker stack deploy` validates the file against.
    pub version: &'static str,
    pub services: IndexMap<String, SwarmService<'m>>,
    pub networks: BTreeMap<String, Network>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub volumes: BTreeMap<String, Empty>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub secrets: BTreeMap<String, ConfigFile>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub configs: BTreeMap<String, ConfigFile>,
}

/// A network of the stack: `default` says its driver; the others are
/// `{}`, which `docker stack deploy` makes overlay networks too, or hold
/// what the format 3.8 takes of a declared network's settings: `external`,
/// `internal` and an IPv4 `subnet` (never its driver: a stack's networks
/// are overlay networks; nor `gateway`, `ip_range` or IPv6, which 3.8 has
/// no place for, and the analyser warns about).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Network {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub driver: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub internal: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ipam: Option<Ipam>,
}

impl Network {
    /// What a stack file declares of the declared network `network`.
    pub fn declared(network: &Declared) -> Network {
        let subnet = network.subnet.filter(|s| !s.is_ipv6());
        Network {
            external: network.external.then_some(true),
            driver: None,
            internal: network.internal.then_some(true),
            ipam: subnet.map(|subnet| Ipam {
                config: vec![IpamPool {
                    subnet: subnet.to_string(),
                    gateway: None,
                    ip_range: None,
                }],
            }),
        }
    }
}

/// Written `{}`: a named volume with Docker's defaults (a local volume on
/// each node that runs a task mounting it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Empty {}

/// A Swarm config or secret made from a file. Neither can change: the
/// edge's `name` carries the file's digest, so new contents make a new
/// config, and the service that mounts it is updated; a declared one is
/// named `STACK-ENV_KEY` by `docker stack deploy` (no `name`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfigFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Relative to the stack file's folder.
    pub file: String,
}

impl<'m> StackFile<'m> {
    /// The file of `services`, declaring the overlay network `default`
    /// and every network and volume the services' pass-through names (a
    /// network in `declared` with its settings).
    pub fn new(
        services: IndexMap<String, SwarmService<'m>>,
        secrets: BTreeMap<String, ConfigFile>,
        configs: BTreeMap<String, ConfigFile>,
        declared: &[Declared],
    ) -> StackFile<'m> {
        let mut named = NamedResources::default();
        for service in services.values() {
            for (key, value) in &service.pass_through {
                named.add(key, &value.0);
            }
        }
        let mut networks = BTreeMap::from([(
            DEFAULT_NETWORK.to_string(),
            Network {
                driver: Some("overlay"),
                ..Network::default()
            },
        )]);
        for name in named.networks.keys() {
            let network = declared
                .iter()
                .find(|d| d.name == *name)
                .map(Network::declared)
                .unwrap_or_default();
            networks.entry(name.clone()).or_insert(network);
        }
        StackFile {
            version: super::VERSION,
            services,
            networks,
            volumes: named
                .volumes
                .keys()
                .map(|n| (n.clone(), Empty {}))
                .collect(),
            secrets,
            configs,
        }
    }
}
