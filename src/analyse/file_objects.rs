//! Top-level `secret NAME { }` and `config NAME { }` blocks: Compose's
//! secrets and configs, each with exactly one source of its contents.

use camino::Utf8Path;

use super::build_context::leaves_root;
use super::fields::{defined_twice, Fields, Schema};
use super::labels;
use super::names::NAME_MAX;
use super::paths::relative_path;
use super::runtime::runtime_text;
use crate::diagnostic::{did_you_mean, Code, Diagnostic, Diagnostics};
use crate::model::{FileObject, FileSource};
use crate::source::Span;
use crate::syntax::ast::{Block, Ident, StringLit};

/// Which of the two a block declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Secret,
    Config,
}

impl Kind {
    /// The block's keyword, and the component attribute that uses it
    /// (`secret` → `secrets`).
    pub fn word(self) -> &'static str {
        match self {
            Kind::Secret => "secret",
            Kind::Config => "config",
        }
    }

    /// The sources Compose takes: a secret has no `content`.
    fn sources(self) -> &'static [&'static str] {
        match self {
            Kind::Secret => SECRET.attributes,
            Kind::Config => CONFIG.attributes,
        }
    }

    fn schema(self) -> &'static Schema {
        match self {
            Kind::Secret => &SECRET,
            Kind::Config => &CONFIG,
        }
    }
}

const SECRET: Schema = Schema {
    what: "a secret",
    attributes: &["file", "environment"],
    blocks: &[],
};
const CONFIG: Schema = Schema {
    what: "a config",
    attributes: &["file", "environment", "content"],
    blocks: &[],
};

/// A checked `secret` or `config` block, with the spans later rules
/// point at.
pub struct FileObjectDecl<'a> {
    pub model: FileObject,
    pub name: &'a Ident,
    /// The source attribute's value: what a Swarm refusal points at.
    pub source_span: Span,
}

/// Every declared secret and config, in declared order, each name once.
#[derive(Default)]
pub struct FileObjects<'a> {
    pub secrets: Vec<FileObjectDecl<'a>>,
    pub configs: Vec<FileObjectDecl<'a>>,
    /// Names declared with a mistake (reported): entries naming them are
    /// not reported again.
    pub invalid: Vec<(Kind, String)>,
}

impl<'a> FileObjects<'a> {
    /// The declarations of `kind`.
    pub fn of(&self, kind: Kind) -> &[FileObjectDecl<'a>] {
        match kind {
            Kind::Secret => &self.secrets,
            Kind::Config => &self.configs,
        }
    }

    /// Whether `name` was declared as `kind` with a mistake.
    pub fn is_invalid(&self, kind: Kind, name: &str) -> bool {
        self.invalid.iter().any(|(k, n)| *k == kind && n == name)
    }

    /// The declaration of `kind` named `name`.
    pub fn find(&self, kind: Kind, name: &str) -> Option<&FileObjectDecl<'a>> {
        self.of(kind).iter().find(|d| d.model.name == name)
    }
}

/// Every name a `secret` or `config` block declares, with a mistake or
/// not, each with its kind.
pub fn declared_names<'a>(secrets: &[&'a Block], configs: &[&'a Block]) -> Vec<(Kind, &'a str)> {
    let names = |kind: Kind, blocks: &[&'a Block]| -> Vec<(Kind, &'a str)> {
        blocks
            .iter()
            .filter_map(|b| b.label.as_ref())
            .map(|label| (kind, label.name.as_str()))
            .collect()
    };
    let mut out = names(Kind::Secret, secrets);
    out.extend(names(Kind::Config, configs));
    out
}

/// Checks the `secret` and `config` blocks; `root` is the workspace root,
/// where a `file` source is looked up.
pub fn file_objects<'a>(
    secrets: &[&'a Block],
    configs: &[&'a Block],
    root: &Utf8Path,
    diagnostics: &mut Diagnostics,
) -> FileObjects<'a> {
    let mut invalid = Vec::new();
    FileObjects {
        secrets: declarations(Kind::Secret, secrets, root, &mut invalid, diagnostics),
        configs: declarations(Kind::Config, configs, root, &mut invalid, diagnostics),
        invalid,
    }
}

fn declarations<'a>(
    kind: Kind,
    blocks: &[&'a Block],
    root: &Utf8Path,
    invalid: &mut Vec<(Kind, String)>,
    diagnostics: &mut Diagnostics,
) -> Vec<FileObjectDecl<'a>> {
    let word = kind.word();
    let mut out: Vec<FileObjectDecl> = Vec::new();
    let mut seen: Vec<&Ident> = Vec::new();
    for block in blocks {
        let example = format!("{word} NAME {{ file = \"...\" }}");
        let Some(name) = labels::required(block, &example, diagnostics) else {
            continue;
        };
        let valid_name = check_object_name(name, word, diagnostics);
        if let Some(first) = seen.iter().find(|d| d.name == name.name) {
            diagnostics.push(
                defined_twice(
                    format!("{word} `{}` is defined twice", name.name),
                    name.span,
                    Some(first.span),
                )
                .with_help("rename or remove one of them"),
            );
            continue;
        }
        seen.push(name);
        let source = source(kind, block, root, diagnostics);
        let Some((source, source_span)) = source.filter(|_| valid_name) else {
            invalid.push((kind, name.name.to_string()));
            continue;
        };
        {
            out.push(FileObjectDecl {
                model: FileObject {
                    name: name.name.to_string(),
                    source,
                },
                name,
                source_span,
            });
        }
    }
    out
}

/// Letters, digits, `_` and `-`, starting and ending with a letter or
/// digit, at most [`NAME_MAX`] bytes: Compose takes `[a-zA-Z0-9._-]+`, and
/// Swarm names its secrets and configs `STACK-ENV_NAME`, which must start
/// and end with a letter or digit.
fn check_object_name(name: &Ident, word: &str, diagnostics: &mut Diagnostics) -> bool {
    let text = &name.name;
    let alphanumeric_ends = text.starts_with(|c: char| c.is_ascii_alphanumeric())
        && text.ends_with(|c: char| c.is_ascii_alphanumeric());
    let problem = if text.len() > NAME_MAX {
        Some(format!("{} bytes, more than {NAME_MAX}", text.len()))
    } else if !alphanumeric_ends {
        Some("it must start and end with a letter or digit".to_string())
    } else {
        None
    };
    let Some(problem) = problem else {
        return true;
    };
    let trimmed = text.trim_matches(['_', '-']);
    let help = if trimmed.is_empty() || text.len() > NAME_MAX {
        format!("name it with letters, digits, `_` and `-`, such as `db_password`, at most {NAME_MAX} bytes")
    } else {
        format!("try `{trimmed}`")
    };
    diagnostics.push(
        Diagnostic::error(
            Code::InvalidName,
            format!("`{text}` is not a valid {word} name"),
        )
        .at(name.span)
        .with_label(problem)
        .with_help(help),
    );
    false
}

/// The block's one source, and its value's span; `None` after reporting
/// none, several, or a wrong one.
fn source(
    kind: Kind,
    block: &Block,
    root: &Utf8Path,
    diagnostics: &mut Diagnostics,
) -> Option<(FileSource, Span)> {
    let fields = Fields::read(&block.items, block.span(), kind.schema(), diagnostics);
    let word = kind.word();
    // In the order written, so the second one written is reported.
    let mut written: Vec<(&str, Span)> = kind
        .sources()
        .iter()
        .filter_map(|key| fields.attribute(key).map(|a| (*key, a.key.span)))
        .collect();
    written.sort_by_key(|(_, span)| span.start);
    let written: Vec<&str> = written.into_iter().map(|(key, _)| key).collect();
    let listed = match kind.sources() {
        [a, b] => format!("`{a}` or `{b}`"),
        _ => "`file`, `environment` or `content`".to_string(),
    };
    let (key, rest) = match written.split_first() {
        Some(split) => split,
        None => {
            if !fields.has_unknown() {
                diagnostics.push(
                    Diagnostic::error(
                        Code::MissingAttribute,
                        format!("a {word} needs one of {listed}"),
                    )
                    .at(block.kind.span)
                    .with_help(format!(
                        "add `file = \"secrets/{name}.txt\"` (a file of the workspace) or `environment = \"VARIABLE\"` (read where Compose runs)",
                        name = block.label.as_ref().map_or("NAME", |l| l.name.as_str())
                    )),
                );
            }
            return None;
        }
    };
    if let Some(second) = rest.first() {
        let first_span = fields.attribute(key).map(|a| a.key.span);
        let mut diagnostic = Diagnostic::error(
            Code::MissingAttribute,
            format!("a {word} takes one of {listed}, not both `{key}` and `{second}`"),
        )
        .with_help(format!(
            "keep one source: Compose makes the {word} from exactly one"
        ));
        if let Some(attribute) = fields.attribute(second) {
            diagnostic = diagnostic
                .at(attribute.key.span)
                .with_label("a second source");
        }
        if let Some(span) = first_span {
            diagnostic = diagnostic.also(span, "the first source");
        }
        diagnostics.push(diagnostic);
        return None;
    }
    let literal = fields.string(key, diagnostics)?;
    let source = match *key {
        "file" => FileSource::File(file(literal, word, root, diagnostics)?),
        "environment" => FileSource::Environment(variable(literal, diagnostics)?),
        _ => FileSource::Content(runtime_text(literal, diagnostics)),
    };
    Some((source, literal.span))
}

/// A `file` source: a regular file of the workspace, relative to its root.
fn file(
    literal: &StringLit,
    word: &str,
    root: &Utf8Path,
    diagnostics: &mut Diagnostics,
) -> Option<String> {
    let path = relative_path(literal, &format!("{word} file"), diagnostics)?;
    let on_disk = root.join(&path);
    let problem = if !on_disk.exists() {
        Diagnostic::error(
            Code::MissingPath,
            format!("the {word} file `{path}` does not exist"),
        )
        .at(literal.span)
        .with_label("no such file")
        .with_help(match sibling_file(root, &path) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!(
                "create it (and keep it out of version control when it holds a secret), or name the file that holds the {word}; `docker compose up` fails without it"
            ),
        })
    } else if leaves_root(&on_disk, root) {
        Diagnostic::error(
            Code::OutsideRoot,
            format!("the {word} file `{path}` leaves the workspace root through a symbolic link"),
        )
        .at(literal.span)
        .with_label("a symbolic link on this path leads outside")
        .with_help("the generated files reach only files under the workspace root; move or copy the file inside it")
    } else if !on_disk.is_file() {
        Diagnostic::error(
            Code::MissingPath,
            format!("the {word} file `{path}` is not a file"),
        )
        .at(literal.span)
        .with_help(format!(
            "Compose mounts the {word} as one file: name a file, not a folder"
        ))
    } else {
        return Some(path);
    };
    diagnostics.push(problem);
    None
}

/// The file beside the missing `path` (same folder, workspace-relative)
/// whose name is close to its name, as the path to write.
fn sibling_file(root: &Utf8Path, path: &str) -> Option<String> {
    let (parent, name) = path.rsplit_once('/').unwrap_or(("", path));
    let folder = if parent.is_empty() {
        root.to_path_buf()
    } else {
        root.join(parent)
    };
    let mut files: Vec<String> = folder
        .read_dir_utf8()
        .ok()?
        .filter_map(Result::ok)
        .filter(|entry| entry.path().is_file())
        .map(|entry| entry.file_name().to_string())
        .collect();
    files.sort();
    let close = did_you_mean(name, files.iter().map(String::as_str))?;
    Some(if parent.is_empty() {
        close.to_string()
    } else {
        format!("{parent}/{close}")
    })
}

/// An `environment` source: the name of a variable.
fn variable(literal: &StringLit, diagnostics: &mut Diagnostics) -> Option<String> {
    let name = &literal.value;
    let valid = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if valid {
        return Some(name.to_string());
    }
    let inner = name
        .strip_prefix("${")
        .and_then(|n| n.strip_suffix('}'))
        .or_else(|| name.strip_prefix('$'));
    let help = match inner {
        Some(inner) => format!("`environment` names the variable, without `$`: write `\"{inner}\"`"),
        None => "`environment` names a variable: letters, digits and `_`, not starting with a digit, such as `\"API_TOKEN\"`".to_string(),
    };
    diagnostics.push(
        Diagnostic::error(
            Code::InvalidName,
            format!("`{name}` is not a valid environment variable name"),
        )
        .at(literal.span)
        .with_help(help),
    );
    None
}
