//! `stackc import`: Compose files (the fig format, versions 2 and 3, the
//! Compose specification) turned into a workspace, a `Stackfile` and one
//! `.stack` file per component, laid out as `stackc fmt` lays them out.
//! What cannot be carried is reported at its key (docs/import.md).
//!
//! [`import`] is pure but for reading files through a [`FileSystem`]: the
//! CLI (`src/cli/import.rs`) reads from disk and writes the result.

mod aliases;
mod command;
mod component;
mod compose_file;
mod compose_merge;
mod cross;
mod environment;
mod extends;
mod go_templates;
mod healthcheck;
mod interpolation;
mod lang_value;
mod merge;
mod paths;
mod ports;
mod report;
mod service;
mod top_level;
mod workspace;
mod yaml;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};
use std::io;

use crate::diagnostic::{Code, Diagnostics};
use crate::source::SourceMap;

use compose_file::{classify, report_top_level, ComposeFile};
use report::{Place, Reporter};

pub use workspace::{stack_name, Workspace, COMPONENTS_DIR};

/// An absolute `/`-separated path with `.` and `..` resolved lexically.
pub fn normalise_path(path: &str) -> String {
    paths::normalise(path).unwrap_or_else(|| "/".into())
}

/// The folder of an absolute `/`-separated path.
pub fn parent_folder(path: &str) -> String {
    paths::parent(path)
}

/// How the import reads files: the Compose files, the files they include
/// or extend, and whether a build context holds a `Dockerfile`. Paths are
/// absolute and `/`-separated.
pub trait FileSystem {
    fn read(&self, path: &str) -> io::Result<String>;
    fn is_file(&self, path: &str) -> bool;
}

/// The real file system.
pub struct Disk;

impl FileSystem for Disk {
    fn read(&self, path: &str) -> io::Result<String> {
        std::fs::read_to_string(path)
    }
    fn is_file(&self, path: &str) -> bool {
        std::path::Path::new(path).is_file()
    }
}

/// Files held in memory (tests, and the property test's arbitrary YAML).
#[derive(Debug, Default)]
pub struct Memory(pub BTreeMap<String, String>);

impl FileSystem for Memory {
    fn read(&self, path: &str) -> io::Result<String> {
        self.0
            .get(path)
            .cloned()
            .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))
    }
    fn is_file(&self, path: &str) -> bool {
        self.0.contains_key(path)
    }
}

/// What the import was asked to do.
pub struct Request<'a> {
    /// The Compose files, absolute and `/`-separated, in the order given.
    pub files: &'a [String],
    /// The folder the workspace is written to, absolute, `/`-separated.
    pub root: &'a str,
    /// How a file is named in diagnostics (relative to the current folder).
    pub shown: &'a dyn Fn(&str) -> String,
}

/// What an import gives.
#[derive(Debug)]
pub struct Outcome {
    /// The workspace; `None` when there is an error (reports alone still
    /// give one).
    pub workspace: Option<Workspace>,
    /// Every report and error, with places in the Compose files.
    pub diagnostics: Diagnostics,
    /// A bug of the import itself (a file it wrote does not parse).
    pub internal: Option<String>,
}

/// Imports the files. Never panics, whatever the files hold.
pub fn import(request: &Request, fs: &dyn FileSystem, sources: &mut SourceMap) -> Outcome {
    let (workspace, diagnostics, internal) = run(request, fs, sources);
    Outcome {
        workspace,
        diagnostics,
        internal,
    }
}

fn run(
    request: &Request,
    fs: &dyn FileSystem,
    sources: &mut SourceMap,
) -> (Option<Workspace>, Diagnostics, Option<String>) {
    let mut report = Reporter::default();
    let files = load(request, fs, sources, &mut report);
    if report.diagnostics.has_errors() {
        return (None, report.diagnostics, None);
    }
    for file in &files {
        report_top_level(file, &mut report);
    }
    let top = top_level::read(&files, request.root, &mut report);

    // Every service's component name, so dependencies can be checked.
    let mut names: BTreeMap<String, (String, Place)> = BTreeMap::new();
    let mut services: Vec<(usize, String, usize)> = Vec::new();
    for (index, file) in files.iter().enumerate() {
        for (at, (key, _)) in file.services().iter().enumerate() {
            if key.name.starts_with("x-") && file.fig {
                continue;
            }
            let place = Place::key(file.file, key);
            let Some(name) = service::component_name(&key.name) else {
                report.dropped(
                    place,
                    format!("the service `{}` is not imported: its name cannot be a component's", key.name),
                    "rename it with lower-case letters, digits, `-` and `_`, starting with a letter or digit",
                );
                continue;
            };
            match names.get(&name) {
                Some((other, first)) if *other != key.name => {
                    report.push(
                        crate::diagnostic::Diagnostic::error(
                            Code::ImportNameClash,
                            format!("the services `{other}` and `{}` would both be the component `{name}`", key.name),
                        )
                        .at(place.span())
                        .also(first.span(), "the other")
                        .with_help("rename one of them"),
                    );
                    continue;
                }
                Some(_) => {}
                None => {
                    if name != key.name {
                        report.approximated(
                            place,
                            format!(
                                "the service `{}` is imported as the component `{name}`",
                                key.name
                            ),
                            "component names are lower case, without `.`",
                        );
                    }
                    names.insert(name.clone(), (key.name.clone(), place));
                }
            }
            services.push((index, name, at));
        }
    }
    let known: BTreeSet<String> = names.keys().cloned().collect();

    let mut merged = merge::Merged::default();
    // Health checks without a probe `timeout`: the healthcheck key, the
    // service's name.
    let mut untimed: Vec<(Place, String)> = Vec::new();
    for (index, name, at) in &services {
        let Some(file) = files.get(*index) else {
            continue;
        };
        let Some((key, node)) = file.services().get(*at) else {
            continue;
        };
        let cx = service::Context {
            file: file.file,
            folder: &file.folder,
            root: request.root,
            services: &known,
            top: &top,
            fs,
        };
        let resolved = extends::resolve(
            node,
            file,
            &files,
            extends::Scope { request, fs },
            sources,
            &mut report,
            0,
        );
        let node = resolved.as_ref().unwrap_or(node);
        let kept = go_templates::leave_out(node, file.file, &mut report);
        let node = kept.as_ref().unwrap_or(node);
        let mut component = service::convert(name, key, node, &cx, &mut report);
        cross::drop_self_dependency(&mut component, node, &mut report);
        if let (None, None, Some(at)) = (
            &component.body.image,
            &component.body.build,
            component.unbuilt,
        ) {
            report.error(
                Code::ImportNoImage,
                Some(at),
                format!(
                    "the service `{}` has no `image` and its `build` is not imported: the component would take the default image `STACK/{name}`, pulled from Docker Hub",
                    key.name
                ),
                "give the service an `image`, or move the build context into DIR (with its `Dockerfile`)",
            );
            continue;
        }
        if let (Some(_), Some((k, check))) = (&component.body.health, node.entry("healthcheck")) {
            if check.get("timeout").is_none() {
                untimed.push((Place::key(file.file, k), key.name.clone()));
            }
        }
        merged.add(component, &mut report);
    }
    healthcheck::report_default_timeouts(&untimed, &mut report);
    if report.diagnostics.has_errors() {
        return (None, report.diagnostics, None);
    }
    let mut components = merged.into_components();
    aliases::apply(&mut components, &mut report);
    let stack = workspace::stack_name(&files, request.root, &mut report);
    cross::one_publisher(&mut components, &mut report);
    match workspace::write(&stack, &top.text(), components, &files, request) {
        Ok(workspace) => (Some(workspace), report.diagnostics, None),
        Err(internal) => (None, report.diagnostics, Some(internal)),
    }
}

/// Reads the files and the files they include, depth first, each once.
fn load(
    request: &Request,
    fs: &dyn FileSystem,
    sources: &mut SourceMap,
    report: &mut Reporter,
) -> Vec<ComposeFile> {
    let mut files = Vec::new();
    let mut seen = BTreeSet::new();
    for path in request.files {
        load_one(
            path, None, request, fs, sources, report, &mut seen, &mut files, 0,
        );
    }
    files
}

#[allow(clippy::too_many_arguments)]
fn load_one(
    path: &str,
    named_at: Option<Place>,
    request: &Request,
    fs: &dyn FileSystem,
    sources: &mut SourceMap,
    report: &mut Reporter,
    seen: &mut BTreeSet<String>,
    files: &mut Vec<ComposeFile>,
    depth: usize,
) {
    let Some(path) = paths::normalise(path) else {
        return;
    };
    if !seen.insert(path.clone()) || depth > 32 {
        return;
    }
    let Some(file) = read_file(&path, named_at, request, fs, sources, report) else {
        return;
    };
    for (included, place) in file.includes() {
        let absolute = if included.starts_with('/') {
            included
        } else {
            format!("{}/{included}", file.folder)
        };
        load_one(
            &absolute,
            Some(place),
            request,
            fs,
            sources,
            report,
            seen,
            files,
            depth + 1,
        );
    }
    files.push(file);
}

/// Reads and classifies one file; reports and returns `None` when it
/// cannot be read or is no Compose file.
pub(crate) fn read_file(
    path: &str,
    named_at: Option<Place>,
    request: &Request,
    fs: &dyn FileSystem,
    sources: &mut SourceMap,
    report: &mut Reporter,
) -> Option<ComposeFile> {
    let shown = (request.shown)(path);
    let text = match fs.read(path) {
        Ok(text) => text,
        Err(error) => {
            let code = if named_at.is_some() {
                Code::ImportReference
            } else {
                Code::ImportUnreadable
            };
            report.error(
                code,
                named_at,
                format!("cannot read {shown}: {}", io_reason(&error)),
                "check the path",
            );
            return None;
        }
    };
    // A file read again (the base of a second `extends`) keeps its id, so
    // that its reports are one per place.
    let absolute = std::path::PathBuf::from(path);
    let known = sources
        .files()
        .find(|(_, f)| f.absolute == absolute && *f.text == text)
        .map(|(id, _)| id);
    let file = known.unwrap_or_else(|| sources.add(shown.clone(), absolute, text.clone()));
    let root = match yaml::parse(&text) {
        Ok(root) => root,
        Err(error) => {
            let place = error.offset.map(|o| Place {
                file,
                start: o,
                end: o,
            });
            report.error(
                Code::ImportUnreadable,
                place,
                format!("{shown} is not YAML that Compose reads: {}", error.message),
                "fix the YAML (`docker compose -f FILE config` shows the same mistake)",
            );
            return None;
        }
    };
    let fig = classify(&root, file, report)?;
    Some(ComposeFile {
        file,
        folder: paths::parent(path),
        path: path.to_string(),
        root,
        fig,
    })
}

fn io_reason(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "no such file".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::InvalidData => "not UTF-8 text".into(),
        _ => error.to_string(),
    }
}
