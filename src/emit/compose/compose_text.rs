//! A Compose file assembled from services rendered apart.

use std::borrow::Cow;

use indexmap::IndexMap;

use super::{FileObjects, NamedResources, RenderedService};
use crate::emit::yaml;
use crate::model::Network;

/// The text of a Compose file built service by service: the same bytes as
/// serializing the whole [`super::ComposeFile`] (`name`, `services`, then
/// the `networks` and `volumes` its services name), with each service
/// rendered once and possibly shared by many files (borrowed for `'a`).
#[derive(Debug, Clone)]
pub struct ComposeText<'a> {
    name: String,
    /// Service name → its rendered text, in file order.
    services: IndexMap<Cow<'a, str>, Cow<'a, RenderedService>>,
}

impl<'a> ComposeText<'a> {
    /// An empty file for the Compose project `name`.
    pub fn new(name: String) -> ComposeText<'a> {
        ComposeText {
            name,
            services: IndexMap::new(),
        }
    }

    /// Adds the service `name`. A name added again replaces the earlier
    /// service in its place, as inserting into the whole file's map did
    /// (the analyser keeps names unique; this keeps the file valid YAML).
    pub fn push(&mut self, name: impl Into<Cow<'a, str>>, service: Cow<'a, RenderedService>) {
        self.services.insert(name.into(), service);
    }

    /// The file: the generated-file header naming `sources`, then the YAML;
    /// the networks `declared` holds are declared with their settings.
    pub fn finish(self, sources: &[&str], declared: &[Network]) -> String {
        let mut named = NamedResources::default();
        let mut file_objects = FileObjects::default();
        let mut length = 0;
        for service in self.services.values() {
            named.extend(&service.named);
            file_objects.extend(&service.file_objects);
            length += service.text.len();
        }
        named.declare(declared);
        let name = yaml::to_string(&NameOnly { name: &self.name });
        let resources = if named.is_empty() {
            String::new()
        } else {
            yaml::to_string(&named)
        };
        let mut out = yaml::comment_lines(&yaml::document_header(sources));
        out.reserve(name.len() + length + resources.len() + 16);
        out.push_str(&name);
        if self.services.is_empty() {
            out.push_str("services: {}\n");
        } else {
            out.push_str("services:\n");
            for service in self.services.values() {
                out.push_str(&service.text);
            }
        }
        out.push_str(&resources);
        if !file_objects.is_empty() {
            out.push_str(&yaml::to_string(&file_objects));
        }
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out
    }
}

/// The file's first key.
#[derive(serde::Serialize)]
struct NameOnly<'a> {
    name: &'a str,
}
