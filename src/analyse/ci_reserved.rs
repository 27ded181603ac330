//! Variable names a CI system sets or reads for itself, which a `secrets`
//! variable must not take: the secret's value would replace the system's
//! own in every job (GitLab's `CI_COMMIT_SHA`, the runner's `GIT_DEPTH`),
//! or the system refuses it (GitHub's `GITHUB_*` and `RUNNER_*`).
//!
//! Sources:
//! - GitHub: <https://docs.github.com/en/actions/reference/variables-reference>
//!   ("You can't overwrite the value of the default environment variables
//!   named `GITHUB_*` and `RUNNER_*`"; `CI` is always `true`).
//! - GitLab's predefined variables (`CI`, `CI_*`, `GITLAB_*`, `CHAT_*`,
//!   `TRIGGER_PAYLOAD`; "Avoid overriding predefined variables"):
//!   <https://docs.gitlab.com/ci/variables/predefined_variables/>.
//! - Variables the GitLab runner reads to decide how to run a job
//!   (`GIT_STRATEGY`, `GIT_DEPTH`, `GIT_CLEAN_FLAGS`, `GIT_SUBMODULE_*`,
//!   `*_ATTEMPTS`, `*_COMPRESSION_LEVEL`, `RUNNER_SCRIPT_TIMEOUT`, ...):
//!   <https://docs.gitlab.com/ci/runners/configure_runners/>; its feature
//!   flags `FF_*`: <https://docs.gitlab.com/runner/configuration/feature-flags/>;
//!   `DOCKER_AUTH_CONFIG`, the credentials it pulls job images with:
//!   <https://docs.gitlab.com/ci/docker/using_docker_images/>.
//!
//! GitHub's prefixes match whatever the case (as GitHub's rule on secret
//! names does); GitLab's match as written, since the jobs' shell tells
//! `ci_x` from `CI_X`.

use crate::model::CiProvider;

/// Why a CI system keeps a variable name for itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReservedKind {
    /// The system refuses to let a job set it (GitHub's `GITHUB_*`).
    Refused,
    /// The system sets it in every job (GitLab's `CI_COMMIT_SHA`).
    Predefined,
    /// The GitLab runner reads it to decide how to run the job (`GIT_DEPTH`).
    RunnerSetting,
}

/// A variable name a CI system keeps, as [`reserved`] finds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReservedVariable {
    /// The system that keeps it.
    pub provider: CiProvider,
    pub kind: ReservedKind,
    /// The rule that matched, for the diagnostic's label: "variables
    /// starting with `CI_` are GitLab's predefined variables".
    pub rule: &'static str,
}

/// How a rule matches a variable name.
enum Pattern {
    Prefix(&'static str),
    Name(&'static str),
}

/// The rules, GitHub's first: a name both keep is reported as GitHub's.
const RULES: &[(CiProvider, Pattern, ReservedKind, &str)] = &[
    (
        CiProvider::Github,
        Pattern::Prefix("GITHUB_"),
        ReservedKind::Refused,
        "variables starting with `GITHUB_` are GitHub's own",
    ),
    (
        CiProvider::Github,
        Pattern::Prefix("RUNNER_"),
        ReservedKind::Refused,
        "variables starting with `RUNNER_` are GitHub's own",
    ),
    (
        CiProvider::Github,
        Pattern::Name("CI"),
        ReservedKind::Predefined,
        "GitHub sets `CI=true` in every job",
    ),
    (
        CiProvider::Gitlab,
        Pattern::Name("CI"),
        ReservedKind::Predefined,
        "GitLab sets `CI=true` in every job",
    ),
    (
        CiProvider::Gitlab,
        Pattern::Prefix("CI_"),
        ReservedKind::Predefined,
        "variables starting with `CI_` are GitLab's predefined variables",
    ),
    (
        CiProvider::Gitlab,
        Pattern::Prefix("GITLAB_"),
        ReservedKind::Predefined,
        "variables starting with `GITLAB_` are GitLab's predefined variables",
    ),
    (
        CiProvider::Gitlab,
        Pattern::Prefix("CHAT_"),
        ReservedKind::Predefined,
        "variables starting with `CHAT_` are GitLab's (ChatOps pipelines)",
    ),
    (
        CiProvider::Gitlab,
        Pattern::Prefix("TRIGGER_"),
        ReservedKind::Predefined,
        "variables starting with `TRIGGER_` are GitLab's (`TRIGGER_PAYLOAD`)",
    ),
    (
        CiProvider::Gitlab,
        Pattern::Prefix("GIT_"),
        ReservedKind::RunnerSetting,
        "variables starting with `GIT_` tell the runner how to fetch the repository (`GIT_STRATEGY`, `GIT_DEPTH`, `GIT_CLEAN_FLAGS`, ...)",
    ),
    (
        CiProvider::Gitlab,
        Pattern::Prefix("RUNNER_"),
        ReservedKind::RunnerSetting,
        "variables starting with `RUNNER_` are the runner's settings (`RUNNER_SCRIPT_TIMEOUT`, ...)",
    ),
    (
        CiProvider::Gitlab,
        Pattern::Prefix("FF_"),
        ReservedKind::RunnerSetting,
        "variables starting with `FF_` switch the runner's feature flags",
    ),
    (
        CiProvider::Gitlab,
        Pattern::Name("DOCKER_AUTH_CONFIG"),
        ReservedKind::RunnerSetting,
        "the runner pulls the jobs' images with the credentials in `DOCKER_AUTH_CONFIG`",
    ),
    (
        CiProvider::Gitlab,
        Pattern::Name("ARTIFACT_DOWNLOAD_ATTEMPTS"),
        ReservedKind::RunnerSetting,
        "a runner setting: how often it tries to download artifacts",
    ),
    (
        CiProvider::Gitlab,
        Pattern::Name("EXECUTOR_JOB_SECTION_ATTEMPTS"),
        ReservedKind::RunnerSetting,
        "a runner setting: how often it retries a section of the job",
    ),
    (
        CiProvider::Gitlab,
        Pattern::Name("GET_SOURCES_ATTEMPTS"),
        ReservedKind::RunnerSetting,
        "a runner setting: how often it tries to fetch the sources",
    ),
    (
        CiProvider::Gitlab,
        Pattern::Name("RESTORE_CACHE_ATTEMPTS"),
        ReservedKind::RunnerSetting,
        "a runner setting: how often it tries to restore the cache",
    ),
    (
        CiProvider::Gitlab,
        Pattern::Name("ARTIFACT_COMPRESSION_LEVEL"),
        ReservedKind::RunnerSetting,
        "a runner setting: how it compresses artifacts",
    ),
    (
        CiProvider::Gitlab,
        Pattern::Name("CACHE_COMPRESSION_LEVEL"),
        ReservedKind::RunnerSetting,
        "a runner setting: how it compresses the cache",
    ),
    (
        CiProvider::Gitlab,
        Pattern::Name("CACHE_REQUEST_TIMEOUT"),
        ReservedKind::RunnerSetting,
        "a runner setting: how long it waits for the cache",
    ),
    (
        CiProvider::Gitlab,
        Pattern::Name("TRANSFER_METER_FREQUENCY"),
        ReservedKind::RunnerSetting,
        "a runner setting: how often it reports transfer progress",
    ),
];

/// The first rule of a provider in `providers` that keeps the variable
/// name `name`, or `None` when every provider leaves it to the jobs.
pub fn reserved(name: &str, providers: &[CiProvider]) -> Option<ReservedVariable> {
    RULES
        .iter()
        .filter(|(provider, ..)| providers.contains(provider))
        .find(|(provider, pattern, ..)| matches(name, *provider, pattern))
        .map(|(provider, _, kind, rule)| ReservedVariable {
            provider: *provider,
            kind: *kind,
            rule,
        })
}

fn matches(name: &str, provider: CiProvider, pattern: &Pattern) -> bool {
    let any_case = provider == CiProvider::Github;
    match pattern {
        Pattern::Name(n) => name == *n,
        Pattern::Prefix(p) => name.get(..p.len()).is_some_and(|head| {
            if any_case {
                head.eq_ignore_ascii_case(p)
            } else {
                head == *p
            }
        }),
    }
}

/// Whether `name` starts with `GITHUB_`, whatever the case: GitHub refuses
/// such secret names ("Naming your secrets").
pub fn has_github_prefix(name: &str) -> bool {
    matches(name, CiProvider::Github, &Pattern::Prefix("GITHUB_"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GITLAB: &[CiProvider] = &[CiProvider::Gitlab];
    const GITHUB: &[CiProvider] = &[CiProvider::Github];
    const BOTH: &[CiProvider] = &[CiProvider::Github, CiProvider::Gitlab];

    fn kind(name: &str, providers: &[CiProvider]) -> Option<(CiProvider, ReservedKind)> {
        reserved(name, providers).map(|r| (r.provider, r.kind))
    }

    #[test]
    fn gitlab_keeps_its_predefined_variables_and_runner_settings() {
        use ReservedKind::{Predefined, RunnerSetting};
        for name in [
            "CI",
            "CI_COMMIT_SHA",
            "CI_JOB_TOKEN",
            "GITLAB_USER_LOGIN",
            "CHAT_INPUT",
            "TRIGGER_PAYLOAD",
        ] {
            assert_eq!(
                kind(name, GITLAB),
                Some((CiProvider::Gitlab, Predefined)),
                "{name}"
            );
        }
        for name in [
            "GIT_DEPTH",
            "GIT_STRATEGY",
            "GIT_CLEAN_FLAGS",
            "RUNNER_SCRIPT_TIMEOUT",
            "FF_USE_FASTZIP",
            "DOCKER_AUTH_CONFIG",
            "GET_SOURCES_ATTEMPTS",
            "CACHE_COMPRESSION_LEVEL",
        ] {
            assert_eq!(
                kind(name, GITLAB),
                Some((CiProvider::Gitlab, RunnerSetting)),
                "{name}"
            );
        }
        for name in [
            "NPM_TOKEN",
            "STACK_REGISTRY_PASSWORD",
            "CIRCLE",
            "GITHUB_TOKEN",
            "ci_commit_sha",
            "MY_CI_TOKEN",
            "DOCKER_AUTH",
        ] {
            assert_eq!(kind(name, GITLAB), None, "{name}");
        }
    }

    #[test]
    fn github_keeps_its_own_whatever_the_case() {
        assert_eq!(
            kind("github_user", GITHUB),
            Some((CiProvider::Github, ReservedKind::Refused))
        );
        assert_eq!(
            kind("RUNNER_OS", BOTH),
            Some((CiProvider::Github, ReservedKind::Refused))
        );
        assert_eq!(kind("CI_COMMIT_SHA", GITHUB), None);
        assert_eq!(kind("GIT_DEPTH", GITHUB), None);
        assert_eq!(kind("GIT_DEPTH", &[]), None);
        assert!(has_github_prefix("github_token"));
        assert!(!has_github_prefix("GITHUB"));
    }
}
