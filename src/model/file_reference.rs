//! A component's use of a declared secret or config.

/// One entry of a component's `secrets` (a declared `secret`) or
/// `configs`: the object mounted as a file into its containers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FileReference {
    /// The declared secret's or config's name.
    pub source: String,
    /// Where it is mounted, when the spec says: for a secret a file name
    /// under `/run/secrets/` or an absolute path; for a config an absolute
    /// path. `None`: Compose's default, `/run/secrets/SOURCE` for a secret
    /// and `/SOURCE` for a config.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
}
