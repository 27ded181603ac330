//! The workspace the import writes: a `Stackfile` (the stack, and an
//! include of the components) and `components/NAME.stack` per component,
//! each laid out by the project's formatter, as `stackc fmt` would.

use crate::format::format_source;
use crate::source::FileId;

use super::component::Component;
use super::compose_file::ComposeFile;
use super::interpolation::with_defaults;
use super::paths::inside;
use super::report::{Place, Reporter};
use super::Request;

/// The folder, under the workspace root, holding the components' files.
pub const COMPONENTS_DIR: &str = "components";

/// The files to write, by path relative to the workspace root (`/`
/// separators), each formatted; sorted by path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workspace {
    pub stack: String,
    pub files: Vec<(String, String)>,
}

/// The stack's name: Compose's top-level `name:` (the first file's that
/// sets one), interpolated as Compose would with no variable set (each
/// reference's default; a reference without one is reported), else the
/// name of the folder the workspace is written to (`root`: `--into DIR`,
/// by default the first file's folder), as Compose derives a project name
/// (lower case, only `a-z`, `0-9`, `_` and `-`), starting with a letter as
/// the language's names do; `stack` when nothing is left.
pub fn stack_name(files: &[ComposeFile], root: &str, report: &mut Reporter) -> String {
    let written = files.iter().find_map(|f| {
        let (key, node) = f.root.entry("name").filter(|_| !f.fig)?;
        let text = node.scalar_text()?;
        let (value, references) = with_defaults(&text);
        for reference in references.iter().filter(|r| !has_default(r)) {
            report.approximated(
                Place::key(f.file, key),
                format!("`name:` reads `{reference}` from the shell; the stack is named as if it were unset"),
                "give the reference a default (`${PROJECT:-shop}`), or write the name",
            );
        }
        // Nothing left (`${PROJECT}` unset): the folder's name, as Compose.
        Some(value).filter(|v| v.chars().any(|c| c.is_ascii_alphabetic()))
    });
    let written = written.or_else(|| root.rsplit('/').next().map(str::to_string));
    normalise_name(&written.unwrap_or_default())
}

/// Whether a reference (`${A:-x}`, `${A-x}`, `$A`) gives a default.
fn has_default(reference: &str) -> bool {
    let Some(inner) = reference.strip_prefix("${") else {
        return false;
    };
    let rest = inner.trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '_');
    rest.starts_with(":-") || rest.starts_with('-')
}

/// A name normalised as Compose normalises a project name.
pub fn normalise_name(name: &str) -> String {
    let kept: String = name
        .to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_' || *c == '-')
        .collect();
    // A letter first: the parser reads a word starting with a digit as a
    // number (`01-shop` is the stack `shop`).
    let trimmed = kept.trim_start_matches(|c: char| !c.is_ascii_lowercase());
    let mut name: String = trimmed.chars().take(63).collect();
    if name.is_empty() || matches!(name.as_str(), "env" | "stack" | "self" | "components") {
        name = if name.is_empty() {
            "stack".into()
        } else {
            format!("{name}-stack")
        };
    }
    name
}

/// Writes and formats every file.
///
/// Errors: a file the formatter cannot read back, which would be a bug in
/// the import (nothing is written then).
pub fn write(
    stack: &str,
    declarations: &str,
    components: Vec<Component>,
    files: &[ComposeFile],
    request: &Request,
) -> Result<Workspace, String> {
    let from: Vec<String> = files
        .iter()
        .map(|f| inside(&f.path, request.root).unwrap_or_else(|| (request.shown)(&f.path)))
        .collect();
    let mut stackfile = String::from("# Imported by `stackc import` from:\n");
    for path in &from {
        stackfile.push_str(&format!("#   {path}\n"));
    }
    stackfile.push_str(&format!("stack {stack} {{\n}}\n"));
    stackfile.push_str(declarations);
    if !components.is_empty() {
        stackfile.push_str(&format!("include \"{COMPONENTS_DIR}/*.stack\"\n"));
    }
    let mut out = vec![("Stackfile".to_string(), formatted(&stackfile)?)];
    for component in &components {
        out.push((
            format!("{COMPONENTS_DIR}/{}.stack", component.name),
            formatted(&component.write())?,
        ));
    }
    out.sort();
    Ok(Workspace {
        stack: stack.to_string(),
        files: out,
    })
}

fn formatted(text: &str) -> Result<String, String> {
    format_source(FileId(u32::MAX), text).map_err(|error| {
        format!(
            "internal error: the import wrote a file that does not parse ({}); nothing was written (please report this with the Compose files)",
            error.message
        )
    })
}
