//! A component's `env { }` block: its environment variables as written
//! (templates are checked and rendered later, once every component is known).

use super::fields::{string_map_named, Schema};
use super::names::check_env_name;
use crate::diagnostic::{Code, Diagnostics};
use crate::syntax::ast::{Block, Ident, Item, StringLit, ValueKind};

const ENV: Schema = Schema {
    what: "`env`",
    attributes: &[],
    blocks: &[],
};

/// An environment variable's value as written.
pub enum EnvSource<'a> {
    /// A string, possibly with `{{ }}` templates and `${}` references.
    String(&'a StringLit),
    /// A number or boolean, written as its text.
    Plain(String),
}

/// The block's variables in the order written; `text` is the text of the
/// file holding the block.
pub fn env<'a>(
    block: &'a Block,
    text: &str,
    diagnostics: &mut Diagnostics,
) -> Vec<(&'a Ident, EnvSource<'a>)> {
    let mut out: Vec<(&Ident, EnvSource)> = Vec::new();
    // Numbers and booleans are accepted and written as text; a number as
    // written (`0123` stays `0123`, as `fmt` keeps it), never as parsed.
    let mut plain = Vec::new();
    for item in &block.items {
        if let Item::Attribute(attribute) = item {
            match &attribute.value.kind {
                ValueKind::Integer(n) => {
                    let written = text
                        .get(attribute.value.span.range())
                        .filter(|w| {
                            w.trim_start_matches('-')
                                .bytes()
                                .all(|b| b.is_ascii_digit())
                        })
                        .map_or_else(|| n.to_string(), str::to_string);
                    plain.push((&attribute.key, written));
                }
                ValueKind::Boolean(b) => plain.push((&attribute.key, b.to_string())),
                _ => {}
            }
        }
    }
    let strings = string_map_lenient(block, diagnostics);
    for item in &block.items {
        let Item::Attribute(attribute) = item else {
            continue;
        };
        if let Some((key, literal)) = strings
            .iter()
            .find(|(k, _)| std::ptr::eq(*k, &attribute.key))
        {
            out.push((key, EnvSource::String(literal)));
        } else if let Some((key, text)) =
            plain.iter().find(|(k, _)| std::ptr::eq(*k, &attribute.key))
        {
            out.push((key, EnvSource::Plain(text.clone())));
        }
    }
    out
}

/// `string_map`, but numbers and booleans are not type errors, and names
/// are Compose's ([`check_env_name`]): `discovery.type` is one.
fn string_map_lenient<'a>(
    block: &'a Block,
    diagnostics: &mut Diagnostics,
) -> Vec<(&'a Ident, &'a StringLit)> {
    let mut local = Diagnostics::new();
    let pairs = string_map_named(block, &ENV, check_env_name, &mut local);
    for diagnostic in local.iter() {
        let about_plain = diagnostic.code == Code::WrongType
            && block.items.iter().any(|item| match item {
                Item::Attribute(a) => {
                    Some(a.value.span) == diagnostic.span
                        && matches!(a.value.kind, ValueKind::Integer(_) | ValueKind::Boolean(_))
                }
                _ => false,
            });
        if !about_plain {
            diagnostics.push(diagnostic.clone());
        }
    }
    pairs
}
