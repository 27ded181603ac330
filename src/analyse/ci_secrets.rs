//! `secrets` in the `ci` block: names of CI secrets, never their values.
//! List form `[NPM_TOKEN]` (the variable is the secret of the same name);
//! map form `{ STACK_REGISTRY_PASSWORD = "REGISTRY_TOKEN" }` (variable =
//! secret name).

use super::ci_reserved::{has_github_prefix, reserved, ReservedKind};
use super::fields::{set_twice, wrong_type};
use super::names::check_variable_name;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{CiProvider, CiSecret};
use crate::source::Span;
use crate::syntax::ast::{Ident, Value, ValueKind};

/// Variables the generated pipelines set themselves (docs/ci.md): a secret
/// of the same name would be overwritten, or would overwrite them.
pub const PIPELINE_VARIABLES: &[&str] = &[
    "STACK_AFFECTED",
    "STACK_BRANCH",
    "STACK_COMMIT",
    "STACK_RUN_ID",
    "STACK_STATE_DIR",
];

/// Prefixes of credentials that vendors issue, with who issues them: GitHub
/// tokens (`ghp_`, `gho_`, `ghs_`, `github_pat_`), GitLab personal access
/// tokens (`glpat-`), AWS access key ids (`AKIA`), Slack tokens (`xox`),
/// Stripe secret keys (`sk_live_`) and PEM private keys (`-----BEGIN`).
const CREDENTIAL_PREFIXES: &[(&str, &str)] = &[
    ("ghp_", "a GitHub personal access token"),
    ("gho_", "a GitHub OAuth token"),
    ("ghs_", "a GitHub Actions or app token"),
    ("github_pat_", "a GitHub fine-grained token"),
    ("glpat-", "a GitLab personal access token"),
    ("AKIA", "an AWS access key id"),
    ("xox", "a Slack token"),
    ("sk_live_", "a Stripe secret key"),
    ("-----BEGIN", "a PEM key or certificate"),
];

/// The shortest string the entropy rule looks at: a secret name this long
/// mixing upper and lower case and digits is far likelier a random token.
const RANDOM_MIN_LENGTH: usize = 20;

/// Why `text` looks like a credential rather than the name of a CI secret
/// (a known token prefix; a `:`, `@`, `/` or white space, as in URLs,
/// `user:password` and keys; at least 20 characters mixing upper case,
/// lower case and digits); `None` when it may be a name.
pub fn looks_like_credential(text: &str) -> Option<String> {
    if let Some((_, what)) = CREDENTIAL_PREFIXES
        .iter()
        .find(|(prefix, _)| text.starts_with(prefix))
    {
        return Some(format!("this starts like {what}"));
    }
    if let Some(c) = text
        .chars()
        .find(|c| matches!(c, ':' | '@' | '/') || c.is_whitespace())
    {
        let shown = if c.is_whitespace() {
            "white space".to_string()
        } else {
            format!("`{c}`")
        };
        return Some(format!(
            "a secret's name holds no {shown}; values such as URLs, `user:password` and keys do"
        ));
    }
    let mixed = text.chars().any(|c| c.is_ascii_uppercase())
        && text.chars().any(|c| c.is_ascii_lowercase())
        && text.chars().any(|c| c.is_ascii_digit());
    if text.chars().count() >= RANDOM_MIN_LENGTH && mixed {
        return Some(format!(
            "{} characters mixing upper case, lower case and digits: a random token",
            text.chars().count()
        ));
    }
    None
}

/// Where the CI systems store secrets and variables.
const WHERE_STORED: &str = "GitHub: the repository's Settings → Secrets and variables → Actions; GitLab: Settings → CI/CD → Variables";

/// Where a CI secret's value belongs instead of the spec.
pub const WHERE_SECRETS_GO: &str = "a spec names CI secrets and never holds their values: store the value in the CI system (GitHub: the repository's Settings → Secrets and variables → Actions; GitLab: Settings → CI/CD → Variables) under a name such as `REGISTRY_TOKEN`, write that name here, and revoke this credential: it is in the file's history now";

fn credential(span: Span, reason: String) -> Diagnostic {
    Diagnostic::error(
        Code::CredentialInSpec,
        "this looks like a credential, not the name of a CI secret",
    )
    .at(span)
    .with_label(reason)
    .with_help(WHERE_SECRETS_GO)
}

/// `secrets = [...]` or `secrets = { ... }`: every secret in the order
/// written, the wrong ones left out and reported. `providers` are the
/// pipelines asked for: each one's rules on names apply (GitHub's on secret
/// names; each system's own variables, see [`reserved`]).
pub fn secrets(
    value: &Value,
    providers: &[CiProvider],
    diagnostics: &mut Diagnostics,
) -> Vec<CiSecret> {
    let github = providers.contains(&CiProvider::Github);
    let mut out: Vec<(CiSecret, Span)> = Vec::new();
    let mut add = |variable: &Ident, secret: Option<(String, Span)>, d: &mut Diagnostics| {
        if let Some((_, first)) = out.iter().find(|(s, _)| s.variable == variable.name) {
            d.push(set_twice(&variable.name, variable.span, *first));
            return;
        }
        let listed = secret.as_ref().is_some_and(|(s, _)| *s == variable.name);
        if !check_variable(variable, providers, listed, d) {
            return;
        }
        let Some((secret, span)) = secret else {
            return;
        };
        if check_secret_name(&secret, span, &variable.name, github, d) {
            out.push((
                CiSecret {
                    variable: variable.name.to_string(),
                    secret,
                },
                variable.span,
            ));
        }
    };
    match &value.kind {
        ValueKind::List(items) => {
            for item in items {
                let Some(ident) = listed_name(item, diagnostics) else {
                    continue;
                };
                let secret = Some((ident.name.to_string(), ident.span));
                add(&ident, secret, diagnostics);
            }
        }
        ValueKind::Map(entries) => {
            for entry in entries {
                let secret = mapped_name(&entry.value, diagnostics);
                add(&entry.key, secret, diagnostics);
            }
        }
        _ => diagnostics.push(wrong_type(
            value,
            "a list of CI secret names such as `[NPM_TOKEN]`, or a map such as `{ STACK_REGISTRY_PASSWORD = \"REGISTRY_TOKEN\" }`",
        )),
    }
    out.into_iter().map(|(s, _)| s).collect()
}

/// An item of the list form: a bare name. A string is a credential when it
/// looks like one, else a quoted name.
fn listed_name(item: &Value, diagnostics: &mut Diagnostics) -> Option<Ident> {
    let text = match &item.kind {
        ValueKind::Ident(name) => name,
        ValueKind::String(s) => &s.value,
        _ => {
            diagnostics.push(wrong_type(item, "the name of a CI secret"));
            return None;
        }
    };
    if let Some(reason) = looks_like_credential(text) {
        diagnostics.push(credential(item.span, reason));
        return None;
    }
    match &item.kind {
        ValueKind::Ident(name) => Some(Ident {
            name: name.clone(),
            span: item.span,
        }),
        _ => {
            diagnostics.push(
                wrong_type(item, "the name of a CI secret").with_help(format!(
                    "names are written without quotes: `{text}`; to give the variable another secret's value write `secrets = {{ VARIABLE = \"SECRET\" }}`"
                )),
            );
            None
        }
    }
}

/// A value of the map form: the secret's name, quoted or bare.
fn mapped_name(value: &Value, diagnostics: &mut Diagnostics) -> Option<(String, Span)> {
    let text = match &value.kind {
        ValueKind::Ident(name) => name,
        ValueKind::String(s) => &s.value,
        _ => {
            diagnostics.push(wrong_type(
                value,
                "the name of a CI secret such as `\"REGISTRY_TOKEN\"`",
            ));
            return None;
        }
    };
    if let Some(reason) = looks_like_credential(text) {
        diagnostics.push(credential(value.span, reason));
        return None;
    }
    Some((text.to_string(), value.span))
}

/// The variable the jobs read: a shell variable name, not one the
/// pipeline sets, and not one a provider asked for keeps for itself
/// ([`reserved`]). `listed`: the variable is also the secret's name (the
/// list form, or `X = "X"`).
fn check_variable(
    variable: &Ident,
    providers: &[CiProvider],
    listed: bool,
    diagnostics: &mut Diagnostics,
) -> bool {
    if !check_variable_name(variable, diagnostics) {
        return false;
    }
    let name = variable.name.as_str();
    if PIPELINE_VARIABLES.contains(&name) {
        diagnostics.push(
            Diagnostic::error(
                Code::CiName,
                format!("`{name}` is set by the generated pipeline itself"),
            )
            .at(variable.span)
            .with_label("a secret of this name would clash with it")
            .with_help(format!(
                "the pipeline sets {}; give the secret another variable: `secrets = {{ OTHER_NAME = \"{name}\" }}`",
                list(PIPELINE_VARIABLES)
            )),
        );
        return false;
    }
    let Some(kept) = reserved(name, providers) else {
        return true;
    };
    let system = match kept.provider {
        CiProvider::Github => "GitHub",
        CiProvider::Gitlab => "GitLab",
    };
    let rename = "give the variable another name: `secrets = { MY_TOKEN = \"SECRET_NAME\" }`";
    let other = "give the variable another name, as in `secrets = { MY_TOKEN = \"SECRET_NAME\" }`";
    let (message, help) = match kept.kind {
        ReservedKind::Refused => (
            format!("{system} does not let a job set `{name}`"),
            rename.to_string(),
        ),
        ReservedKind::Predefined if listed => (
            format!("{system} sets `{name}` in every job itself"),
            format!(
                "`{name}` is in every {system} job's environment already: remove it from `secrets`; to hand its value to a variable the jobs read, map it: `secrets = {{ STACK_REGISTRY_PASSWORD = \"{name}\" }}`"
            ),
        ),
        ReservedKind::Predefined => (
            format!("{system} sets `{name}` in every job itself"),
            format!(
                "a secret under this name would replace {system}'s own value in every job: {other}; the secret may be one of {system}'s variables, as in `{{ STACK_REGISTRY_PASSWORD = \"CI_JOB_TOKEN\" }}`"
            ),
        ),
        ReservedKind::RunnerSetting => (
            format!("the GitLab runner reads `{name}` for itself"),
            if name.starts_with("GIT_") {
                // A project-wide clone setting overrides the pipeline's
                // own `variables:`, the `affected` job's full clone too.
                format!(
                    "the runner would take the secret's value as its own setting in every job: {other}; to change how the runner clones, use its `config.toml` or a job's `variables:`, not the project's CI/CD variables: those override the pipeline's own, and the `affected` job needs its full clone (`GIT_DEPTH: \"0\"`, `GIT_STRATEGY: clone`), or every pipeline affects every component"
                )
            } else {
                format!(
                    "the runner would take the secret's value as its own setting in every job: {other}; to change the runner's setting, set `{name}` in GitLab's Settings → CI/CD → Variables or the runner's `config.toml`"
                )
            },
        ),
    };
    diagnostics.push(
        Diagnostic::error(Code::CiName, message)
            .at(variable.span)
            .with_label(kept.rule)
            .with_help(help),
    );
    false
}

/// A CI secret's name: letters, digits and `_`, not starting with a
/// digit; for GitHub not starting with `GITHUB_` (GitHub refuses such
/// names: docs.github.com, "Naming your secrets"). A GitLab predefined
/// variable is a fine secret (`CI_JOB_TOKEN`). `variable` is the variable
/// it is given to, named in the help when the text is no name at all.
fn check_secret_name(
    name: &str,
    span: Span,
    variable: &str,
    github: bool,
    diagnostics: &mut Diagnostics,
) -> bool {
    let valid = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_');
    if !valid {
        let help = if written_as_a_name(name) {
            format!(
                "GitHub and GitLab take only such names; try `{}`",
                suggested(name)
            )
        } else {
            format!(
                "`secrets` maps a variable to the NAME of a CI secret, never to a value: if `{name}` is the value itself (a user name, say), store it as a CI secret or variable ({WHERE_STORED}) under a name such as `{variable}`, and write that name here"
            )
        };
        diagnostics.push(
            Diagnostic::error(
                Code::CiName,
                format!("`{name}` is not a valid CI secret name"),
            )
            .at(span)
            .with_label("letters, digits and `_` only, not starting with a digit")
            .with_help(help),
        );
        return false;
    }
    if github && has_github_prefix(name) {
        diagnostics.push(
            Diagnostic::error(
                Code::CiName,
                format!("GitHub refuses the secret name `{name}`"),
            )
            .at(span)
            .with_label("GitHub secret names must not start with `GITHUB_`")
            .with_help("store the secret under another name and write that name here"),
        );
        return false;
    }
    true
}

/// Words that name what secrets hold; a text holding one as a word
/// (`npm-token`) is a misspelt secret name rather than a value.
const SECRET_WORDS: &[&str] = &[
    "TOKEN",
    "PASSWORD",
    "PASSWD",
    "PASS",
    "PWD",
    "SECRET",
    "KEY",
    "AUTH",
    "CREDENTIAL",
    "CREDENTIALS",
    "PAT",
];

/// Whether an invalid secret name `text` still reads as a name, so that
/// [`suggested`] is a plausible "did you mean": written in capitals as
/// names are (`NPM-TOKEN`, `1TOKEN`), or holding a word such as `token` or
/// `password` (`npm-token`). `ci-bot` is neither: likelier a value (a
/// user name) than a secret's name.
fn written_as_a_name(text: &str) -> bool {
    let capitals =
        text.chars().any(|c| c.is_ascii_alphabetic()) && !text.chars().any(|c| c.is_lowercase());
    capitals
        || text
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|word| SECRET_WORDS.iter().any(|w| w.eq_ignore_ascii_case(word)))
}

/// `name` made a valid secret name: other characters become `_`, a
/// leading digit gets a `_` before it.
fn suggested(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.insert(0, '_');
    }
    out
}

fn list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_told_from_names() {
        for token in [
            "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
            "glpat-xxxxxxxxxxxxxxxxxxxx",
            "AKIAIOSFODNN7EXAMPLE",
            "xoxb-1234",
            "sk_live_abc",
            "-----BEGIN OPENSSH PRIVATE KEY-----",
            "user:hunter2",
            "https://registry.example",
            "me@example.com",
            "two words",
            "aB3dE6gH9jK2mN5pQ8sT",
        ] {
            assert!(looks_like_credential(token).is_some(), "{token}");
        }
        for name in [
            "NPM_TOKEN",
            "REGISTRY_TOKEN",
            "STACK_REGISTRY_PASSWORD",
            "registry_token",
            "RegistryToken",
            // Mixed and with digits, but shorter than 20 characters.
            "RegistryToken2024",
        ] {
            assert_eq!(looks_like_credential(name), None, "{name}");
        }
    }

    #[test]
    fn names_are_suggested_in_the_allowed_characters() {
        assert_eq!(suggested("npm-token"), "NPM_TOKEN");
        assert_eq!(suggested("1TOKEN"), "_1TOKEN");
    }

    #[test]
    fn only_text_that_reads_as_a_name_gets_a_name_suggested() {
        for name in [
            "npm-token",
            "NPM-TOKEN",
            "1TOKEN",
            "registry.password",
            "api key",
        ] {
            assert!(written_as_a_name(name), "{name}");
        }
        for value in ["ci-bot", "deploy.user", "robot-42", "1234", "café"] {
            assert!(!written_as_a_name(value), "{value}");
        }
    }
}
