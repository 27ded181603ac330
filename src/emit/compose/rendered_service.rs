//! One service of a Compose file, rendered to YAML text on its own, so that
//! files holding the same service with the same inputs share the text.

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::{FileObjects, NamedResources, Service};
use crate::emit::yaml;

/// The top-level key the pieces sit under.
const SERVICES_KEY: &str = "services";

/// A service as it appears in a Compose file under `services:`: the lines
/// `  NAME:` and its fields (indented as in the whole file, LF-terminated),
/// with the named networks and volumes it uses (which the file declares at
/// its top level).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderedService {
    /// `  NAME:\n    image: ...\n...`: every line ends in `\n`.
    pub text: String,
    pub named: NamedResources,
    /// The secrets and configs it mounts, which the file declares.
    pub file_objects: FileObjects,
}

impl RenderedService {
    /// `service` under the key `name`, rendered at the depth it has in a
    /// Compose file, so the text is what serializing the whole file writes
    /// for it: serde-saphyr writes a map entry without looking at its
    /// siblings, and its line folding depends on the column, which is the
    /// same here.
    pub fn new(name: &str, service: &Service<'_>) -> RenderedService {
        let mut named = NamedResources::default();
        for (key, value) in service.pass_through.iter() {
            named.add(key, &value.0);
        }
        let whole = yaml::to_string(&Entry(SERVICES_KEY, &Entry(name, service)));
        let text = match whole
            .strip_prefix(SERVICES_KEY)
            .and_then(|t| t.strip_prefix(":\n"))
        {
            Some(piece) => piece.to_string(),
            // Never expected (the key is plain); kept total all the same.
            None => whole,
        };
        RenderedService {
            text,
            named,
            file_objects: service.file_objects.clone(),
        }
    }
}

/// A map of one entry.
struct Entry<'a, V>(&'a str, &'a V);

impl<V: Serialize> Serialize for Entry<'_, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(self.0, self.1)?;
        map.end()
    }
}
