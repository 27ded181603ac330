//! `extends`: a service built on another (in the same file or in
//! `file:`), resolved before it is converted, as Compose resolves it: the
//! base's YAML with the service's own merged on top (compose_merge.rs).

use crate::diagnostic::Code;
use crate::source::SourceMap;

use super::compose_file::ComposeFile;
use super::compose_merge::merge_service;
use super::paths::normalise;
use super::report::{Place, Reporter};
use super::yaml::{stamp, Node, Value};
use super::{read_file, FileSystem, Request};

/// How deep `extends` may chain (a cycle stops here).
const MAX_DEPTH: usize = 8;

/// What every service is read against.
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    pub request: &'a Request<'a>,
    pub fs: &'a dyn FileSystem,
}

/// The service `node` of `file` with the service it `extends` (and that
/// one's, in turn) merged in as Compose merges them ([`merge_service`]);
/// `None` when it extends none or the base cannot be found (reported).
/// Values from another file keep that file's places, and their relative
/// paths are rewritten against `file`'s folder.
#[allow(clippy::too_many_arguments)]
pub fn resolve(
    node: &Node,
    file: &ComposeFile,
    files: &[ComposeFile],
    scope: Scope,
    sources: &mut SourceMap,
    report: &mut Reporter,
    depth: usize,
) -> Option<Node> {
    let Scope { request, fs, .. } = scope;
    let extends = node.get("extends")?;
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
                return None;
            }
        },
        _ => {
            report.error(
                Code::ImportReference,
                Some(place),
                "`extends` is neither a service name nor a map",
                "write `extends: { service: NAME, file: FILE }`",
            );
            return None;
        }
    };
    if depth >= MAX_DEPTH {
        report.error(
            Code::ImportReference,
            Some(place),
            "`extends` goes round in a cycle (or deeper than 8 services)",
            "break the chain",
        );
        return None;
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
                    None => return None,
                },
            }
        }
    };
    let Some((_, base_node)) = base_file.services().iter().find(|(k, _)| k.name == service) else {
        report.error(
            Code::ImportReference,
            Some(place),
            format!("`extends` names the service `{service}`, which the file does not declare"),
            "name a service of that file",
        );
        return None;
    };
    let mut base = resolve(
        base_node,
        base_file,
        files,
        scope,
        sources,
        report,
        depth + 1,
    )
    .unwrap_or_else(|| base_node.clone());
    if base_file.file != file.file {
        stamp(&mut base, base_file.file);
        relocate(&mut base, &base_file.folder, &file.folder);
    }
    Some(merge_service(&base, node))
}

/// Rewrites the relative paths of a service read in `from` (a folder) so
/// that they name the same places read in `to`: a base from another
/// file resolves its paths against its own folder.
fn relocate(service: &mut Node, from: &str, to: &str) {
    let Value::Map(entries) = &mut service.value else {
        return;
    };
    for (key, value) in entries.iter_mut() {
        match key.name.as_str() {
            "build" => match &mut value.value {
                Value::String(path) => *path = moved(path, from, to),
                Value::Map(build) => {
                    for (k, v) in build.iter_mut() {
                        if k.name == "context" {
                            if let Value::String(path) = &mut v.value {
                                *path = moved(path, from, to);
                            }
                        }
                    }
                }
                _ => {}
            },
            "volumes" => {
                for item in value.as_list_mut() {
                    match &mut item.value {
                        Value::String(text) => {
                            if let Some((source, rest)) = text.split_once(':') {
                                if source.starts_with('.') {
                                    *text = format!("{}:{rest}", moved(source, from, to));
                                }
                            }
                        }
                        Value::Map(volume) => {
                            for (k, v) in volume.iter_mut() {
                                if let (true, Value::String(path)) =
                                    (k.name == "source", &mut v.value)
                                {
                                    if path.starts_with('.') {
                                        *path = moved(path, from, to);
                                    }
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            "env_file" | "label_file" => {
                let one = |node: &mut Node| match &mut node.value {
                    Value::String(path) => *path = moved(path, from, to),
                    Value::Map(entry) => {
                        for (k, v) in entry.iter_mut() {
                            if let (true, Value::String(path)) = (k.name == "path", &mut v.value) {
                                *path = moved(path, from, to);
                            }
                        }
                    }
                    _ => {}
                };
                if value.as_list().is_some() {
                    value.as_list_mut().iter_mut().for_each(one);
                } else {
                    one(value);
                }
            }
            _ => {}
        }
    }
}

/// `path`, relative to the folder `from`, as a path relative to `to`
/// (absolute paths and `~` as they are).
fn moved(path: &str, from: &str, to: &str) -> String {
    if path.starts_with('/') || path.starts_with('~') {
        return path.to_string();
    }
    let (Some(target), Some(to)) = (normalise(&format!("{from}/{path}")), normalise(to)) else {
        return path.to_string();
    };
    let target_parts: Vec<&str> = target.split('/').filter(|p| !p.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').filter(|p| !p.is_empty()).collect();
    let common = target_parts
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<&str> = vec![".."; to_parts.len().saturating_sub(common)];
    parts.extend(target_parts.iter().skip(common));
    if parts.first() == Some(&"..") {
        parts.join("/")
    } else {
        format!("./{}", parts.join("/"))
    }
}

#[cfg(test)]
mod tests {
    use super::moved;

    #[test]
    fn paths_move_between_folders() {
        assert_eq!(moved("./data", "/w/common", "/w/app"), "../common/data");
        assert_eq!(moved(".", "/w", "/w/app"), "..");
        assert_eq!(moved("./x", "/w", "/w"), "./x");
        assert_eq!(moved("/abs", "/w", "/v"), "/abs");
        assert_eq!(moved("../app/y", "/w/common", "/w/app"), "./y");
    }
}
