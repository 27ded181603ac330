//! One imported component: what its `component NAME { }` block says.

use super::environment::EnvEntry;
use super::healthcheck::Health;
use super::lang_value::{write_key, LangValue};
use super::ports::PortEntry;
use super::report::Place;
use super::yaml::Node;

/// A component as the import writes it. Two services of one name in two
/// files are merged when their [`Body`] is equal.
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    pub name: String,
    /// The service's key in the file it came from.
    pub place: Place,
    pub body: Body,
    /// The place of a `build` the import could not carry (its context
    /// leaves DIR, holds no `Dockerfile`, ...): without an `image` the
    /// component would silently take the default image `STACK/NAME`.
    pub unbuilt: Option<Place>,
    /// The service's own keys as written (name, place, value), so that
    /// two declarations that differ can be shown at the key that differs.
    pub keys: Vec<(String, Place, Node)>,
    /// The aliases this service's `links` give the services it links to,
    /// carried onto them once every service is read.
    pub aliases: Vec<LinkAlias>,
}

/// A `links` entry's alias (`db:database`): the linked service `target`
/// gets it as a network alias on `default`.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkAlias {
    /// The linked service's component name.
    pub target: String,
    pub alias: String,
    /// The `links` entry.
    pub place: Place,
}

/// Everything a component says, in the order the block writes it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Body {
    pub image: Option<LangValue>,
    /// `build`: the context (relative to the workspace root) as a string,
    /// or the map with the build's options.
    pub build: Option<LangValue>,
    pub command: Option<LangValue>,
    pub ports: Vec<PortEntry>,
    pub depends_on: Vec<String>,
    /// `secrets = [...]`: the top-level secrets the service reads.
    pub secrets: Option<LangValue>,
    /// `configs = [...]`.
    pub configs: Option<LangValue>,
    pub health: Option<Health>,
    pub env: Vec<EnvEntry>,
    /// The `compose { }` pass-through, keys in the order written.
    pub compose: Vec<(String, LangValue)>,
}

impl Component {
    /// The block's text (laid out by `stackc fmt` afterwards).
    pub fn write(&self) -> String {
        let b = &self.body;
        let mut out = format!("component {} {{\n", self.name);
        if let Some(image) = &b.image {
            out.push_str(&format!("image = {}\n", image.text()));
        }
        if let Some(build) = &b.build {
            out.push_str(&format!("build = {}\n", build.text()));
        }
        if let Some(command) = &b.command {
            out.push_str(&format!("command = {}\n", command.text()));
        }
        if !b.ports.is_empty() {
            let entries = b
                .ports
                .iter()
                .map(|p| (p.name.clone(), p.value()))
                .collect();
            out.push_str(&format!("ports = {}\n", LangValue::Map(entries).text()));
        }
        if !b.depends_on.is_empty() {
            let names = b.depends_on.iter().cloned().map(LangValue::Name).collect();
            out.push_str(&format!("depends_on = {}\n", LangValue::List(names).text()));
        }
        if let Some(secrets) = &b.secrets {
            out.push_str(&format!("secrets = {}\n", secrets.text()));
        }
        if let Some(configs) = &b.configs {
            out.push_str(&format!("configs = {}\n", configs.text()));
        }
        if let Some(health) = &b.health {
            out.push_str("health {\n");
            for (key, value) in health {
                out.push_str(&format!("{key} = {}\n", value.text()));
            }
            out.push_str("}\n");
        }
        if !b.env.is_empty() {
            out.push_str("env {\n");
            for entry in &b.env {
                // A dotted key (`discovery.type`) is written bare: its parts
                // are names.
                if entry.key.contains('.') {
                    out.push_str(&entry.key);
                } else {
                    write_key(&mut out, &entry.key);
                }
                out.push_str(&format!(" = {}\n", entry.value.text()));
            }
            out.push_str("}\n");
        }
        if !b.compose.is_empty() {
            out.push_str("compose {\n");
            for (key, value) in &b.compose {
                write_key(&mut out, key);
                out.push_str(&format!(" = {}\n", value.text()));
            }
            out.push_str("}\n");
        }
        out.push_str("}\n");
        out
    }
}
