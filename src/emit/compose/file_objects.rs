//! The top-level `secrets:` and `configs:` a Compose file declares: those
//! its services mount, each once, by name.

use std::collections::BTreeMap;

use serde::Serialize;

use super::compose_string;
use crate::model::{Component, FileObject, FileReference, FileSource, Model};

/// Compose rejects a service that mounts a secret or config the file does
/// not declare, so every file declares those of its services, sorted by
/// name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FileObjects {
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub secrets: BTreeMap<String, Declaration>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub configs: BTreeMap<String, Declaration>,
}

/// One declaration: its one source, as Compose spells it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Declaration {
    /// A path that resolves against the workspace root from the file's
    /// folder.
    File(String),
    /// The variable's name.
    Environment(String),
    /// The contents, run-time references kept for Compose to interpolate.
    Content(String),
}

impl FileObjects {
    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty() && self.configs.is_empty()
    }

    /// What `component` mounts; `root` is the workspace root seen from the
    /// compose file's folder. A name the model does not declare is left
    /// out (the analyser refuses it).
    pub fn of_component(model: &Model, component: &Component, root: &str) -> FileObjects {
        let declare = |references: &[FileReference], declared: &[FileObject]| {
            references
                .iter()
                .filter_map(|r| declared.iter().find(|o| o.name == r.source))
                .map(|object| (object.name.clone(), Declaration::new(&object.source, root)))
                .collect()
        };
        FileObjects {
            secrets: declare(&component.secrets, &model.secrets),
            configs: declare(&component.configs, &model.configs),
        }
    }

    /// Adds every declaration of `other`.
    pub fn extend(&mut self, other: &FileObjects) {
        for (name, declaration) in &other.secrets {
            self.secrets
                .entry(name.clone())
                .or_insert_with(|| declaration.clone());
        }
        for (name, declaration) in &other.configs {
            self.configs
                .entry(name.clone())
                .or_insert_with(|| declaration.clone());
        }
    }
}

impl Declaration {
    /// `source` as written into a file whose way back to the workspace
    /// root is `root`.
    pub fn new(source: &FileSource, root: &str) -> Declaration {
        match source {
            FileSource::File(path) => {
                Declaration::File(compose_string::literal(&format!("{root}/{path}")))
            }
            FileSource::Environment(variable) => Declaration::Environment(variable.clone()),
            FileSource::Content(text) => Declaration::Content(text.to_compose()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Text;

    #[test]
    fn files_resolve_against_the_root_and_dollars_are_escaped() {
        let file = Declaration::new(&FileSource::File("secrets/a$b.txt".into()), "../..");
        assert_eq!(file, Declaration::File("../../secrets/a$$b.txt".into()));
        let content = Declaration::new(&FileSource::Content(Text::literal("cost: $5")), "..");
        assert_eq!(content, Declaration::Content("cost: $$5".into()));
    }
}
