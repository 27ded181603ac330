//! `extends`: a service built on another (in the same file or in
//! `file:`), resolved before it is written, as Compose resolves it: the
//! base's settings, with the service's own on top (maps such as
//! `environment` merged by key, `ports` and `depends_on` added).

use std::collections::BTreeSet;

use crate::diagnostic::Code;
use crate::source::SourceMap;

use super::component::{Body, Component};
use super::compose_file::ComposeFile;
use super::report::{Place, Reporter};
use super::service::{convert, turns_health_off, Context};
use super::top_level::TopLevel;
use super::yaml::{Node, Value};
use super::{read_file, FileSystem, Request};

/// How deep `extends` may chain (a cycle stops here).
const MAX_DEPTH: usize = 8;

/// What every service is read against.
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    pub request: &'a Request<'a>,
    pub fs: &'a dyn FileSystem,
    pub known: &'a BTreeSet<String>,
    pub top: &'a TopLevel,
}

/// Applies the `extends` of `node` (a service of `file`) to `component`.
#[allow(clippy::too_many_arguments)]
pub fn apply(
    component: &mut Component,
    node: &Node,
    file: &ComposeFile,
    files: &[ComposeFile],
    scope: Scope,
    sources: &mut SourceMap,
    report: &mut Reporter,
    depth: usize,
) {
    let Scope {
        request,
        fs,
        known,
        top,
    } = scope;
    let Some(extends) = node.get("extends") else {
        return;
    };
    let place = Place::of(file.file, extends);
    let (service, other) = match &extends.value {
        Value::String(s) => (s.clone(), None),
        Value::Map(_) => match extends.get("service").and_then(Node::scalar_text) {
            Some(s) => (s, extends.get("file").and_then(Node::scalar_text)),
            None => {
                report.error(
                    Code::ImportReference,
                    Some(place),
                    "`extends` names no `service`",
                    "write `extends: { service: NAME }`",
                );
                return;
            }
        },
        _ => {
            report.error(
                Code::ImportReference,
                Some(place),
                "`extends` is neither a service name nor a map",
                "write `extends: { service: NAME, file: FILE }`",
            );
            return;
        }
    };
    if depth >= MAX_DEPTH {
        report.error(
            Code::ImportReference,
            Some(place),
            "`extends` goes round in a cycle (or deeper than 8 services)",
            "break the chain",
        );
        return;
    }
    // The base's file: this one, one already read, or one read now.
    let loaded;
    let base_file: &ComposeFile = match other {
        None => file,
        Some(path) => {
            let absolute = super::paths::normalise(&if path.starts_with('/') {
                path.clone()
            } else {
                format!("{}/{path}", file.folder)
            })
            .unwrap_or_default();
            match files.iter().find(|f| f.path == absolute) {
                Some(found) => found,
                None => match read_file(&absolute, Some(place), request, fs, sources, report) {
                    Some(read) => {
                        loaded = read;
                        &loaded
                    }
                    None => return,
                },
            }
        }
    };
    let Some((key, base_node)) = base_file.services().iter().find(|(k, _)| k.name == service)
    else {
        report.error(
            Code::ImportReference,
            Some(place),
            format!("`extends` names the service `{service}`, which the file does not declare"),
            "name a service of that file",
        );
        return;
    };
    // A base that is itself imported reports its own keys once, when it is
    // converted as a component; one from another file reports here.
    let imported = files.iter().any(|f| f.path == base_file.path);
    let mut quiet = Reporter::default();
    let sink = if imported { &mut quiet } else { &mut *report };
    let cx = Context {
        file: base_file.file,
        folder: &base_file.folder,
        root: request.root,
        services: known,
        top,
        fs,
    };
    let mut base = convert(&component.name, key, base_node, &cx, sink);
    apply(
        &mut base,
        base_node,
        base_file,
        files,
        scope,
        sources,
        sink,
        depth + 1,
    );
    if imported {
        // Errors still count (a broken chain).
        for d in quiet.diagnostics.iter().filter(|d| d.is_error()) {
            report.push(d.clone());
        }
    }
    // `!reset` and `!override` on the service's own keys: the base's value
    // is not merged in (the service's own, if any, replaces it).
    for (key, _) in node.as_map().unwrap_or_default() {
        if key.tag.is_some() {
            forget(&mut base, &key.name);
        }
    }
    // A check turned off is not the base's check either (Compose keeps
    // the base's `test` with `disable: true`: no check runs).
    if node.get("healthcheck").is_some_and(turns_health_off) {
        forget(&mut base, "healthcheck");
    }
    // A `build` of the base the import could not carry stays the
    // component's problem unless the service gives its own `build`.
    if node.get("build").is_none() && component.unbuilt.is_none() {
        component.unbuilt = base.unbuilt;
    }
    component.body = overlay(base.body, std::mem::take(&mut component.body));
}

/// Takes what the Compose key `key` gave out of the base.
fn forget(base: &mut Component, key: &str) {
    let body = &mut base.body;
    match key {
        "image" => body.image = None,
        "build" => {
            body.build = None;
            base.unbuilt = None;
        }
        "command" => body.command = None,
        "ports" => body.ports.clear(),
        "depends_on" | "links" => body.depends_on.clear(),
        "environment" => body.env.clear(),
        "healthcheck" => body.health = None,
        "secrets" => body.secrets = None,
        "configs" => body.configs = None,
        other => body.compose.retain(|(k, _)| k != other),
    }
}

/// The base's body with the service's own on top.
fn overlay(base: Body, own: Body) -> Body {
    let mut out = base;
    if own.image.is_some() {
        out.image = own.image;
    }
    if own.build.is_some() {
        out.build = own.build;
    }
    if own.command.is_some() {
        out.command = own.command;
    }
    if own.health.is_some() {
        out.health = own.health;
    }
    if own.secrets.is_some() {
        out.secrets = own.secrets;
    }
    if own.configs.is_some() {
        out.configs = own.configs;
    }
    for port in own.ports {
        if !out
            .ports
            .iter()
            .any(|p| p.container == port.container && p.publish == port.publish)
        {
            let mut port = port;
            while out.ports.iter().any(|p| p.name == port.name) {
                port.name = format!("{}-{}", port.name, port.container);
            }
            out.ports.push(port);
        }
    }
    for dependency in own.depends_on {
        if !out.depends_on.contains(&dependency) {
            out.depends_on.push(dependency);
        }
    }
    for entry in own.env {
        out.env.retain(|e| e.key != entry.key);
        out.env.push(entry);
    }
    for (key, value) in own.compose {
        out.compose.retain(|(k, _)| *k != key);
        out.compose.push((key, value));
    }
    out
}
