//! Reads the attributes and nested blocks of one block against a schema:
//! unknown keys get "did you mean", duplicates show both places, and typed
//! getters turn a value of the wrong type into a diagnostic.

use super::closed_set;
use super::names::check_variable_name;
use crate::diagnostic::{did_you_mean, Code, Diagnostic, Diagnostics};
use crate::source::Span;
use crate::syntax::ast::{Attribute, Block, Ident, Item, Operator, StringLit, Value, ValueKind};

/// What a block may contain.
pub struct Schema {
    /// What the block is, in words ("a component").
    pub what: &'static str,
    pub attributes: &'static [&'static str],
    pub blocks: &'static [&'static str],
}

/// The attributes and blocks of one block, checked against its schema.
pub struct Fields<'a> {
    attributes: Vec<&'a Attribute>,
    pub blocks: Vec<&'a Block>,
    /// The allowed keys that unknown ones were probably meant to be
    /// (`imgae` → `image`): a key reported misspelt is not also missing.
    misspelt: Vec<&'static str>,
    /// Some key was not in the schema (reported).
    unknown: bool,
    /// The whole block, for "missing attribute" diagnostics.
    pub span: Span,
}

impl<'a> Fields<'a> {
    /// Sorts `items` into attributes and blocks the schema allows; reports
    /// unknown keys (with the closest allowed one), attributes written as
    /// blocks and the reverse, keys set twice and `include`.
    pub fn read(
        items: &'a [Item],
        span: Span,
        schema: &Schema,
        diagnostics: &mut Diagnostics,
    ) -> Fields<'a> {
        let mut fields = Fields {
            attributes: Vec::new(),
            blocks: Vec::new(),
            misspelt: Vec::new(),
            unknown: false,
            span,
        };
        for item in items {
            match item {
                Item::Attribute(attribute) => {
                    let key = attribute.key.name.as_str();
                    if schema.blocks.contains(&key) {
                        diagnostics.push(
                            Diagnostic::error(
                                Code::WrongType,
                                format!("`{key}` is a block, not an attribute"),
                            )
                            .at(attribute.operator_span())
                            .with_help(format!("write `{key} {{ ... }}` without `=`")),
                        );
                    } else if !schema.attributes.contains(&key) {
                        fields.note_misspelt(key, schema.attributes);
                        diagnostics.push(unknown(
                            &attribute.key,
                            schema,
                            schema.attributes,
                            "attribute",
                        ));
                    } else if let Some(first) = fields.attributes.iter().find(|a| a.key.name == key)
                    {
                        diagnostics.push(set_twice(key, attribute.key.span, first.key.span));
                    } else {
                        fields.attributes.push(attribute);
                    }
                }
                Item::Block(block) => {
                    if schema.blocks.contains(&block.kind.name.as_str()) {
                        fields.blocks.push(block);
                    } else if schema.attributes.contains(&block.kind.name.as_str()) {
                        diagnostics.push(
                            Diagnostic::error(
                                Code::WrongType,
                                format!("`{}` is an attribute, not a block", block.kind.name),
                            )
                            .at(block.kind.span)
                            .with_help(format!("write `{} = ...`", block.kind.name)),
                        );
                    } else {
                        fields.note_misspelt(&block.kind.name, schema.blocks);
                        diagnostics.push(unknown(&block.kind, schema, schema.blocks, "block"));
                    }
                }
                Item::Include(include) => diagnostics.push(
                    Diagnostic::error(
                        Code::UnknownAttribute,
                        format!("`include` is not allowed inside {}", schema.what),
                    )
                    .at(include.span)
                    .with_help("includes go at the top level of a file"),
                ),
            }
        }
        fields
    }

    /// Notes which allowed key the unknown `key` was probably meant to be.
    fn note_misspelt(&mut self, key: &str, allowed: &[&'static str]) {
        self.unknown = true;
        if let Some(meant) = did_you_mean(key, allowed.iter().copied()) {
            if let Some(known) = allowed.iter().find(|a| **a == meant) {
                self.misspelt.push(known);
            }
        }
    }

    /// Whether an unknown key was reported that was probably meant to be
    /// `key`: what depends on `key` then stays silent.
    pub fn misspelt(&self, key: &str) -> bool {
        self.misspelt.contains(&key)
    }

    /// Whether some key was not in the schema (and was reported).
    pub fn has_unknown(&self) -> bool {
        self.unknown
    }

    /// The attribute `key`, whatever its operator.
    pub fn attribute(&self, key: &str) -> Option<&'a Attribute> {
        self.attributes.iter().copied().find(|a| a.key.name == key)
    }

    /// The value of `key`, requiring the `=` operator.
    pub fn value(&self, key: &str, diagnostics: &mut Diagnostics) -> Option<&'a Value> {
        let attribute = self.attribute(key)?;
        if attribute.operator != Operator::Equals {
            diagnostics.push(
                Diagnostic::error(
                    Code::WrongOperator,
                    format!("`{key}` takes `=`, not `{}`", attribute.operator.as_str()),
                )
                .at(attribute.operator_span())
                .with_help(format!("write `{key} = ...`")),
            );
            return None;
        }
        Some(&attribute.value)
    }

    /// The string `key`; reports another type.
    pub fn string(&self, key: &str, diagnostics: &mut Diagnostics) -> Option<&'a StringLit> {
        let value = self.value(key, diagnostics)?;
        expect_string(value, diagnostics)
    }

    /// The duration `key` in milliseconds; reports another type.
    pub fn duration(&self, key: &str, diagnostics: &mut Diagnostics) -> Option<u64> {
        let value = self.value(key, diagnostics)?;
        match value.kind {
            ValueKind::Duration(ms) => Some(ms),
            _ => {
                diagnostics.push(wrong_type(value, "a duration such as `30s`"));
                None
            }
        }
    }

    /// The number `key` and its span; reports another type.
    pub fn integer(&self, key: &str, diagnostics: &mut Diagnostics) -> Option<(i64, Span)> {
        let value = self.value(key, diagnostics)?;
        match value.kind {
            ValueKind::Integer(n) => Some((n, value.span)),
            _ => {
                diagnostics.push(wrong_type(value, "a number"));
                None
            }
        }
    }

    /// The bare name `key` (`runner = mocha`); reports another type.
    pub fn name(&self, key: &str, diagnostics: &mut Diagnostics) -> Option<Ident> {
        let value = self.value(key, diagnostics)?;
        expect_name(value, diagnostics)
    }

    /// The list of bare names `key` (`[redis, db]`); empty when absent,
    /// the wrong items left out and reported.
    pub fn names(&self, key: &str, diagnostics: &mut Diagnostics) -> Vec<Ident> {
        let Some(value) = self.value(key, diagnostics) else {
            return Vec::new();
        };
        match &value.kind {
            ValueKind::List(items) => items
                .iter()
                .filter_map(|item| expect_name(item, diagnostics))
                .collect(),
            _ => {
                diagnostics.push(wrong_type(value, "a list of names such as `[redis, db]`"));
                Vec::new()
            }
        }
    }

    /// A required attribute: reports it missing when absent.
    pub fn require<T>(
        &self,
        key: &str,
        found: Option<T>,
        what: &str,
        example: &str,
        diagnostics: &mut Diagnostics,
    ) -> Option<T> {
        if found.is_none() && self.attribute(key).is_none() && !self.misspelt(key) {
            diagnostics.push(
                Diagnostic::error(Code::MissingAttribute, format!("{what} needs `{key}`"))
                    .at(self.span)
                    .with_help(format!("add `{example}`")),
            );
        }
        found
    }
}

/// A block of `NAME = "value"` pairs (environment variables).
pub fn string_map<'a>(
    block: &'a Block,
    schema: &Schema,
    diagnostics: &mut Diagnostics,
) -> Vec<(&'a Ident, &'a StringLit)> {
    string_map_named(block, schema, check_variable_name, diagnostics)
}

/// [`string_map`] whose names `check_name` judges (and reports on).
pub fn string_map_named<'a>(
    block: &'a Block,
    schema: &Schema,
    check_name: fn(&Ident, &mut Diagnostics) -> bool,
    diagnostics: &mut Diagnostics,
) -> Vec<(&'a Ident, &'a StringLit)> {
    let mut out: Vec<(&Ident, &StringLit)> = Vec::new();
    for item in &block.items {
        let Item::Attribute(attribute) = item else {
            let span = item.span();
            diagnostics.push(
                Diagnostic::error(
                    Code::UnknownAttribute,
                    format!("{} holds only `NAME = \"value\"` pairs", schema.what),
                )
                .at(span)
                .with_help("nested blocks are not allowed here"),
            );
            continue;
        };
        if !check_name(&attribute.key, diagnostics) {
            continue;
        }
        if let Some((first, _)) = out.iter().find(|(k, _)| k.name == attribute.key.name) {
            diagnostics.push(set_twice(
                &attribute.key.name,
                attribute.key.span,
                first.span,
            ));
            continue;
        }
        if attribute.operator != Operator::Equals {
            diagnostics.push(
                Diagnostic::error(
                    Code::WrongOperator,
                    format!("`{}` takes `=`", attribute.key.name),
                )
                .at(attribute.operator_span()),
            );
            continue;
        }
        if let Some(literal) = expect_string(&attribute.value, diagnostics) {
            out.push((&attribute.key, literal));
        }
    }
    out
}

/// The same key given twice in one block or map: both places shown.
pub fn set_twice(key: &str, again: Span, first: Span) -> Diagnostic {
    Diagnostic::error(Code::Duplicate, format!("`{key}` is set twice"))
        .at(again)
        .with_label("set again here")
        .also(first, "first set here")
        .with_help("remove one of them")
}

/// E0101 for something declared twice: `message` says what, `again` is the
/// second declaration, `first` the first where it is known. Callers add
/// the help that fits (the four kinds of declaration word it differently).
pub fn defined_twice(message: String, again: Span, first: Option<Span>) -> Diagnostic {
    let diagnostic = Diagnostic::error(Code::Duplicate, message)
        .at(again)
        .with_label("defined again here");
    match first {
        Some(first) => diagnostic.also(first, "first defined here"),
        None => diagnostic,
    }
}

/// The value as a string; reports another type.
pub fn expect_string<'v>(value: &'v Value, diagnostics: &mut Diagnostics) -> Option<&'v StringLit> {
    match &value.kind {
        ValueKind::String(s) => Some(s),
        _ => {
            diagnostics.push(wrong_type(value, "a string such as `\"text\"`"));
            None
        }
    }
}

/// The value as `true` or `false`; reports another type (with a hint
/// for a quoted `"true"`).
pub fn expect_boolean(value: &Value, diagnostics: &mut Diagnostics) -> Option<bool> {
    match value.kind {
        ValueKind::Boolean(b) => Some(b),
        ValueKind::String(ref s) if s.value == "true" || s.value == "false" => {
            diagnostics.push(
                wrong_type(value, "`true` or `false`")
                    .with_help(format!("write `{}` without quotes", s.value)),
            );
            None
        }
        _ => {
            diagnostics.push(wrong_type(value, "`true` or `false`"));
            None
        }
    }
}

/// The value as a bare name; reports another type (with a hint for a
/// quoted name).
pub fn expect_name(value: &Value, diagnostics: &mut Diagnostics) -> Option<Ident> {
    match &value.kind {
        ValueKind::Ident(name) => Some(Ident {
            name: name.clone(),
            span: value.span,
        }),
        ValueKind::String(s) => {
            diagnostics.push(
                wrong_type(value, "a name")
                    .with_help(format!("names are written without quotes: `{}`", s.value)),
            );
            None
        }
        _ => {
            diagnostics.push(wrong_type(value, "a name"));
            None
        }
    }
}

/// A value of another type where `expected` ("a duration such as `30s`")
/// was wanted, with a hint for a number missing its unit.
pub fn wrong_type(value: &Value, expected: &str) -> Diagnostic {
    let found = value.kind.describe();
    let mut diagnostic = Diagnostic::error(
        Code::WrongType,
        format!("expected {expected}, found {found}"),
    )
    .at(value.span)
    .with_label(format!("this is {found}"));
    if matches!(value.kind, ValueKind::Integer(_)) && expected.contains("duration") {
        diagnostic =
            diagnostic.with_help("durations take a unit: `ms`, `s`, `m` or `h`, as in `30s`");
    } else if matches!(value.kind, ValueKind::Integer(_)) && expected.contains("percentage") {
        diagnostic = diagnostic.with_help("percentages end in `%`, as in `1%`");
    } else if matches!(value.kind, ValueKind::Relative(_)) {
        diagnostic = diagnostic.with_help(RELATIVE_ONLY_IN_KPI);
    }
    diagnostic
}

/// Where a relative value (`stable + 0.5%`) may be written.
pub const RELATIVE_ONLY_IN_KPI: &str = "a value relative to `stable` is written only as a tolerance in `kpi { }`: `error_rate < stable + 0.5%` or `response_time < stable + 50ms`";

fn unknown(key: &Ident, schema: &Schema, allowed: &[&str], kind: &str) -> Diagnostic {
    let mut diagnostic = Diagnostic::error(
        Code::UnknownAttribute,
        format!("{} has no {kind} `{}`", schema.what, key.name),
    )
    .at(key.span)
    .with_label(format!("unknown {kind}"));
    let set = format!("{kind}s of {}", schema.what);
    if let Some(help) = closed_set::help(&key.name, allowed, &set) {
        diagnostic = diagnostic.with_help(help);
    } else {
        diagnostic = diagnostic.with_help(format!("{} takes no {kind}s", schema.what));
    }
    diagnostic
}
