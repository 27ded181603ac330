//! A component's `build`: the context alone (`build = "web"`), or Compose's
//! `build:` map (`build = { context = "web"  dockerfile = "Dockerfile.prod"
//! target = "runtime"  args = { NODE_VERSION = "20" }  labels = { ... } }`).

use camino::Utf8Path;

use super::build_context::{build_context, leaves_root};
use super::closed_set;
use super::fields::{expect_string, set_twice, wrong_type};
use super::names::is_shell_variable;
use super::runtime::runtime_text;
use super::template::reject_template;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::lexical_path::relative_parts;
use crate::model::{Build, Text};
use crate::syntax::ast::{Entry, Ident, StringLit, Value, ValueKind};

/// The keys of the map form, in the order the docs list them.
const KEYS: &[&str] = &["context", "dockerfile", "target", "args", "labels"];

/// The build `value` says, its paths checked under the workspace `root`;
/// `None` after reporting what is wrong with the context. A wrong option is
/// reported and left out.
pub fn build(value: &Value, root: &Utf8Path, diagnostics: &mut Diagnostics) -> Option<Build> {
    let entries = match &value.kind {
        ValueKind::String(literal) => {
            return build_context(literal, root, true, diagnostics).map(Build::context)
        }
        ValueKind::Map(entries) => entries,
        _ => {
            diagnostics.push(wrong_type(
                value,
                "a build context such as `\"services/api\"`, or `{ context = \"services/api\"  dockerfile = \"...\" }`",
            ));
            return None;
        }
    };
    let mut seen: Vec<&Ident> = Vec::new();
    let field = |key: &str| entries.iter().find(|e| e.key.name == key);
    for entry in entries {
        if let Some(first) = seen.iter().find(|k| k.name == entry.key.name) {
            diagnostics.push(set_twice(&entry.key.name, entry.key.span, first.span));
            continue;
        }
        seen.push(&entry.key);
        if !KEYS.contains(&entry.key.name.as_str()) {
            let mut diagnostic = Diagnostic::error(
                Code::UnknownAttribute,
                format!("`{}` is not a key of `build`", entry.key.name),
            )
            .at(entry.key.span);
            if let Some(help) = closed_set::help(&entry.key.name, KEYS, "keys of `build`") {
                diagnostic = diagnostic.with_help(help);
            }
            diagnostics.push(diagnostic);
        }
    }
    let Some(context) = field("context") else {
        diagnostics.push(
            Diagnostic::error(Code::MissingAttribute, "`build` needs `context`")
                .at(value.span)
                .with_help("add `context = \"services/api\"`: the folder `docker build` sends, relative to the workspace root"),
        );
        return None;
    };
    let dockerfile = field("dockerfile").and_then(|e| expect_string(&e.value, diagnostics));
    let context = expect_string(&context.value, diagnostics)?;
    let context = build_context(context, root, dockerfile.is_none(), diagnostics)?;
    let mut build = Build::context(context);
    build.dockerfile =
        dockerfile.and_then(|d| checked_dockerfile(d, &build.context, root, diagnostics));
    build.target = field("target")
        .and_then(|e| expect_string(&e.value, diagnostics))
        .and_then(|t| checked_target(t, diagnostics));
    build.args = field("args")
        .map(|e| values(e, Kind::Args, diagnostics))
        .unwrap_or_default();
    build.labels = field("labels")
        .map(|e| values(e, Kind::Labels, diagnostics))
        .unwrap_or_default();
    Some(build)
}

/// The `dockerfile` relative to the context, `/`-separated with `.` and
/// `..` resolved; `None` after reporting a path that leaves the workspace
/// (E0003) or names no file (E0120).
fn checked_dockerfile(
    literal: &StringLit,
    context: &str,
    root: &Utf8Path,
    diagnostics: &mut Diagnostics,
) -> Option<String> {
    if !reject_template(literal, diagnostics) {
        return None;
    }
    let value = &literal.value;
    let joined = if context == "." {
        value.to_string()
    } else {
        format!("{context}/{value}")
    };
    let absolute = value.starts_with('/') || value.contains('\\') || value.contains('\n');
    let parts = if absolute {
        None
    } else {
        relative_parts(&joined)
    };
    let Some(parts) = parts else {
        let message = if absolute {
            format!("the Dockerfile `{value}` must be a relative path with `/`")
        } else {
            format!("the Dockerfile `{value}` leaves the workspace root")
        };
        diagnostics.push(
            Diagnostic::error(Code::OutsideRoot, message)
                .at(literal.span)
                .with_help(format!(
                    "`dockerfile` is relative to the build context `{context}` and stays under the workspace root, such as `Dockerfile.prod`"
                )),
        );
        return None;
    };
    let path = parts.join("/");
    let file = root.join(&path);
    let problem = if !file.exists() {
        Diagnostic::error(
            Code::MissingPath,
            format!("the Dockerfile `{path}` does not exist"),
        )
        .at(literal.span)
        .with_label("no such file")
        .with_help(format!(
            "`dockerfile` is relative to the build context `{context}`; name a file in it, such as `Dockerfile.prod`"
        ))
    } else if leaves_root(&file, root) {
        Diagnostic::error(
            Code::OutsideRoot,
            format!("the Dockerfile `{path}` leaves the workspace root through a symbolic link"),
        )
        .at(literal.span)
        .with_help("stackc builds only from files under the workspace root; move or copy the file inside it")
    } else if !file.is_file() {
        Diagnostic::error(
            Code::MissingPath,
            format!("the Dockerfile `{path}` is not a file"),
        )
        .at(literal.span)
        .with_help("name the Dockerfile itself, relative to the build context")
    } else {
        let within = relative_parts(value).map(|p| p.join("/"));
        return Some(within.unwrap_or_else(|| value.to_string()));
    };
    diagnostics.push(problem);
    None
}

/// A build stage's name: BuildKit lowercases `FROM ... AS NAME` and then
/// takes `[a-z][a-z0-9-_.]*` (frontend/dockerfile/instructions/parse.go).
fn checked_target(literal: &StringLit, diagnostics: &mut Diagnostics) -> Option<String> {
    let name = &literal.value;
    let valid = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if valid {
        return Some(name.to_string());
    }
    diagnostics.push(
        Diagnostic::error(
            Code::OutOfRange,
            format!("`{name}` is not a build stage name"),
        )
        .at(literal.span)
        .with_label("a letter, then letters, digits, `-`, `_` and `.`")
        .with_help("name a stage the Dockerfile declares with `FROM image AS NAME`, such as `target = \"runtime\"`"),
    );
    None
}

#[derive(Clone, Copy)]
enum Kind {
    Args,
    Labels,
}

impl Kind {
    fn key(self) -> &'static str {
        match self {
            Kind::Args => "args",
            Kind::Labels => "labels",
        }
    }

    fn example(self) -> &'static str {
        match self {
            Kind::Args => "{ NODE_VERSION = \"20\" }",
            Kind::Labels => "{ \"org.opencontainers.image.source\" = \"https://...\" }",
        }
    }
}

/// `args` or `labels`: names and string, number or boolean values; strings
/// may hold run-time references, checked as in `env`.
fn values(entry: &Entry, kind: Kind, diagnostics: &mut Diagnostics) -> Vec<(String, Text)> {
    let ValueKind::Map(entries) = &entry.value.kind else {
        diagnostics.push(wrong_type(
            &entry.value,
            &format!("a map such as `{}`", kind.example()),
        ));
        return Vec::new();
    };
    let mut out: Vec<(String, Text)> = Vec::new();
    let mut seen: Vec<&Ident> = Vec::new();
    for item in entries {
        if let Some(first) = seen.iter().find(|k| k.name == item.key.name) {
            diagnostics.push(set_twice(&item.key.name, item.key.span, first.span));
            continue;
        }
        seen.push(&item.key);
        let named = match kind {
            Kind::Args => check_arg_name(&item.key, diagnostics),
            Kind::Labels => check_label_key(&item.key, diagnostics),
        };
        let value = match &item.value.kind {
            ValueKind::String(literal) => literal_text(literal, diagnostics),
            ValueKind::Integer(n) => Some(Text::literal(n.to_string())),
            ValueKind::Boolean(b) => Some(Text::literal(b.to_string())),
            _ => {
                diagnostics.push(
                    wrong_type(
                        &item.value,
                        &format!("a string, number or boolean as a value of `{}`", kind.key()),
                    )
                    .with_help(format!("write one value, such as `{}`", kind.example())),
                );
                None
            }
        };
        if let (true, Some(value)) = (named, value) {
            out.push((item.key.name.to_string(), value));
        }
    }
    out
}

/// A string value: run-time references checked as in `env`; a `{{ }}`
/// template is refused, as an image is built once for every environment.
fn literal_text(literal: &StringLit, diagnostics: &mut Diagnostics) -> Option<Text> {
    if let Some(at) = literal.value.find("{{") {
        diagnostics.push(
            Diagnostic::error(
                Code::TemplateSyntax,
                "`{{ }}` templates are not expanded in a build",
            )
            .at(literal.span_of(at..at + 2))
            .with_label("an image is built once, for every environment")
            .with_help("pass a run-time reference such as `\"${STAGE:-dev}\"` and set the variable where the image is built"),
        );
        return None;
    }
    Some(runtime_text(literal, diagnostics))
}

/// A build argument's name: an `ARG` name, which `--build-arg NAME=VALUE`
/// and the Dockerfile's `${NAME}` read as a shell variable's.
fn check_arg_name(key: &Ident, diagnostics: &mut Diagnostics) -> bool {
    let name = &key.name;
    let valid = is_shell_variable(name);
    if !valid {
        diagnostics.push(
            Diagnostic::error(
                Code::InvalidName,
                format!("`{name}` is not a build argument name"),
            )
            .at(key.span)
            .with_label("letters, digits and `_` only, not starting with a digit")
            .with_help(format!(
                "name it as the Dockerfile's `ARG` does, such as `{}`",
                name.replace(['-', '.'], "_")
            )),
        );
    }
    valid
}

/// A label key `docker build --label KEY=VALUE` reads back as written: not
/// empty, no `=`, no white space or control characters.
fn check_label_key(key: &Ident, diagnostics: &mut Diagnostics) -> bool {
    let name = &key.name;
    let valid = !name.is_empty()
        && !name
            .chars()
            .any(|c| c == '=' || c.is_whitespace() || c.is_control());
    if !valid {
        diagnostics.push(
            Diagnostic::error(Code::InvalidName, format!("`{name}` is not a label key"))
                .at(key.span)
                .with_label("no `=`, spaces or control characters")
                .with_help(
                    "write keys in reverse-DNS form, such as `\"org.opencontainers.image.source\"`",
                ),
        );
    }
    valid
}
