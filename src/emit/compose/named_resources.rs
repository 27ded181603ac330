//! The top-level `networks:` and `volumes:` a Compose file must declare.

use std::collections::BTreeMap;

use serde::Serialize;

use super::host_path::{split_short_volume, HostPath};
use super::network_declaration::NetworkDeclaration;
use super::pass_through_rewrite::{is_literal, DEFAULT_NETWORK};
use crate::model::{Network, PassValue};

/// Compose rejects a service that names a volume or network the file does
/// not declare. Each is declared as an empty map (Compose's defaults), sorted
/// by name, but for a network a `network` block declares, which gets its
/// settings ([`NamedResources::declare`]); `default` is Compose's own
/// network and is never declared.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NamedResources {
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub networks: BTreeMap<String, NetworkDeclaration>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub volumes: BTreeMap<String, Empty>,
}

/// Written `{}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Empty {}

impl NamedResources {
    pub fn is_empty(&self) -> bool {
        self.networks.is_empty() && self.volumes.is_empty()
    }

    /// Adds every name `other` declares.
    pub fn extend(&mut self, other: &NamedResources) {
        for (name, declaration) in &other.networks {
            if !self.networks.contains_key(name) {
                self.networks.insert(name.clone(), declaration.clone());
            }
        }
        for name in other.volumes.keys() {
            if !self.volumes.contains_key(name) {
                self.volumes.insert(name.clone(), Empty {});
            }
        }
    }

    /// Records what a service's pass-through key names, and what the keys
    /// of its `pre_start` hooks name.
    pub fn add(&mut self, key: &str, value: &PassValue) {
        match (key, value) {
            ("pre_start", PassValue::List(hooks)) => {
                for hook in hooks {
                    if let PassValue::Map(entries) = hook {
                        for (key, value) in entries {
                            self.add(key, value);
                        }
                    }
                }
            }
            ("volumes", PassValue::List(items)) => {
                for item in items {
                    if let Some(name) = volume_name(item) {
                        self.volumes.insert(name, Empty {});
                    }
                }
            }
            ("networks", PassValue::List(items)) => {
                for item in items {
                    if let PassValue::String(text) = item {
                        self.network(HostPath(text).name());
                    }
                }
            }
            ("networks", PassValue::Map(entries)) => {
                for (name, _) in entries {
                    self.network(Some(name.clone()));
                }
            }
            _ => {}
        }
    }

    fn network(&mut self, name: Option<String>) {
        if let Some(name) = name.filter(|n| n != DEFAULT_NETWORK && !n.is_empty()) {
            self.networks.entry(name).or_default();
        }
    }

    /// Gives each network that `declared` (the Model's `network` blocks)
    /// holds its settings; the others keep Compose's defaults.
    pub fn declare(&mut self, declared: &[Network]) {
        for network in declared {
            if let Some(declaration) = self.networks.get_mut(&network.name) {
                *declaration = NetworkDeclaration::of(network);
            }
        }
    }
}

/// `pgdata:/data[:mode]`, or `{ type = "volume"  source = "pgdata" ... }`.
fn volume_name(item: &PassValue) -> Option<String> {
    match item {
        PassValue::String(spec) => {
            let (source, _) = split_short_volume(spec)?;
            HostPath(&source).name()
        }
        PassValue::Map(entries) => {
            if !entries
                .iter()
                .any(|(k, v)| k == "type" && is_literal(v, "volume"))
            {
                return None;
            }
            entries.iter().find_map(|(k, v)| match v {
                PassValue::String(source) if k == "source" => HostPath(source).name(),
                _ => None,
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Text;

    #[test]
    fn the_names_of_pre_start_hooks_are_declared() {
        let text = |s: &str| PassValue::String(Text::literal(s));
        let hook = PassValue::Map(vec![
            (
                "volumes".into(),
                PassValue::List(vec![text("cache:/cache"), text("./x:/x")]),
            ),
            ("networks".into(), PassValue::List(vec![text("hooks")])),
        ]);
        let mut named = NamedResources::default();
        named.add("pre_start", &PassValue::List(vec![hook]));
        assert_eq!(named.volumes.keys().collect::<Vec<_>>(), ["cache"]);
        assert_eq!(named.networks.keys().collect::<Vec<_>>(), ["hooks"]);
    }
}
