//! A service's `build:` section.

use serde::Serialize;

/// Compose resolves a relative context against the compose file's folder,
/// so the spec's context (relative to the workspace root) is prefixed with
/// the way from that folder back to the root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuildContext {
    pub context: String,
}

impl BuildContext {
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
