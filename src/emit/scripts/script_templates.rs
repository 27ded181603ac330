//! The bash templates: the shared environment ([`Templates`]) with shell
//! escaping and the shell filters, and every template embedded.

use minijinja::value::Value;
use minijinja::{Error, ErrorKind};
use serde::Deserialize;

use super::closure::Closure;
use super::family::FAMILIES;
use crate::emit::templates::{Escaping, Templates};
use crate::model::{Text, TextPart, VarOperator};
use crate::shell;

/// Template name → source, embedded at compile time (the task families
/// are listed in [`FAMILIES`]).
const TEMPLATES: &[(&str, &str)] = &[
    (
        "stack.bash",
        include_str!("../../../templates/scripts/stack.bash.j2"),
    ),
    (
        "model.bash",
        include_str!("../../../templates/scripts/model.bash.j2"),
    ),
    (
        "prelude.bash",
        include_str!("../../../templates/scripts/prelude.bash.j2"),
    ),
    (
        "health.bash",
        include_str!("../../../templates/scripts/health.bash.j2"),
    ),
    (
        "runners.bash",
        include_str!("../../../templates/scripts/runners.bash.j2"),
    ),
    (
        "slots.bash",
        include_str!("../../../templates/scripts/slots.bash.j2"),
    ),
    (
        "runtime_api.bash",
        include_str!("../../../templates/scripts/runtime_api.bash.j2"),
    ),
    (
        "judgement.bash",
        include_str!("../../../templates/scripts/judgement.bash.j2"),
    ),
    (
        "completion.bash",
        include_str!("../../../templates/scripts/completion.bash.j2"),
    ),
    (
        "completion.zsh",
        include_str!("../../../templates/scripts/completion.zsh.j2"),
    ),
];

/// The bash templates, with the shell filters on top of the shared ones:
/// `shell_quote` (a quoted word; the formatter applies it to every string
/// anyway), `shell_words` (a list as quoted words), `shell_word` (a name
/// from stackc's own tables, bare when the shell reads it back unchanged),
/// `shell_assignment` (a [`Text`] with its run-time references expanded).
pub struct ScriptTemplates {
    templates: Templates,
}

impl ScriptTemplates {
    pub fn new() -> Result<ScriptTemplates, Error> {
        let sources: Vec<(&'static str, &'static str)> = TEMPLATES
            .iter()
            .copied()
            .chain(
                FAMILIES
                    .iter()
                    .map(|family| (family.template, family.source)),
            )
            .collect();
        let mut templates = Templates::new(Escaping::SHELL, &sources)?;
        templates.add_filter("shell_words", shell_words);
        templates.add_filter("shell_word", |value: &str| {
            Value::from_safe_string(shell::quote_if_needed(value))
        });
        templates.add_filter("shell_assignment", |value: Value| -> Result<Value, Error> {
            // The context computes its assignments once (a safe string).
            if value.is_safe() {
                return Ok(value);
            }
            let text = TextShape::deserialize(value)?.into_text();
            Ok(Value::from_safe_string(shell::assignment(&text)))
        });
        Ok(ScriptTemplates { templates })
    }

    /// Renders template `name`; see [`Templates::render`]. (The task
    /// runner streams its files with [`ScriptTemplates::render_to`].)
    #[cfg(test)]
    pub fn render(&self, name: &str, context: impl serde::Serialize) -> Result<String, Error> {
        self.templates.render(name, context)
    }

    /// Renders template `name` into `out`; see [`Templates::render_to`].
    pub fn render_to(
        &self,
        name: &str,
        context: impl serde::Serialize,
        out: &mut dyn std::io::Write,
    ) -> Result<(), Error> {
        self.templates.render_to(name, context, out)
    }
}

/// A list of strings as space-separated quoted words, quoted straight into
/// one string; a component's closure is read from the graph without
/// listing it as template values.
fn shell_words(values: Value) -> Result<Value, Error> {
    let mut out = String::new();
    let mut word = |value: &str| {
        if !out.is_empty() {
            out.push(' ');
        }
        shell::write_quoted(&mut out, value)
    };
    if let Some(closure) = values.downcast_object_ref::<Closure>() {
        for name in closure.names() {
            word(name)?;
        }
    } else {
        for value in values.try_iter()? {
            let text = value.as_str().ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidOperation,
                    format!("shell_words takes strings, not a {}", value.kind()),
                )
            })?;
            word(text)?;
        }
    }
    Ok(Value::from_safe_string(out))
}

/// The serialized shape of [`Text`], read back inside the filter.
#[derive(Deserialize)]
struct TextShape {
    parts: Vec<TextPartShape>,
}

#[derive(Deserialize)]
enum TextPartShape {
    Literal(String),
    Variable {
        name: String,
        operator: Option<OperatorShape>,
        word: String,
    },
}

#[derive(Deserialize)]
enum OperatorShape {
    DefaultIfEmpty,
    DefaultIfUnset,
    ErrorIfEmpty,
    ErrorIfUnset,
}

impl TextShape {
    fn into_text(self) -> Text {
        Text {
            parts: self
                .parts
                .into_iter()
                .map(|part| match part {
                    TextPartShape::Literal(s) => TextPart::Literal(s),
                    TextPartShape::Variable {
                        name,
                        operator,
                        word,
                    } => TextPart::Variable {
                        name,
                        operator: operator.map(|o| match o {
                            OperatorShape::DefaultIfEmpty => VarOperator::DefaultIfEmpty,
                            OperatorShape::DefaultIfUnset => VarOperator::DefaultIfUnset,
                            OperatorShape::ErrorIfEmpty => VarOperator::ErrorIfEmpty,
                            OperatorShape::ErrorIfUnset => VarOperator::ErrorIfUnset,
                        }),
                        word,
                    },
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_str(source: &str, context: Value) -> Result<String, Error> {
        let mut templates = ScriptTemplates::new().expect("templates load");
        templates.templates.add_template_owned("t", source)?;
        templates.render("t", context)
    }

    #[test]
    fn every_value_is_quoted_by_default() {
        let out = render_str(
            "x={{ v }} n={{ n }} {{ l|shell_words }} # {{ v|comment }}",
            minijinja::context! { v => "a'b $c\nd", n => 8080, l => vec!["a b", "c"] },
        )
        .expect("renders");
        assert_eq!(out, "x='a'\\''b $c\nd' n=8080 'a b' 'c' # a'b $c\\nd");
    }

    #[test]
    fn table_names_are_bare_when_safe() {
        let out = render_str(
            "{{ a|shell_word }} {{ b|shell_word }} {{ c|shell_word }}",
            minijinja::context! { a => "docker:build", b => "--help", c => "a b" },
        )
        .expect("renders");
        assert_eq!(out, "docker:build --help 'a b'");
    }

    #[test]
    fn text_filter_reads_the_model_shape() {
        let text = Text {
            parts: vec![
                TextPart::Literal("h ".into()),
                TextPart::Variable {
                    name: "IP".into(),
                    operator: Some(VarOperator::DefaultIfEmpty),
                    word: "1.2.3.4".into(),
                },
            ],
        };
        let out = render_str(
            "{{ t|shell_assignment }}",
            minijinja::context! { t => Value::from_serialize(&text) },
        )
        .expect("renders");
        assert_eq!(out, "'h '${IP:-'1.2.3.4'}");
    }
}
