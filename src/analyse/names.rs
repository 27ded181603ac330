//! Names that become Compose service names, shell words and file names.

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::syntax::ast::Ident;

/// The longest name of a stack, component, environment, port, test suite,
/// route or toggle, in bytes: a DNS label's limit, since a component's name
/// is its host name on the stack's network (a longer service name does not
/// resolve). Every name stackc builds from them stays within what Docker
/// and the file system take (see the test below and docs/language.md).
pub const NAME_MAX: usize = 63;

/// The longest name of a pass-through named volume, in bytes: Docker keeps
/// a volume in a folder named `PROJECT_VOLUME`, a file name of at most 255
/// bytes, and the longest project name stackc's runner uses is 165 bytes
/// (`STACK-test-COMPONENT-RUN_ID`).
pub const VOLUME_NAME_MAX: usize = 89;

/// Compose service and project names: lowercase letters, digits, `-`, `_`,
/// starting with a letter or digit, at most [`NAME_MAX`] bytes. Also safe
/// as file names and shell words.
pub fn check_name(ident: &Ident, what: &str, diagnostics: &mut Diagnostics) -> bool {
    let name = &ident.name;
    if name.len() > NAME_MAX {
        diagnostics.push(too_long(
            ident,
            &format!("{what} name"),
            what == "component",
        ));
        return false;
    }
    let valid = is_valid_name(name);
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

/// Whether `name` follows the rule [`check_name`] reports on (its
/// characters; the length is checked first).
pub fn is_valid_name(name: &str) -> bool {
    name.len() <= NAME_MAX
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && name.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
}

/// Environment variable names: what POSIX shells and Compose accept.
pub fn check_variable_name(ident: &Ident, diagnostics: &mut Diagnostics) -> bool {
    let name = &ident.name;
    let valid = is_shell_variable(name);
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

/// A component's `env` names: what Compose, Swarm and Kubernetes pass to a
/// container. Beyond the shell's names, `-` and `.` (`discovery.type`,
/// `cluster.name`, which Elasticsearch and OpenSearch images read): ASCII
/// letters, digits, `_`, `-` and `.`, starting with a letter or `_`. Compose
/// takes any name without `=` or white space; Kubernetes wants
/// `[-._a-zA-Z][-._a-zA-Z0-9]*`; this is within both, and is every name the
/// grammar's keys can spell (`dotted_key`), so nothing here is news to a
/// parsed file, but the rule is written where it is relied on.
pub fn check_env_name(ident: &Ident, diagnostics: &mut Diagnostics) -> bool {
    let name = &ident.name;
    let valid = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_');
    if !valid {
        diagnostics.push(
            Diagnostic::error(
                Code::InvalidName,
                format!("`{name}` is not a valid environment variable name"),
            )
            .at(ident.span)
            .with_label("letters, digits, `_`, `-` and `.` only, starting with a letter or `_`"),
        );
    }
    valid
}

/// Whether `name` is an environment variable name a shell can export
/// (the rule [`check_variable_name`] reports on).
pub fn is_shell_variable(name: &str) -> bool {
    name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
}

/// `ident` is longer than [`NAME_MAX`]. `what` names it (`component
/// name`); `host` says whether it is a host name itself.
pub fn too_long(ident: &Ident, what: &str, host: bool) -> Diagnostic {
    let name = &ident.name;
    let shown: String = name.chars().take(24).collect();
    let reason = if host {
        "it is a host name on the stack's network, and a DNS label holds at most 63 bytes"
    } else {
        "names become parts of Compose project names, file names and shell variables; at most 63 bytes each keeps every combination within what Docker and file systems take"
    };
    Diagnostic::error(
        Code::InvalidName,
        format!(
            "the {what} `{shown}…` is {} bytes long, more than {NAME_MAX}",
            name.len()
        ),
    )
    .at(ident.span)
    .with_label(format!("{} bytes", name.len()))
    .with_help(format!("shorten it: {reason}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sums docs/language.md gives for the limits.
    #[test]
    fn the_longest_names_fit_with_a_run_id_and_a_volume() {
        const FILE_NAME_MAX: usize = 255;
        // `STACK-test-COMPONENT`, the longest project name stackc writes.
        let project = NAME_MAX + "-test-".len() + NAME_MAX;
        assert_eq!(project, 132);
        // The task runner may append `-RUN_ID`, at most 32 characters.
        let with_run_id = project + 1 + 32;
        assert_eq!(with_run_id, 165);
        // Docker keeps a volume in a folder named `PROJECT_VOLUME`.
        assert_eq!(FILE_NAME_MAX - with_run_id - "_".len(), VOLUME_NAME_MAX);
        // `COMPONENT.yml` and `ENVIRONMENT.yml` are file names.
        assert!(NAME_MAX + ".yml".len() <= FILE_NAME_MAX);
    }
}
