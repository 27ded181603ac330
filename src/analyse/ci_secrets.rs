//! `secrets` in the `ci` block: names of CI secrets, never their values.
//! List form `[NPM_TOKEN]` (the variable is the secret of the same name);
//! map form `{ STACK_REGISTRY_PASSWORD = "REGISTRY_TOKEN" }` (variable =
//! secret name).

use super::fields::{set_twice, wrong_type};
use super::names::check_variable_name;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::CiSecret;
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
/// written, the wrong ones left out and reported. `github` says whether a
/// GitHub pipeline is asked for (GitHub's rules on names apply then).
pub fn secrets(value: &Value, github: bool, diagnostics: &mut Diagnostics) -> Vec<CiSecret> {
    let mut out: Vec<(CiSecret, Span)> = Vec::new();
    let mut add = |variable: &Ident, secret: Option<(String, Span)>, d: &mut Diagnostics| {
        if let Some((_, first)) = out.iter().find(|(s, _)| s.variable == variable.name) {
            d.push(set_twice(&variable.name, variable.span, *first));
            return;
        }
        if !check_variable(variable, github, d) {
            return;
        }
        let Some((secret, span)) = secret else {
            return;
        };
        if check_secret_name(&secret, span, github, d) {
            out.push((
                CiSecret {
                    variable: variable.name.clone(),
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
                let secret = Some((ident.name.clone(), ident.span));
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
    Some((text.clone(), value.span))
}

/// The variable the jobs read: a shell variable name, not one the
/// pipeline sets, and (for GitHub) not one of GitHub's own.
fn check_variable(variable: &Ident, github: bool, diagnostics: &mut Diagnostics) -> bool {
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
    if github && has_github_prefix(name) {
        diagnostics.push(
            Diagnostic::error(
                Code::CiName,
                format!("GitHub does not let a job set `{name}`"),
            )
            .at(variable.span)
            .with_label("variables starting with `GITHUB_` are GitHub's own")
            .with_help(
                "give the variable another name: `secrets = { MY_TOKEN = \"SECRET_NAME\" }`",
            ),
        );
        return false;
    }
    true
}

/// A CI secret's name: letters, digits and `_`, not starting with a
/// digit; for GitHub not starting with `GITHUB_` (GitHub refuses such
/// names: docs.github.com, "Naming your secrets").
fn check_secret_name(name: &str, span: Span, github: bool, diagnostics: &mut Diagnostics) -> bool {
    let valid = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_');
    if !valid {
        diagnostics.push(
            Diagnostic::error(
                Code::CiName,
                format!("`{name}` is not a valid CI secret name"),
            )
            .at(span)
            .with_label("letters, digits and `_` only, not starting with a digit")
            .with_help(format!(
                "GitHub and GitLab take only such names; try `{}`",
                suggested(name)
            )),
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

fn has_github_prefix(name: &str) -> bool {
    name.get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case("GITHUB_"))
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
        assert!(has_github_prefix("github_token"));
        assert!(!has_github_prefix("GITHUB"));
    }
}
