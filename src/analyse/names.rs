//! Names that become Compose service names, shell words and file names.

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::syntax::ast::Ident;

/// Compose service and project names: lowercase letters, digits, `-`, `_`,
/// starting with a letter or digit. Also safe as file names and shell words.
pub fn check_name(ident: &Ident, what: &str, diagnostics: &mut Diagnostics) -> bool {
    let name = &ident.name;
    let valid = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && name.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !valid {
        let suggested: String = name
            .to_ascii_lowercase()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '-'
                }
            })
            .collect::<String>()
            .trim_start_matches(['-', '_'])
            .to_string();
        let mut diagnostic = Diagnostic::error(
            Code::InvalidName,
            format!("`{name}` is not a valid {what} name"),
        )
        .at(ident.span)
        .with_label("lowercase letters, digits, `-` and `_` only");
        diagnostic = if suggested.is_empty() {
            diagnostic.with_help("names are used in Compose files, file names and scripts: start with a lowercase letter or digit")
        } else {
            diagnostic.with_help(format!(
                "names are used in Compose files, file names and scripts; try `{suggested}`"
            ))
        };
        diagnostics.push(diagnostic);
    }
    valid
}

/// Environment variable names: what POSIX shells and Compose accept.
pub fn check_variable_name(ident: &Ident, diagnostics: &mut Diagnostics) -> bool {
    let name = &ident.name;
    let valid = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_');
    if !valid {
        diagnostics.push(
            Diagnostic::error(
                Code::InvalidName,
                format!("`{name}` is not a valid environment variable name"),
            )
            .at(ident.span)
            .with_label("letters, digits and `_` only, not starting with a digit")
            .with_help(format!("try `{}`", name.replace(['-', '.'], "_"))),
        );
    }
    valid
}
