//! The pass-through keys that hold host paths. The Compose emitter rebases
//! a relative one onto the workspace root (Compose would resolve it against
//! the generated file's folder); these checks refuse one that leaves the
//! root (E0003) and volume sources that are neither paths nor names. Each
//! function is a [`Check`](super::compose_keys::Check).

use super::names::VOLUME_NAME_MAX;
use super::pass_through_node::{NodeKind, PassNode};
use super::pass_through_refusals::refused;
use super::pass_through_scope::PassScope;
use super::paths::check_host_path;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::source::Span;
use crate::syntax::ast::{Ident, StringLit};

/// Values of a `security_opt` seccomp profile that are not files.
const SECCOMP_NOT_FILES: &[&str] = &["unconfined", "builtin"];

/// `env_file`: a path, a list of paths, or a list of `{ path = ... }`.
pub fn env_files(_: &Ident, node: &PassNode, _: &PassScope, diagnostics: &mut Diagnostics) {
    for item in node.items() {
        let path = match &item.kind {
            NodeKind::Map(_) => item.entry("path").map(|(_, path)| path),
            _ => Some(item),
        };
        if let Some(NodeKind::String(literal)) = path.map(|p| &p.kind) {
            check_host_path(literal, &literal.value, diagnostics);
        }
    }
}

/// `label_file`: a path or a list of paths.
pub fn label_files(_: &Ident, node: &PassNode, _: &PassScope, diagnostics: &mut Diagnostics) {
    for item in node.items() {
        if let NodeKind::String(literal) = &item.kind {
            check_host_path(literal, &literal.value, diagnostics);
        }
    }
}

/// `develop`: the `path` of each `watch` rule, relative to the project
/// folder in Compose.
pub fn develop(_: &Ident, node: &PassNode, _: &PassScope, diagnostics: &mut Diagnostics) {
    let Some((_, watch)) = node.entry("watch") else {
        return;
    };
    for rule in watch.items() {
        if let Some((_, path)) = rule.entry("path") {
            if let NodeKind::String(literal) = &path.kind {
                check_host_path(literal, &literal.value, diagnostics);
            }
        }
    }
}

/// `security_opt`: a seccomp profile (`seccomp=PATH` or `seccomp:PATH`),
/// which Compose reads relative to the project folder.
pub fn security_opt(_: &Ident, node: &PassNode, _: &PassScope, diagnostics: &mut Diagnostics) {
    for item in node.items() {
        if let NodeKind::String(literal) = &item.kind {
            if let Some(profile) = seccomp_profile(&literal.value) {
                check_host_path(literal, profile, diagnostics);
            }
        }
    }
}

/// The profile file of `seccomp=PATH` or `seccomp:PATH`, when it is a file.
pub fn seccomp_profile(option: &str) -> Option<&str> {
    let profile = option
        .strip_prefix("seccomp=")
        .or_else(|| option.strip_prefix("seccomp:"))?;
    (!SECCOMP_NOT_FILES.contains(&profile)).then_some(profile)
}

/// `volumes`: each short `SOURCE:TARGET[:MODE]` or long `{ type = ... }`
/// mount, by what its source is. In a hook, a named volume must be one the
/// service mounts too.
pub fn volumes(_: &Ident, node: &PassNode, scope: &PassScope, diagnostics: &mut Diagnostics) {
    if scope.hook {
        for (span, name) in named_volumes(node) {
            if !scope.service_volumes.contains(&name) {
                diagnostics.push(refused(
                    span,
                    format!("the `pre_start` hook mounts the named volume `{name}`, which `{}` does not: Compose would not make it the project's, and the Docker host would hold one `{name}` for every stack", scope.component),
                    format!("mount `{name}` in the service too (`volumes = [\"{name}:/PATH\"]` in `compose {{ }}`), or mount a folder of the workspace (`\"./{name}:/PATH\"`)"),
                ));
            }
        }
    } else {
        // A hook's named volume is the service's (reported there) or refused.
        for (span, name) in named_volumes(node) {
            check_volume_name_length(span, name, diagnostics);
        }
    }
    for item in node.items() {
        match &item.kind {
            NodeKind::String(literal) => {
                // A lone container path has no source.
                if let Some((source, _)) = literal.value.split_once(':') {
                    short_volume_source(literal, source, diagnostics);
                }
            }
            NodeKind::Map(_) => long_volume(item, diagnostics),
            _ => {}
        }
    }
}

/// Reports a named volume longer than [`VOLUME_NAME_MAX`] bytes, which
/// Docker could not create.
fn check_volume_name_length(span: Span, name: &str, diagnostics: &mut Diagnostics) {
    if name.len() <= VOLUME_NAME_MAX {
        return;
    }
    let shown: String = name.chars().take(24).collect();
    diagnostics.push(
        Diagnostic::error(
            Code::InvalidName,
            format!("the volume name `{shown}…` is {} bytes long, more than {VOLUME_NAME_MAX}", name.len()),
        )
        .at(span)
        .with_label(format!("{} bytes", name.len()))
        .with_help(format!("shorten it: Docker keeps a volume in a folder named `PROJECT_VOLUME`, a file name of at most 255 bytes, and project names take up to 165 (`STACK-test-COMPONENT-RUN_ID`), which leaves {VOLUME_NAME_MAX} for the volume's own name")),
    );
}

/// Compose reads a short source starting with `.` (or absolute) as a path,
/// any other as a volume name.
fn short_volume_source(literal: &StringLit, source: &str, diagnostics: &mut Diagnostics) {
    if source.starts_with('.') {
        check_host_path(literal, source, diagnostics);
    } else if !source.starts_with(['/', '~', '$']) && !is_volume_name(source) {
        diagnostics.push(
            Diagnostic::error(
                Code::InvalidName,
                format!("`{source}` is neither a volume name nor a path"),
            )
            .at(literal.span)
            .with_help(format!(
                "a folder of the workspace starts with `./` (`./{source}`); a named volume takes letters, digits, `_`, `.` and `-`"
            )),
        );
    }
}

/// A long mount: its `type` says what its `source` is.
fn long_volume(mount: &PassNode, diagnostics: &mut Diagnostics) {
    let Some((_, kind)) = mount.entry("type") else {
        return;
    };
    let source = mount.entry("source").map(|(_, s)| s);
    let literal = match source.map(|s| &s.kind) {
        Some(NodeKind::String(literal)) => Some(*literal),
        _ => None,
    };
    match kind.text() {
        Some("bind") => {
            if let Some(literal) = literal {
                check_host_path(literal, &literal.value, diagnostics);
            }
        }
        Some("volume") => {
            if let Some(source) = source.and_then(|s| s.text().map(|t| (s.span, t))) {
                let (span, name) = source;
                if !name.starts_with('$') && !is_volume_name(name) {
                    diagnostics.push(
                        Diagnostic::error(
                            Code::InvalidName,
                            format!("`{name}` is not a volume name"),
                        )
                        .at(span)
                        .with_help("a named volume takes letters, digits, `_`, `.` and `-`; mount a folder of the workspace with `type = \"bind\"`"),
                    );
                }
            }
        }
        Some("cluster") => diagnostics.push(refused(
            kind.span,
            "a `cluster` volume is a Swarm cluster volume, named across the cluster; stackc declares project volumes only",
            "use `type = \"volume\"`; Compose keeps a named volume per project",
        )),
        // `tmpfs` has no source; `image` names an image, `npipe` a Windows pipe.
        _ => {}
    }
}

/// The named volumes of a `volumes` list, where each is written: short
/// sources that Compose reads as names, and long `type = "volume"` sources.
/// A name holding a run-time reference is left out (it is not known yet).
pub fn named_volumes<'a>(node: &PassNode<'a>) -> Vec<(Span, &'a str)> {
    let mut out = Vec::new();
    for item in node.items() {
        let named = match &item.kind {
            NodeKind::String(literal) => literal
                .value
                .split_once(':')
                .map(|(source, _)| source)
                .filter(|source| is_volume_name(source)),
            NodeKind::Map(_) => {
                let volume = item.entry("type").and_then(|(_, t)| t.text()) == Some("volume");
                item.entry("source")
                    .and_then(|(_, source)| source.text())
                    .filter(|source| volume && is_volume_name(source))
            }
            _ => None,
        };
        out.extend(named.map(|name| (item.span, name)));
    }
    out
}

/// A name Compose takes for a volume: a letter or digit, then letters,
/// digits, `_`, `.` and `-`.
fn is_volume_name(source: &str) -> bool {
    source.starts_with(|c: char| c.is_ascii_alphanumeric())
        && source
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}
