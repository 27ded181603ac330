//! A top-level `secret NAME { }` or `config NAME { }`: Compose's secrets
//! and configs, files mounted into the containers that ask for them.

use super::Text;

/// A secret or a config the workspace declares (Compose's top-level
/// `secrets:` / `configs:` entry), with where its contents come from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FileObject {
    /// Its key under the Compose file's `secrets:` or `configs:`; letters,
    /// digits, `_` and `-`, starting and ending with a letter or digit (what
    /// Swarm takes for the names of its secrets and configs).
    pub name: String,
    pub source: FileSource,
}

/// Where a secret's or a config's contents come from: exactly one source,
/// as Compose takes it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileSource {
    /// A file, relative to the workspace root, `/`-separated, inside it.
    File(String),
    /// The value of this variable where Compose runs (a variable name).
    Environment(String),
    /// The contents inline (configs only); may hold run-time references,
    /// which Compose interpolates.
    Content(Text),
}
