//! One bind mount, in Compose's long syntax.

use serde::Serialize;

/// A host path mounted into the container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BindMount {
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The host path, relative to the compose file's folder or absolute;
    /// may hold run-time references (written as Compose reads them).
    pub source: String,
    /// The path inside the container.
    pub target: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bind: Option<BindOptions>,
}

/// Compose's `bind:` options of a mount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BindOptions {
    /// Create the host folder when it is missing (the long syntax does not
    /// by default).
    pub create_host_path: bool,
}

impl BindMount {
    /// The file or folder `source`, read-only inside the container.
    pub fn read_only(source: String, target: &str) -> BindMount {
        BindMount {
            kind: "bind",
            source,
            target: target.to_string(),
            read_only: true,
            bind: None,
        }
    }

    /// The folder `source`, writable, created on the host when missing.
    pub fn folder(source: String, target: &str) -> BindMount {
        BindMount {
            kind: "bind",
            source,
            target: target.to_string(),
            read_only: false,
            bind: Some(BindOptions {
                create_host_path: true,
            }),
        }
    }
}
