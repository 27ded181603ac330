//! A service's `build:` section.

use indexmap::IndexMap;
use serde::Serialize;

use crate::model::{Build, Text};

/// Compose resolves a relative context against the compose file's folder,
/// so the spec's context (relative to the workspace root) is prefixed with
/// the way from that folder back to the root. The options follow Compose's
/// own keys; `dockerfile` stays relative to the context, as Compose reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuildContext {
    pub context: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dockerfile: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Values with literal `$` doubled, run-time references kept.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub args: IndexMap<String, String>,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub labels: IndexMap<String, String>,
}

impl BuildContext {
    /// The section for a component's `build`: its context rebased as
    /// [`BuildContext::new`] does, its options as Compose writes them.
    pub fn of_build(root: &str, build: &Build) -> BuildContext {
        let compose = |values: &[(String, Text)]| -> IndexMap<String, String> {
            values
                .iter()
                .map(|(name, value)| (name.clone(), value.to_compose()))
                .collect()
        };
        BuildContext {
            dockerfile: build
                .dockerfile
                .as_deref()
                .map(super::compose_string::literal),
            target: build.target.clone(),
            args: compose(&build.args),
            labels: compose(&build.labels),
            ..BuildContext::new(root, &build.context)
        }
    }

    /// `root` is the workspace root seen from the compose file's folder,
    /// `/`-separated; `context` is relative to the workspace root.
    pub fn new(root: &str, context: &str) -> BuildContext {
        let context = context.trim_start_matches("./").trim_end_matches('/');
        let joined = if context.is_empty() || context == "." {
            root.to_string()
        } else {
            format!("{root}/{context}")
        };
        BuildContext {
            context: super::compose_string::literal(&joined),
            dockerfile: None,
            target: None,
            args: IndexMap::new(),
            labels: IndexMap::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_to_the_root() {
        assert_eq!(
            BuildContext::new("../../..", "services/api").context,
            "../../../services/api"
        );
        assert_eq!(BuildContext::new("../../..", ".").context, "../../..");
        assert_eq!(
            BuildContext::new("../../..", "./web/").context,
            "../../../web"
        );
    }
}
