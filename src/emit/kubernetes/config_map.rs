//! A component's ConfigMap: its plain variables' values in one environment.

use indexmap::IndexMap;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::object_meta::ObjectMeta;
use super::run_time_default::with_defaults;
use crate::model::Component;

/// `COMPONENT.configmap.yaml`: every variable of the component's `env`
/// (feature toggles included) that `secrets` does not list, by name, with
/// its value in the environment. Named after the component.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigMap {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub metadata: ObjectMeta,
    pub data: IndexMap<String, String>,
}

impl ConfigMap {
    /// `component`'s ConfigMap in `environment`; `None` when every variable
    /// is a secret or it has none. Values are literal in a Kubernetes
    /// environment (the analyser makes sure: E0127).
    pub fn of(stack: &str, component: &Component, environment: &str) -> Option<ConfigMap> {
        let data: IndexMap<String, String> = component
            .env
            .iter()
            .filter(|var| !var.secret)
            .map(|var| {
                let value = var
                    .value(environment)
                    .map(with_defaults)
                    .unwrap_or_default();
                (var.name.clone(), value)
            })
            .collect();
        if data.is_empty() {
            return None;
        }
        Some(ConfigMap {
            api_version: "v1",
            kind: "ConfigMap",
            metadata: ObjectMeta::new(component.name.clone(), stack, &component.name),
            data,
        })
    }

    /// The SHA-256 of the data, in hex: each `NAME=VALUE` with its length
    /// first, so no two different maps hash alike.
    pub fn data_hash(&self) -> String {
        let mut hasher = Sha256::new();
        for (name, value) in &self.data {
            for part in [name, value] {
                hasher.update((part.len() as u64).to_be_bytes());
                hasher.update(part.as_bytes());
            }
        }
        hasher
            .finalize()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }
}
