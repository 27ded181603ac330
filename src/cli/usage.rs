//! Usage errors made clearer than clap's defaults where a new user meets
//! them.

use clap::builder::StyledStr;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Command, Error};

/// When an unknown `--option` is an option of other subcommands
/// (`stackc check --repository-root .`), replaces clap's tip (pass it as a
/// value after `--`) with which subcommands take it.
pub(super) fn explain_foreign_option(error: &mut Error, command: &Command) {
    if error.kind() != ErrorKind::UnknownArgument {
        return;
    }
    let Some(ContextValue::String(argument)) = error.get(ContextKind::InvalidArg) else {
        return;
    };
    let Some(name) = argument.strip_prefix("--") else {
        return;
    };
    let name = name.split('=').next().unwrap_or(name).to_string();
    let owners: Vec<String> = command
        .get_subcommands()
        .filter(|sub| sub.get_arguments().any(|arg| arg.get_long() == Some(&name)))
        .map(|sub| format!("`{} {}`", command.get_name(), sub.get_name()))
        .collect();
    let Some((last, rest)) = owners.split_last() else {
        return;
    };
    let owners = if rest.is_empty() {
        last.clone()
    } else {
        format!("{} and {last}", rest.join(", "))
    };
    let tip = format!("`--{name}` is an option of {owners} only");
    error.insert(
        ContextKind::Suggested,
        ContextValue::StyledStrs(vec![StyledStr::from(tip)]),
    );
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::*;
    use crate::cli::Cli;

    fn message(args: &[&str]) -> String {
        let mut error = Cli::try_parse_from(args).unwrap_err();
        explain_foreign_option(&mut error, &Cli::command());
        error.render().to_string()
    }

    #[test]
    fn an_option_of_another_command_says_whose_it_is() {
        let text = message(&["stackc", "check", "--repository-root", "."]);
        assert!(
            text.contains(
                "tip: `--repository-root` is an option of `stackc build` and `stackc diff` only"
            ),
            "{text}"
        );
        assert!(!text.contains("-- --repository-root"), "{text}");
        let text = message(&["stackc", "graph", "--out=x"]);
        assert!(
            text.contains("`--out` is an option of `stackc build` and `stackc diff` only"),
            "{text}"
        );
        let text = message(&["stackc", "check", "--nope"]);
        assert!(!text.contains("is an option of"), "{text}");
    }
}
