//! A string with run-time references: `${VAR}` and `${VAR:-default}` pass
//! through to Compose and the shell; everything else is literal.

/// A resolved string value, split into literal text and run-time references.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct Text {
    pub parts: Vec<TextPart>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum TextPart {
    /// Literal characters; a `$` here is a plain dollar sign.
    Literal(String),
    /// `${name}`, or `${name<operator><word>}` such as `${HOST:-localhost}`.
    Variable {
        name: String,
        operator: Option<VarOperator>,
        /// As written: literal characters (never `$`, `{` or `}`) and nested
        /// references, as in `${A:-${B:-x}}` (see [`TextPart::word_text`]).
        word: String,
    },
}

/// The parameter-expansion forms that Compose and every POSIX shell agree on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum VarOperator {
    /// `:-` default when unset or empty
    DefaultIfEmpty,
    /// `-` default when unset
    DefaultIfUnset,
    /// `:?` error when unset or empty
    ErrorIfEmpty,
    /// `?` error when unset
    ErrorIfUnset,
}

impl VarOperator {
    /// The operator as written between the name and the word.
    pub fn as_str(self) -> &'static str {
        match self {
            VarOperator::DefaultIfEmpty => ":-",
            VarOperator::DefaultIfUnset => "-",
            VarOperator::ErrorIfEmpty => ":?",
            VarOperator::ErrorIfUnset => "?",
        }
    }
}

impl Text {
    /// A text without references; empty for an empty value.
    pub fn literal(value: impl Into<String>) -> Text {
        let value = value.into();
        if value.is_empty() {
            return Text::default();
        }
        Text {
            parts: vec![TextPart::Literal(value)],
        }
    }

    /// True when the value has no run-time reference.
    pub fn is_literal(&self) -> bool {
        self.parts.iter().all(|p| matches!(p, TextPart::Literal(_)))
    }

    /// The value as the user wrote it: references as `${...}`, literal `$` as is.
    pub fn display(&self) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                TextPart::Literal(s) => out.push_str(s),
                TextPart::Variable { .. } => out.push_str(&part.reference()),
            }
        }
        out
    }

    /// The length in bytes of [`Text::display`], without building it.
    pub fn display_len(&self) -> usize {
        self.parts.iter().map(TextPart::display_len).sum()
    }

    /// The value for a Compose file: literal `$` doubled, references kept.
    pub fn to_compose(&self) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                TextPart::Literal(s) => out.push_str(&s.replace('$', "$$")),
                TextPart::Variable { .. } => out.push_str(&part.reference()),
            }
        }
        out
    }
}

impl TextPart {
    /// The word of a reference as a [`Text`]: its literal text and nested
    /// references (`${B:-x}` in `${A:-${B:-x}}`); empty for a literal.
    pub fn word_text(&self) -> Text {
        match self {
            TextPart::Literal(_) => Text::default(),
            TextPart::Variable { word, .. } => super::split_references(word),
        }
    }

    /// The length in bytes of the part as [`Text::display`] writes it.
    fn display_len(&self) -> usize {
        match self {
            TextPart::Literal(s) => s.len(),
            // `${` name `}`, and the operator and word when there is one.
            TextPart::Variable {
                name,
                operator,
                word,
            } => 3 + name.len() + operator.map_or(0, |op| op.as_str().len() + word.len()),
        }
    }

    /// `${name}` or `${name:-word}`; empty for a literal.
    pub fn reference(&self) -> String {
        match self {
            TextPart::Literal(_) => String::new(),
            TextPart::Variable {
                name,
                operator: None,
                ..
            } => format!("${{{name}}}"),
            TextPart::Variable {
                name,
                operator: Some(op),
                word,
            } => format!("${{{name}{}{word}}}", op.as_str()),
        }
    }
}

#[cfg(test)]
mod display_len_tests {
    use super::{Text, TextPart, VarOperator};

    #[test]
    fn display_len_is_the_length_of_display() {
        let texts = [
            Text::default(),
            Text::literal("a$b"),
            Text {
                parts: vec![
                    TextPart::Literal("x".into()),
                    TextPart::Variable {
                        name: "HOST".into(),
                        operator: None,
                        word: String::new(),
                    },
                    TextPart::Variable {
                        name: "A".into(),
                        operator: Some(VarOperator::DefaultIfEmpty),
                        word: "${B:-é}".into(),
                    },
                    TextPart::Variable {
                        name: "C".into(),
                        operator: Some(VarOperator::ErrorIfUnset),
                        word: String::new(),
                    },
                ],
            },
        ];
        for text in &texts {
            assert_eq!(text.display_len(), text.display().len(), "{text:?}");
        }
    }
}
