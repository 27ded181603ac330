//! A container's environment variable, read from the component's ConfigMap
//! or from its Secret.

use serde::Serialize;

/// The Secret a component's `secrets` are read from: `COMPONENT-secrets`,
/// one key per variable, named as the variable. stackc never writes it.
pub fn secret_name(component: &str) -> String {
    format!("{component}-secrets")
}

/// Kubernetes' `EnvVar`, always with `valueFrom`: stackc writes no value
/// into a pod template, so a value holding `$(NAME)` is never expanded by
/// Kubernetes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvVar {
    pub name: String,
    pub value_from: EnvVarSource,
}

/// Where a variable's value comes from: exactly one field is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvVarSource {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config_map_key_ref: Option<KeySelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_key_ref: Option<KeySelector>,
}

/// A key of a ConfigMap or Secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeySelector {
    pub name: String,
    pub key: String,
}

impl EnvVar {
    /// `name`, read from the key `name` of the ConfigMap `config_map`.
    pub fn from_config_map(name: &str, config_map: &str) -> EnvVar {
        EnvVar {
            name: name.to_string(),
            value_from: EnvVarSource {
                config_map_key_ref: Some(KeySelector {
                    name: config_map.to_string(),
                    key: name.to_string(),
                }),
                secret_key_ref: None,
            },
        }
    }

    /// `name`, read from the key `name` of `component`'s Secret.
    pub fn from_secret(name: &str, component: &str) -> EnvVar {
        EnvVar {
            name: name.to_string(),
            value_from: EnvVarSource {
                config_map_key_ref: None,
                secret_key_ref: Some(KeySelector {
                    name: secret_name(component),
                    key: name.to_string(),
                }),
            },
        }
    }
}
