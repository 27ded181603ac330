//! The top-level `networks`, `secrets` and `configs` of the files, as the
//! Stackfile's `network`, `secret` and `config` blocks, and the names the
//! services may refer to. Named volumes need no block: stackc declares
//! each a component mounts, with Compose's defaults.

use std::collections::BTreeMap;

use crate::diagnostic::{Code, Diagnostic};

use super::compose_file::ComposeFile;
use super::lang_value::{compose_string, LangValue};
use super::paths::{rebase, Rebased};
use super::report::{Place, Reporter};
use super::service::component_name;
use super::yaml::{Key, Node, Value};

/// The blocks, and which names each kind declares (Compose name →
/// the language's name).
#[derive(Debug, Default)]
pub struct TopLevel {
    /// `(kind, name) → (text of the block, where it was declared)`.
    blocks: BTreeMap<(&'static str, String), (String, Place)>,
    pub secrets: BTreeMap<String, String>,
    pub configs: BTreeMap<String, String>,
}

impl TopLevel {
    /// The blocks' text, networks then secrets then configs, each by name.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for kind in ["network", "secret", "config"] {
            for ((k, _), (text, _)) in &self.blocks {
                if *k == kind {
                    out.push_str(text);
                }
            }
        }
        out
    }
}

/// Reads every file's `networks`, `secrets` and `configs`.
pub fn read(files: &[ComposeFile], root: &str, report: &mut Reporter) -> TopLevel {
    let mut top = TopLevel::default();
    for file in files.iter().filter(|f| !f.fig) {
        for (section, kind) in [
            ("networks", "network"),
            ("secrets", "secret"),
            ("configs", "config"),
        ] {
            let Some(entries) = file.root.get(section).and_then(Node::as_map) else {
                continue;
            };
            for (key, value) in entries {
                let place = Place::key(file.file, key);
                let Some(name) = component_name(&key.name) else {
                    report.dropped(
                        place,
                        format!("the {kind} `{}` is not imported: its name breaks the language's name rules", key.name),
                        "rename it with lower-case letters, digits, `-` and `_`",
                    );
                    continue;
                };
                // One report for an external secret or config, at its name:
                // it has no source to import.
                if kind != "network" && value.get("external").is_some() {
                    report.dropped(
                        place,
                        format!(
                            "the {kind} `{}` is `external` (made outside Compose, by Swarm): it is not imported",
                            key.name
                        ),
                        format!(
                            "give it a source the language takes: `file` or `{}`",
                            if kind == "secret" { "environment" } else { "content" }
                        ),
                    );
                    continue;
                }
                let attributes = match kind {
                    "network" => network(file, key, value, report),
                    _ => source(kind, file, value, root, report),
                };
                let Some(attributes) = attributes else {
                    continue;
                };
                let mut text = format!("{kind} {name} {{\n");
                for (k, v) in &attributes {
                    text.push_str(&format!("{k} = {}\n", v.text()));
                }
                text.push_str("}\n");
                match top.blocks.get(&(kind, name.clone())) {
                    Some((first, at)) if *first != text => report.push(
                        Diagnostic::error(
                            Code::ImportConflict,
                            format!(
                                "the {kind} `{}` is declared differently in two files",
                                key.name
                            ),
                        )
                        .at(place.span())
                        .also(at.span(), "and differently here")
                        .with_help("make the two declarations the same"),
                    ),
                    Some(_) => {}
                    None => {
                        if kind == "network" && attributes.is_empty() {
                            // Compose's defaults: stackc declares it where used.
                        } else {
                            top.blocks.insert((kind, name.clone()), (text, place));
                        }
                    }
                }
                match kind {
                    "secret" => {
                        top.secrets.insert(key.name.clone(), name);
                    }
                    "config" => {
                        top.configs.insert(key.name.clone(), name);
                    }
                    _ => {}
                }
            }
        }
    }
    top
}

fn network(
    file: &ComposeFile,
    key: &Key,
    value: &Node,
    report: &mut Reporter,
) -> Option<Vec<(String, LangValue)>> {
    let mut out = Vec::new();
    let Some(entries) = value.as_map() else {
        return (value.value == Value::Null).then(Vec::new);
    };
    if key.name == "default" && !entries.is_empty() {
        report.dropped(
            Place::key(file.file, key),
            "the settings of the `default` network are not imported",
            "stackc writes the project's default network with Compose's defaults",
        );
        return None;
    }
    for (k, v) in entries {
        let at = Place::key(file.file, k);
        match (k.name.as_str(), &v.value) {
            ("driver", Value::String(s)) => out.push(("driver".into(), LangValue::literal(s))),
            ("internal" | "external", Value::Bool(b)) => {
                out.push((k.name.clone(), LangValue::Bool(*b)))
            }
            ("ipam", _) => {
                let configs = v.get("config").and_then(Node::as_list).unwrap_or_default();
                for (i, config) in configs.iter().enumerate() {
                    if i > 0 {
                        report.dropped(
                            Place::of(file.file, config),
                            "a second `ipam.config` entry is not imported",
                            "a network declares one subnet",
                        );
                        continue;
                    }
                    for (ck, cv) in config.as_map().unwrap_or_default() {
                        match (ck.name.as_str(), cv.as_str()) {
                            ("subnet" | "gateway" | "ip_range", Some(s)) => {
                                out.push((ck.name.clone(), LangValue::literal(s)))
                            }
                            _ => report.dropped(
                                Place::key(file.file, ck),
                                format!("`ipam.config.{}` is not imported", ck.name),
                                "a network takes `subnet`, `gateway` and `ip_range`",
                            ),
                        }
                    }
                }
                for (ik, _) in v.as_map().unwrap_or_default() {
                    if ik.name != "config" {
                        report.dropped(
                            Place::key(file.file, ik),
                            format!("`ipam.{}` is not imported", ik.name),
                            "a network takes `subnet`, `gateway` and `ip_range`",
                        );
                    }
                }
            }
            (other, _) => report.dropped(
                at,
                format!("the network setting `{other}` is not imported"),
                "a network takes `driver`, `internal`, `external` and one `ipam.config`",
            ),
        }
    }
    Some(out)
}

fn source(
    kind: &str,
    file: &ComposeFile,
    value: &Node,
    root: &str,
    report: &mut Reporter,
) -> Option<Vec<(String, LangValue)>> {
    let mut out = Vec::new();
    for (k, v) in value.as_map().unwrap_or_default() {
        let at = Place::key(file.file, k);
        match (k.name.as_str(), &v.value) {
            ("file", Value::String(path)) => match rebase(path, &file.folder, root) {
                Rebased::Inside(rel) => out.push(("file".into(), LangValue::literal(&rel))),
                Rebased::Absolute => out.push(("file".into(), LangValue::literal(path))),
                Rebased::Outside => report.outside(Place::of(file.file, v), path),
            },
            ("environment", Value::String(var)) if kind == "secret" => {
                out.push(("environment".into(), LangValue::literal(var)))
            }
            ("content", Value::String(text)) if kind == "config" => {
                let mut losses = Vec::new();
                let written = compose_string(v, text, &mut losses);
                for loss in losses {
                    report.approximated(
                        Place::of(file.file, loss.node),
                        loss.what,
                        "write the value in a form the language takes",
                    );
                }
                out.push(("content".into(), LangValue::String(written)));
            }
            (other, _) => report.dropped(
                at,
                format!("the {kind} setting `{other}` is not imported"),
                format!(
                    "a {kind} takes `file` or `{}`",
                    if kind == "secret" {
                        "environment"
                    } else {
                        "content"
                    }
                ),
            ),
        }
    }
    if out.is_empty() {
        report.dropped(
            Place::of(file.file, value),
            format!("a {kind} without a source the language takes is not imported"),
            format!(
                "give it `file` or `{}`",
                if kind == "secret" {
                    "environment"
                } else {
                    "content"
                }
            ),
        );
        return None;
    }
    Some(out)
}
