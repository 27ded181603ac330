//! Which kind of Compose file a document is, and its parts: the 2014-era
//! fig format (the top level is the map of services, no `services` or
//! `version` key), version 2.x and 3.x files and the Compose specification
//! (a `services` map; `version` is ignored, as Compose ignores it), with
//! `include` followed and the top-level keys that are not services read
//! or reported.

use crate::diagnostic::Code;
use crate::source::FileId;

use super::report::{Place, Reporter};
use super::yaml::{Key, Node, Value};

/// One Compose file, read.
#[derive(Debug, Clone)]
pub struct ComposeFile {
    pub file: FileId,
    /// Absolute, `/`-separated.
    pub path: String,
    /// The file's folder, absolute, `/`-separated.
    pub folder: String,
    pub root: Node,
    /// True for the fig format.
    pub fig: bool,
}

impl ComposeFile {
    /// The services, in the order written.
    pub fn services(&self) -> &[(Key, Node)] {
        let map = if self.fig {
            self.root.as_map()
        } else {
            self.root.get("services").and_then(Node::as_map)
        };
        map.unwrap_or_default()
    }

    /// The project name the file sets (`name:`).
    pub fn name(&self) -> Option<String> {
        if self.fig {
            return None;
        }
        self.root.get("name").and_then(Node::scalar_text)
    }

    /// The files `include` names, relative to this file's folder, with
    /// where each is named.
    pub fn includes(&self) -> Vec<(String, Place)> {
        let mut out = Vec::new();
        if self.fig {
            return out;
        }
        let Some(items) = self.root.get("include").and_then(Node::as_list) else {
            return out;
        };
        for item in items {
            let place = Place::of(self.file, item);
            match &item.value {
                Value::String(s) => out.push((s.clone(), place)),
                Value::Map(_) => match item.get("path").map(|p| &p.value) {
                    Some(Value::String(s)) => out.push((s.clone(), place)),
                    Some(Value::List(paths)) => {
                        // Several files merged into one project: each is read
                        // as more input.
                        out.extend(
                            paths
                                .iter()
                                .filter_map(|p| Some((p.as_str()?.to_string(), place))),
                        );
                    }
                    _ => {}
                },
                _ => {}
            }
        }
        out
    }
}

/// Decides what kind of file `root` is; `None` (with an error) when it is
/// no Compose file.
pub fn classify(root: &Node, file: FileId, report: &mut Reporter) -> Option<bool> {
    let Some(entries) = root.as_map() else {
        if root.value == Value::Null {
            return Some(false);
        }
        report.error(
            Code::ImportNotCompose,
            Some(Place::of(file, root)),
            "this is not a Compose file: its top level is not a map",
            "a Compose file maps `services:` to services (or, in the fig format, service names to services)",
        );
        return None;
    };
    let spec = entries.iter().any(|(k, _)| {
        matches!(
            k.name.as_str(),
            "services"
                | "version"
                | "include"
                | "name"
                | "networks"
                | "volumes"
                | "secrets"
                | "configs"
        )
    });
    if spec {
        if let Some(services) = root.get("services") {
            if services.as_map().is_none() && services.value != Value::Null {
                report.error(
                    Code::ImportNotCompose,
                    Some(Place::of(file, services)),
                    "`services` is not a map of services",
                    "write `services:` followed by `NAME:` and each service's settings",
                );
                return None;
            }
        }
        return Some(false);
    }
    // The fig format: every top-level value is a service's map.
    for (key, value) in entries {
        if key.name.starts_with("x-") {
            continue;
        }
        if value.as_map().is_none() {
            report.error(
                Code::ImportNotCompose,
                Some(Place::key(file, key)),
                format!("this is not a Compose file: `{}` is neither a Compose key nor a service", key.name),
                "a Compose file maps `services:` to services (or, in the fig format, service names to services)",
            );
            return None;
        }
    }
    Some(true)
}

/// Reports the top-level keys the import does not carry (each once).
pub fn report_top_level(compose: &ComposeFile, report: &mut Reporter) {
    if compose.fig {
        return;
    }
    let Some(entries) = compose.root.as_map() else {
        return;
    };
    for (key, value) in entries {
        let place = Place::key(compose.file, key);
        match key.name.as_str() {
            "services" | "version" | "name" => {}
            "include" => {
                for item in value.as_list().unwrap_or_default() {
                    for (k, _) in item.as_map().unwrap_or_default() {
                        if k.name != "path" {
                            report.dropped(
                                Place::key(compose.file, k),
                                format!("`include.{}` is not imported: the included files are read as more input, from their own folders", k.name),
                                "move the settings into the included file",
                            );
                        }
                    }
                }
            }
            k if k.starts_with("x-") => {}
            "networks" | "secrets" | "configs" => {} // src/import/top_level.rs
            "volumes" => {
                for (name, config) in value.as_map().unwrap_or_default() {
                    // `driver: local` is Compose's default driver.
                    let defaults = match &config.value {
                        Value::Null => true,
                        Value::Map(m) => m
                            .iter()
                            .all(|(k, v)| k.name == "driver" && v.as_str() == Some("local")),
                        _ => false,
                    };
                    if !defaults {
                        report.dropped(
                            Place::key(compose.file, name),
                            format!(
                                "the settings of the volume `{}` are not imported: stackc declares it with Compose's defaults",
                                name.name
                            ),
                            "check that the defaults do: a local volume of the project",
                        );
                    }
                }
            }
            "models" => report.dropped(
                place,
                format!("the top-level `{}` are not imported", key.name),
                "mount the files read-only instead: `volumes: [\"./secrets/db_password:/run/secrets/db_password:ro\"]`",
            ),
            other => report.dropped(
                place,
                format!("`{other}` is not a top-level key of a Compose file"),
                "check its spelling against the Compose specification",
            ),
        }
    }
}
