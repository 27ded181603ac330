//! A component's `secrets` and `configs`: the declared `secret` and
//! `config` blocks it mounts, and (for `secrets`) the variables of its
//! `env` a Kubernetes environment reads from a Secret.
//!
//! ```text
//! secrets = [db_password, DB_ROOT_PASSWORD, { source = "tls_key"  target = "/etc/tls/key.pem" }]
//! configs = [nginx_conf, { source = "nginx_conf"  target = "/etc/nginx/nginx.conf" }]
//! ```

use super::closed_set;
use super::component::ComponentDraft;
use super::fields::{expect_string, wrong_type, Fields};
use super::file_objects::{FileObjects, Kind};
use crate::diagnostic::{did_you_mean, Code, Diagnostic, Diagnostics};
use crate::model::{FileReference, FileSource, Orchestrator, PROXY_SERVICE};
use crate::source::Span;
use crate::syntax::ast::{Ident, Value, ValueKind};

/// The component attributes read here, for its schema.
pub const ATTRIBUTES: [&str; 2] = ["secrets", "configs"];

/// The keys of a long-form entry.
const LONG_FORM: &[&str] = &["source", "target"];

/// One entry of `secrets` or `configs`, as written.
#[derive(Debug, Clone)]
pub struct ReferenceDraft {
    /// The name it uses (a short entry's name, a long entry's `source`).
    pub source: Ident,
    /// A long entry's `target`.
    pub target: Option<String>,
    /// Written as a map: it must name a declared secret or config.
    pub long: bool,
    /// The whole entry.
    pub span: Span,
}

/// A component's `secrets` and `configs` entries, and what they resolve to.
#[derive(Debug, Default)]
pub struct FileReferencesDraft {
    pub secrets: Vec<ReferenceDraft>,
    pub configs: Vec<ReferenceDraft>,
    /// `secrets` had an error while read: which variables are secret is
    /// not known.
    pub secrets_invalid: bool,
    /// The declared secrets mounted, once [`resolve`] ran.
    pub mounted_secrets: Vec<FileReference>,
    /// The declared configs mounted, once [`resolve`] ran.
    pub mounted_configs: Vec<FileReference>,
}

/// Reads `secrets` and `configs` from a component's fields.
pub fn read(fields: &Fields, diagnostics: &mut Diagnostics) -> FileReferencesDraft {
    let errors_before = diagnostics.error_count();
    let secrets = entries(fields, Kind::Secret, diagnostics);
    let secrets_invalid = diagnostics.error_count() > errors_before || fields.misspelt("secrets");
    FileReferencesDraft {
        secrets,
        configs: entries(fields, Kind::Config, diagnostics),
        secrets_invalid,
        ..FileReferencesDraft::default()
    }
}

/// The entries of the list `kind` reads (`secrets`, `configs`), each once.
fn entries(fields: &Fields, kind: Kind, diagnostics: &mut Diagnostics) -> Vec<ReferenceDraft> {
    let key = attribute(kind);
    let Some(value) = fields.value(key, diagnostics) else {
        return Vec::new();
    };
    let ValueKind::List(items) = &value.kind else {
        diagnostics.push(wrong_type(
            value,
            &format!("a list such as `[{}]`", example_name(kind)),
        ));
        return Vec::new();
    };
    let mut out: Vec<ReferenceDraft> = Vec::new();
    for item in items {
        let Some(entry) = entry(item, kind, diagnostics) else {
            continue;
        };
        match out
            .iter()
            .find(|e| e.source.name == entry.source.name && e.target == entry.target)
        {
            Some(first) => diagnostics.push(
                Diagnostic::error(
                    Code::Duplicate,
                    format!("`{}` is listed twice in `{key}`", entry.source.name),
                )
                .at(entry.span)
                .also(first.span, "first listed here"),
            ),
            None => out.push(entry),
        }
    }
    out
}

/// The component attribute of `kind`.
fn attribute(kind: Kind) -> &'static str {
    match kind {
        Kind::Secret => ATTRIBUTES[0],
        Kind::Config => ATTRIBUTES[1],
    }
}

fn example_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Secret => "db_password",
        Kind::Config => "nginx_conf",
    }
}

/// One entry: a bare name, or `{ source = "..."  target = "..." }`.
fn entry(item: &Value, kind: Kind, diagnostics: &mut Diagnostics) -> Option<ReferenceDraft> {
    match &item.kind {
        ValueKind::Ident(name) => Some(ReferenceDraft {
            source: Ident {
                name: name.clone(),
                span: item.span,
            },
            target: None,
            long: false,
            span: item.span,
        }),
        ValueKind::Map(entries) => {
            let mut source = None;
            let mut target = None;
            for entry in entries {
                match entry.key.name.as_str() {
                    "source" => source = source_name(&entry.value, diagnostics),
                    "target" => {
                        target = expect_string(&entry.value, diagnostics)
                            .and_then(|s| checked_target(kind, &s.value, s.span, diagnostics));
                    }
                    other => diagnostics.push(unknown_key(kind, &entry.key, other)),
                }
            }
            let Some(source) = source else {
                if !entries.iter().any(|e| e.key.name == "source") {
                    diagnostics.push(
                        Diagnostic::error(
                            Code::MissingAttribute,
                            format!("an entry of `{}` needs `source`", attribute(kind)),
                        )
                        .at(item.span)
                        .with_help(format!(
                            "add `source = \"{}\"`: the {} to mount",
                            example_name(kind),
                            kind.word()
                        )),
                    );
                }
                return None;
            };
            Some(ReferenceDraft {
                source,
                target,
                long: true,
                span: item.span,
            })
        }
        // A variable whose name has a `.` is written in quotes
        // (`["xpack.security.password"]`): a list holds no dotted key.
        ValueKind::String(s) if matches!(kind, Kind::Secret) && s.value.contains('.') => {
            Some(ReferenceDraft {
                source: Ident {
                    name: s.value.clone(),
                    span: item.span,
                },
                target: None,
                long: false,
                span: item.span,
            })
        }
        ValueKind::String(s) => {
            diagnostics.push(
                wrong_type(item, "a name or `{ source = \"...\"  target = \"...\" }`")
                    .with_help(format!("names are written without quotes: `{}`", s.value)),
            );
            None
        }
        _ => {
            diagnostics.push(wrong_type(
                item,
                "a name or `{ source = \"...\"  target = \"...\" }`",
            ));
            None
        }
    }
}

/// A long entry's `source`: a string (Compose's spelling) or a bare name.
fn source_name(value: &Value, diagnostics: &mut Diagnostics) -> Option<Ident> {
    match &value.kind {
        ValueKind::Ident(name) => Some(Ident {
            name: name.clone(),
            span: value.span,
        }),
        _ => expect_string(value, diagnostics).map(|s| Ident {
            name: s.value.clone(),
            span: s.span,
        }),
    }
}

/// A key a long entry does not take; `uid`, `gid` and `mode` get why.
fn unknown_key(kind: Kind, key: &Ident, name: &str) -> Diagnostic {
    let diagnostic = Diagnostic::error(
        Code::UnknownAttribute,
        format!("an entry of `{}` has no key `{name}`", attribute(kind)),
    )
    .at(key.span)
    .with_label("unknown key");
    if matches!(name, "uid" | "gid" | "mode") {
        diagnostic.with_help(format!(
            "stackc sets no owner or mode: Docker Compose bind-mounts a {} made from a file with the file's own owner and permissions (set them on the file); the keys are `source` and `target`",
            kind.word()
        ))
    } else {
        match closed_set::help(name, LONG_FORM, "keys of an entry") {
            Some(help) => diagnostic.with_help(help),
            None => diagnostic,
        }
    }
}

/// A `target`: for a secret a file name (under `/run/secrets/`) or an
/// absolute path; for a config an absolute path.
fn checked_target(
    kind: Kind,
    target: &str,
    span: Span,
    diagnostics: &mut Diagnostics,
) -> Option<String> {
    let absolute = target.starts_with('/');
    let file_name = !target.is_empty() && !target.contains('/') && target != "." && target != "..";
    let climbs = target.split('/').any(|part| part == "..");
    let valid = match kind {
        Kind::Secret => (absolute || file_name) && !climbs,
        Kind::Config => absolute && !climbs && target != "/",
    };
    if valid && !target.contains(['\n', '\0']) {
        return Some(target.to_string());
    }
    let help = match kind {
        Kind::Secret => "a file name under `/run/secrets/` (`\"pg_password\"`) or an absolute path without `..` (`\"/etc/ssl/private/key.pem\"`)",
        Kind::Config => "an absolute path without `..`, such as `\"/etc/nginx/nginx.conf\"`",
    };
    diagnostics.push(
        Diagnostic::error(
            Code::OutOfRange,
            format!("`{target}` is not where a {} can be mounted", kind.word()),
        )
        .at(span)
        .with_help(format!("write {help}")),
    );
    None
}

/// Resolves every component's entries against the declarations: a
/// `secrets` entry names a declared secret or a variable of `env` (then
/// added to the draft's cluster secrets); reports one naming both
/// (E0129) or neither (E0128), declarations no component uses (W0003),
/// and the config named like the Swarm edge's when a component has a
/// route. Returns the names of the secrets and configs used.
pub fn resolve(
    drafts: &mut [ComponentDraft],
    objects: &FileObjects,
    diagnostics: &mut Diagnostics,
) -> (Vec<String>, Vec<String>) {
    let mut used_secrets: Vec<String> = Vec::new();
    let mut used_configs: Vec<String> = Vec::new();
    for draft in drafts.iter_mut() {
        let env: Vec<&Ident> = draft.env.iter().map(|(key, _)| *key).collect();
        let mut env_secrets = Vec::new();
        let mut mounted = Vec::new();
        let mut unknown = false;
        for entry in &draft.references.secrets {
            if objects.is_invalid(Kind::Secret, &entry.source.name) {
                unknown = true;
                continue;
            }
            let declared = objects.find(Kind::Secret, &entry.source.name).is_some();
            let variable = env.iter().any(|key| key.name == entry.source.name);
            match (declared, variable, entry.long) {
                (true, true, false) => {
                    diagnostics.push(ambiguous(entry));
                    // Used all the same: no warning follows from this mistake.
                    used_secrets.push(entry.source.name.to_string());
                    unknown = true;
                }
                (true, _, _) => {
                    mounted.push(reference(entry));
                    used_secrets.push(entry.source.name.to_string());
                }
                (false, true, false) => env_secrets.push(entry.source.clone()),
                (false, _, _) => {
                    let (diagnostic, meant) = match other_kind(entry, Kind::Secret, objects) {
                        Some(diagnostic) => (
                            diagnostic,
                            Some((Kind::Config, entry.source.name.to_string())),
                        ),
                        None => unknown_secret(entry, &env, objects),
                    };
                    diagnostics.push(diagnostic);
                    // The declaration meant is not reported unused as well.
                    match meant {
                        Some((Kind::Secret, name)) => used_secrets.push(name),
                        Some((Kind::Config, name)) => used_configs.push(name),
                        None => {}
                    }
                    unknown = true;
                }
            }
        }
        let mut configs = Vec::new();
        for entry in &draft.references.configs {
            if objects.is_invalid(Kind::Config, &entry.source.name) {
                continue;
            }
            if objects.find(Kind::Config, &entry.source.name).is_some() {
                configs.push(reference(entry));
                used_configs.push(entry.source.name.to_string());
            } else if let Some(diagnostic) = other_kind(entry, Kind::Config, objects) {
                diagnostics.push(diagnostic);
                used_secrets.push(entry.source.name.to_string());
            } else {
                let (diagnostic, meant) = unknown_config(entry, objects);
                diagnostics.push(diagnostic);
                used_configs.extend(meant);
            }
        }
        draft.cluster.secrets = env_secrets;
        draft.cluster.secrets_invalid = draft.references.secrets_invalid || unknown;
        draft.references.mounted_secrets = mounted;
        draft.references.mounted_configs = configs;
    }
    used_secrets.sort_unstable();
    used_secrets.dedup();
    used_configs.sort_unstable();
    used_configs.dedup();
    for (kind, used) in [(Kind::Secret, &used_secrets), (Kind::Config, &used_configs)] {
        for decl in objects.of(kind) {
            if used.binary_search(&decl.model.name).is_err() {
                diagnostics.push(
                    Diagnostic::warning(
                        Code::NoEffect,
                        format!("no component uses {} `{}`", kind.word(), decl.model.name),
                    )
                    .at(decl.name.span)
                    .with_label("declared here, mounted nowhere")
                    .with_help(format!(
                        "list it in a component's `{}` (`{} = [{}]`), or remove it",
                        attribute(kind),
                        attribute(kind),
                        decl.model.name
                    )),
                );
            }
        }
    }
    (used_secrets, used_configs)
}

fn reference(entry: &ReferenceDraft) -> FileReference {
    FileReference {
        source: entry.source.name.to_string(),
        target: entry.target.clone(),
    }
}

/// E0129: a short `secrets` entry that is both a declared secret and a
/// variable of `env`.
fn ambiguous(entry: &ReferenceDraft) -> Diagnostic {
    let name = &entry.source.name;
    Diagnostic::error(
        Code::AmbiguousSecret,
        format!("`{name}` is both a declared `secret` and a variable of this component's `env`"),
    )
    .at(entry.span)
    .with_label("a file under /run/secrets, or a variable read from a Kubernetes Secret?")
    .with_help(format!(
        "rename the `secret` block or the variable; to mount the secret, `{{ source = \"{name}\" }}` says so"
    ))
}

/// E0128 for a `secrets` entry naming a declared config, or a `configs`
/// entry naming a declared secret (`listed_as` is the list it is in).
fn other_kind(
    entry: &ReferenceDraft,
    listed_as: Kind,
    objects: &FileObjects,
) -> Option<Diagnostic> {
    let name = &entry.source.name;
    let declared = match listed_as {
        Kind::Secret => Kind::Config,
        Kind::Config => Kind::Secret,
    };
    let decl = objects.find(declared, name)?;
    let entry_text = if entry.long {
        format!(
            "{{ source = \"{name}\"{} }}",
            entry
                .target
                .as_ref()
                .map_or(String::new(), |t| format!("  target = \"{t}\""))
        )
    } else {
        name.to_string()
    };
    Some(
        Diagnostic::error(
            Code::UnknownSecret,
            format!(
                "`{name}` is a {}, listed in `{}`",
                declared.word(),
                attribute(listed_as)
            ),
        )
        .at(entry.source.span)
        .with_label(format!("not a declared {}", listed_as.word()))
        .also(
            decl.name.span,
            format!("declared as a {} here", declared.word()),
        )
        .with_help(format!(
            "list it in `{}`: `{} = [{entry_text}]`",
            attribute(declared),
            attribute(declared)
        )),
    )
}

/// E0128 for a `secrets` entry naming nothing declared, and the declared
/// secret its did-you-mean names, if any.
fn unknown_secret(
    entry: &ReferenceDraft,
    env: &[&Ident],
    objects: &FileObjects,
) -> (Diagnostic, Option<(Kind, String)>) {
    let name = &entry.source.name;
    let declared: Vec<&str> = objects
        .of(Kind::Secret)
        .iter()
        .map(|d| d.model.name.as_str())
        .collect();
    if entry.long {
        let mut meant = None;
        let help = if env.iter().any(|key| key.name == *name) {
            format!("`{name}` is a variable of `env`: list it by name, `secrets = [{name}]`, to read it from a Kubernetes Secret; a `{{ source = ... }}` entry mounts a declared `secret`")
        } else {
            match did_you_mean(name, declared.iter().copied()) {
                Some(close) => {
                    meant = Some((Kind::Secret, close.to_string()));
                    format!("did you mean `{close}`?")
                }
                None => format!("declare it: `secret {name} {{ file = \"secrets/{name}.txt\" }}`"),
            }
        };
        let diagnostic = Diagnostic::error(
            Code::UnknownSecret,
            format!("`{name}` is not a declared `secret`"),
        )
        .at(entry.source.span)
        .with_help(help);
        return (diagnostic, meant);
    }
    let candidates = env
        .iter()
        .map(|key| key.name.as_str())
        .chain(declared.iter().copied());
    let close = did_you_mean(name, candidates);
    let meant = close
        .filter(|close| declared.contains(close))
        .map(|close| (Kind::Secret, close.to_string()));
    let help = match close {
        Some(close) => format!("did you mean `{close}`?"),
        None if declared.is_empty() => format!(
            "`secrets` marks variables of `env` as secret; add `{name} = \"${{{name}}}\"` to `env`, or declare `secret {name} {{ file = \"...\" }}` to mount a file"
        ),
        None => format!(
            "`secrets` names a declared `secret` ({}) or a variable of `env`",
            declared
                .iter()
                .map(|d| format!("`{d}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let message = if declared.is_empty() {
        format!("`{name}` is not a variable of this component's `env`")
    } else {
        format!("`{name}` is neither a declared `secret` nor a variable of this component's `env`")
    };
    let diagnostic = Diagnostic::error(Code::UnknownSecret, message)
        .at(entry.source.span)
        .with_help(help);
    (diagnostic, meant)
}

/// E0128 for a `configs` entry naming no declared config, and the
/// declared config its did-you-mean names, if any.
fn unknown_config(entry: &ReferenceDraft, objects: &FileObjects) -> (Diagnostic, Option<String>) {
    let name = &entry.source.name;
    let declared = objects
        .of(Kind::Config)
        .iter()
        .map(|d| d.model.name.as_str());
    let close = did_you_mean(name, declared);
    let help = match close {
        Some(close) => format!("did you mean `{close}`?"),
        None => format!("declare it: `config {name} {{ file = \"config/{name}\" }}`"),
    };
    let diagnostic = Diagnostic::error(
        Code::UnknownSecret,
        format!("`{name}` is not a declared `config`"),
    )
    .at(entry.source.span)
    .with_help(help);
    (diagnostic, close.map(str::to_string))
}

/// What the environments' orchestrators cannot carry (E0127): on Swarm a
/// used secret or config whose source is `environment` or `content` (the
/// stack file format 3.8 has neither), pointed at the source; on
/// Kubernetes every mounted one (its manifests mount none), pointed at the
/// entry. With a route, a config named like the Swarm edge's is refused
/// (E0101).
pub fn check_orchestrators(
    drafts: &[ComponentDraft],
    objects: &FileObjects,
    used: (&[String], &[String]),
    environments: &[crate::model::Environment],
    diagnostics: &mut Diagnostics,
) {
    if let Some(swarm) = environments
        .iter()
        .find(|e| e.orchestrator == Orchestrator::Swarm)
    {
        for (kind, names) in [(Kind::Secret, used.0), (Kind::Config, used.1)] {
            for decl in objects.of(kind) {
                let (key, what) = match decl.model.source {
                    FileSource::File(_) => continue,
                    FileSource::Environment(_) => ("environment", "a variable"),
                    FileSource::Content(_) => ("content", "inline content"),
                };
                if names.binary_search(&decl.model.name).is_err() {
                    continue;
                }
                diagnostics.push(
                    Diagnostic::error(
                        Code::OrchestratorCannot,
                        format!(
                            "{} `{}` is made from {what}, and environment `{}` runs on Swarm",
                            kind.word(),
                            decl.model.name,
                            swarm.name
                        ),
                    )
                    .at(decl.source_span)
                    .with_label(format!("`docker stack deploy` takes no `{key}` source (the Compose file format 3.8)"))
                    .with_help(format!(
                        "make it from a file of the workspace: `file = \"{}/{}\"`",
                        match kind {
                            Kind::Secret => "secrets",
                            Kind::Config => "config",
                        },
                        decl.model.name
                    )),
                );
            }
        }
    }
    let kubernetes = environments
        .iter()
        .find(|e| e.orchestrator == Orchestrator::Kubernetes);
    let routed = drafts.iter().any(|d| !d.routes.is_empty());
    for draft in drafts {
        if let Some(kubernetes) = kubernetes {
            let mounted = draft
                .references
                .secrets
                .iter()
                .filter(|e| objects.find(Kind::Secret, &e.source.name).is_some())
                .map(|e| (Kind::Secret, e))
                .chain(
                    draft
                        .references
                        .configs
                        .iter()
                        .filter(|e| objects.find(Kind::Config, &e.source.name).is_some())
                        .map(|e| (Kind::Config, e)),
                );
            for (kind, entry) in mounted {
                diagnostics.push(
                    Diagnostic::error(
                        Code::OrchestratorCannot,
                        format!(
                            "{} `{}` is mounted as a file, and environment `{}` runs on Kubernetes",
                            kind.word(),
                            entry.source.name,
                            kubernetes.name
                        ),
                    )
                    .at(entry.span)
                    .with_label("stackc's Kubernetes manifests mount no secret or config files")
                    .with_help(match kind {
                        Kind::Secret => "pass the secret as a variable instead: `env { DB_PASSWORD = \"${DB_PASSWORD}\" }` with `secrets = [DB_PASSWORD]`, which Kubernetes reads from a Secret (docs/cluster.md)",
                        Kind::Config => "pass the setting as a variable of `env`, or build the file into the image",
                    }),
                );
            }
        }
    }
    if routed {
        if let Some(decl) = objects.find(Kind::Config, PROXY_SERVICE) {
            if environments
                .iter()
                .any(|e| e.orchestrator == Orchestrator::Swarm)
            {
                diagnostics.push(
                    Diagnostic::error(
                        Code::Duplicate,
                        format!("config `{}` takes the name of the Swarm edge's configuration", decl.model.name),
                    )
                    .at(decl.name.span)
                    .with_help("a Swarm environment's stack file holds the `haproxy` service's configuration under that name when a component has a route; name the config otherwise"),
                );
            }
        }
    }
}
