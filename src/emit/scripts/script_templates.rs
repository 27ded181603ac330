//! The minijinja environment for bash: templates embedded in the binary,
//! strict undefined, and a formatter that shell-quotes every value.

use minijinja::syntax::SyntaxConfig;
use minijinja::value::{Value, ValueKind};
use minijinja::{AutoEscape, Environment, Error, ErrorKind, UndefinedBehavior};
use serde::Deserialize;

use super::shell_quote::{comment, shell_assignment, shell_quote};
use crate::model::{Text, TextPart, VarOperator};

/// Template name → source, embedded at compile time.
const TEMPLATES: &[(&str, &str)] = &[
    (
        "stack.bash",
        include_str!("../../../templates/scripts/stack.bash.j2"),
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
        "completion.bash",
        include_str!("../../../templates/scripts/completion.bash.j2"),
    ),
    (
        "completion.zsh",
        include_str!("../../../templates/scripts/completion.zsh.j2"),
    ),
];

pub struct ScriptTemplates {
    env: Environment<'static>,
}

impl ScriptTemplates {
    pub fn new() -> Result<ScriptTemplates, Error> {
        let mut env = Environment::new();
        // bash writes `${#name}`, which minijinja would read as a comment.
        env.set_syntax(
            SyntaxConfig::builder()
                .comment_delimiters("{##", "##}")
                .build()?,
        );
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.set_keep_trailing_newline(true);
        env.set_auto_escape_callback(|_| AutoEscape::Custom("shell"));
        env.set_formatter(|out, _state, value| {
            if value.is_safe() {
                return out
                    .write_str(value.as_str().unwrap_or_default())
                    .map_err(Error::from);
            }
            match value.kind() {
                ValueKind::String => out
                    .write_str(&shell_quote(value.as_str().unwrap_or_default()))
                    .map_err(Error::from),
                ValueKind::Number => write!(out, "{value}").map_err(Error::from),
                kind => Err(Error::new(
                    ErrorKind::InvalidOperation,
                    format!("a {kind} cannot be written into a script"),
                )),
            }
        });
        env.add_filter("shell_quote", |value: &str| {
            Value::from_safe_string(shell_quote(value))
        });
        env.add_filter("shell_words", shell_words);
        env.add_filter("shell_assignment", |value: Value| -> Result<Value, Error> {
            let text = TextShape::deserialize(value)?.into_text();
            Ok(Value::from_safe_string(shell_assignment(&text)))
        });
        env.add_filter("comment", |value: &str| {
            Value::from_safe_string(comment(value))
        });
        for (name, source) in TEMPLATES {
            env.add_template(name, source)?;
        }
        Ok(ScriptTemplates { env })
    }

    pub fn render(&self, name: &str, context: impl serde::Serialize) -> Result<String, Error> {
        self.env.get_template(name)?.render(context)
    }
}

/// A list of strings as space-separated quoted words.
fn shell_words(values: Vec<String>) -> Value {
    let words: Vec<String> = values.iter().map(|v| shell_quote(v)).collect();
    Value::from_safe_string(words.join(" "))
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
        templates.env.add_template_owned("t", source.to_string())?;
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
    fn undefined_and_none_are_errors() {
        assert!(render_str("{{ missing }}", minijinja::context! {}).is_err());
        assert!(render_str("{{ v }}", minijinja::context! { v => () }).is_err());
        assert!(render_str("{{ v }}", minijinja::context! { v => vec![1] }).is_err());
    }

    #[test]
    fn bash_length_syntax_is_not_a_comment() {
        let out = render_str("${#x} {## gone ##}", minijinja::context! {}).expect("renders");
        assert_eq!(out, "${#x} ");
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
