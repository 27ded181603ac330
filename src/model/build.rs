//! How a component's image is built: Compose's `build:` section, with the
//! options stackc carries (`dockerfile`, `target`, `args`, `labels`).

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::Text;

/// A build: its context and the options the spec gives. Serialized as the
/// context alone (a string, as before options existed) when it has no
/// options, so the Model of a spec that writes `build = "web"` is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Build {
    /// The build context, relative to the workspace root, `/`-separated
    /// (`.` for the root itself).
    pub context: String,
    /// The Dockerfile, relative to the context, `/`-separated (Compose's
    /// rule for `build.dockerfile`); `None` for the context's `Dockerfile`.
    pub dockerfile: Option<String>,
    /// The build stage to build (`docker build --target`), as written.
    pub target: Option<String>,
    /// Build arguments (`ARG` values), in the order written; values may
    /// hold run-time references.
    pub args: Vec<(String, Text)>,
    /// Labels put on the image, in the order written; values may hold
    /// run-time references.
    pub labels: Vec<(String, Text)>,
}

impl Build {
    /// A build of `context` with no options.
    pub fn context(context: impl Into<String>) -> Build {
        Build {
            context: context.into(),
            ..Build::default()
        }
    }

    /// Whether any option is given (Compose then gets the map form).
    pub fn has_options(&self) -> bool {
        self.dockerfile.is_some()
            || self.target.is_some()
            || !self.args.is_empty()
            || !self.labels.is_empty()
    }

    /// The Dockerfile's path relative to the workspace root, `/`-separated,
    /// `..` resolved (the analyser checked that it stays inside).
    pub fn dockerfile_path(&self) -> String {
        let file = self.dockerfile.as_deref().unwrap_or("Dockerfile");
        let joined = if self.context == "." {
            file.to_string()
        } else {
            format!("{}/{file}", self.context)
        };
        crate::lexical_path::relative_parts(&joined)
            .map(|parts| parts.join("/"))
            .unwrap_or(joined)
    }
}

impl Serialize for Build {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if !self.has_options() {
            return serializer.serialize_str(&self.context);
        }
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("context", &self.context)?;
        if let Some(dockerfile) = &self.dockerfile {
            map.serialize_entry("dockerfile", dockerfile)?;
        }
        if let Some(target) = &self.target {
            map.serialize_entry("target", target)?;
        }
        if !self.args.is_empty() {
            map.serialize_entry("args", &self.args)?;
        }
        if !self.labels.is_empty() {
            map.serialize_entry("labels", &self.labels)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_context_alone_serializes_as_the_string() {
        let json = serde_json::to_string(&Build::context("web")).unwrap();
        assert_eq!(json, "\"web\"");
        let mut build = Build::context("web");
        build.target = Some("runtime".into());
        let json = serde_json::to_string(&build).unwrap();
        assert_eq!(json, r#"{"context":"web","target":"runtime"}"#);
    }

    #[test]
    fn the_dockerfile_path_is_under_the_context() {
        let mut build = Build::context(".");
        assert_eq!(build.dockerfile_path(), "Dockerfile");
        build.dockerfile = Some("docker/prod.Dockerfile".into());
        assert_eq!(build.dockerfile_path(), "docker/prod.Dockerfile");
        build.context = "web".into();
        assert_eq!(build.dockerfile_path(), "web/docker/prod.Dockerfile");
        build.dockerfile = Some("../docker/web.Dockerfile".into());
        assert_eq!(build.dockerfile_path(), "docker/web.Dockerfile");
    }
}
