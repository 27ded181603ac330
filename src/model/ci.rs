//! The stack's CI pipelines (`stack NAME { ci { ... } }`): which CI systems
//! get a pipeline, where its jobs run, which test suites run in which stage,
//! which environment the default branch deploys to, and which CI secrets the
//! jobs see. Emitted as `.github/workflows/stack.yml` and `.gitlab-ci.yml`
//! (docs/ci.md).

use serde::Serialize;

/// A CI system stackc writes a pipeline for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CiProvider {
    /// GitHub Actions: `.github/workflows/stack.yml` at the repository root.
    Github,
    /// GitLab CI/CD: `.gitlab-ci.yml` at the repository root.
    Gitlab,
}

impl CiProvider {
    /// Every provider, in the order the language documents them.
    pub const ALL: [CiProvider; 2] = [CiProvider::Github, CiProvider::Gitlab];

    /// The name the language uses (`github`, `gitlab`).
    pub fn as_str(self) -> &'static str {
        match self {
            CiProvider::Github => "github",
            CiProvider::Gitlab => "gitlab",
        }
    }

    /// The provider named `name` in the language.
    pub fn from_name(name: &str) -> Option<CiProvider> {
        CiProvider::ALL.into_iter().find(|p| p.as_str() == name)
    }
}

/// The pipeline stage a test suite runs in. Stages run in this order, after
/// the component's build; see [`TestStage::default_for`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TestStage {
    /// Against the component's own test stack, right after its build.
    Component,
    /// Against the test stack once the component's and each direct
    /// dependency's component tests passed.
    Integration,
    /// Load, performance, security: after integration, in isolation.
    NonFunctional,
    /// Against the deployed environment, after the deploy (default branch only).
    Acceptance,
}

impl TestStage {
    /// Every stage, in pipeline order.
    pub const ALL: [TestStage; 4] = [
        TestStage::Component,
        TestStage::Integration,
        TestStage::NonFunctional,
        TestStage::Acceptance,
    ];

    /// The attribute of the `ci` block that lists this stage's suites
    /// (`component`, `integration`, `non_functional`, `acceptance`).
    pub fn as_str(self) -> &'static str {
        match self {
            TestStage::Component => "component",
            TestStage::Integration => "integration",
            TestStage::NonFunctional => "non_functional",
            TestStage::Acceptance => "acceptance",
        }
    }

    /// The stage of a suite the `ci` block does not place, by its name:
    /// `integration`, `system`, `contract` → integration; `performance`,
    /// `load`, `stress`, `soak`, `security`, `non_functional`,
    /// `non-functional`, `nonfunctional` → non-functional; `acceptance`,
    /// `smoke`, `e2e` → acceptance; any other name → component.
    pub fn default_for(suite: &str) -> TestStage {
        match suite {
            "integration" | "system" | "contract" => TestStage::Integration,
            "performance" | "load" | "stress" | "soak" | "security" | "non_functional"
            | "non-functional" | "nonfunctional" => TestStage::NonFunctional,
            "acceptance" | "smoke" | "e2e" => TestStage::Acceptance,
            _ => TestStage::Component,
        }
    }
}

/// A CI secret the jobs see as an environment variable. Only names: the
/// value lives in the CI system (GitHub `secrets.NAME`, a GitLab CI/CD
/// variable).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CiSecret {
    /// The environment variable the jobs read (`STACK_REGISTRY_PASSWORD`).
    pub variable: String,
    /// The CI secret's name (`REGISTRY_TOKEN`); the same as `variable` when
    /// the spec lists only names.
    pub secret: String,
}

/// The validated `ci` block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ci {
    /// Providers in the order written, each once; never empty.
    pub providers: Vec<CiProvider>,
    /// The branch that tags `latest`-like promotions and deploys
    /// (default `main`).
    pub default_branch: String,
    /// GitHub `runs-on` labels (default `["ubuntu-latest"]`); never empty.
    pub runs_on: Vec<String>,
    /// GitLab runner `tags` (default none: any runner).
    pub tags: Vec<String>,
    /// GitHub `runs-on` labels of the deploy and acceptance jobs (a runner
    /// that reaches the deploy environment); `None`: `runs_on`.
    pub deploy_runs_on: Option<Vec<String>>,
    /// GitLab runner `tags` of the deploy and acceptance jobs; `None`: `tags`.
    pub deploy_tags: Option<Vec<String>>,
    /// Suites the spec places explicitly, by suite name, in the order
    /// written; suites not listed take [`TestStage::default_for`].
    pub stages: Vec<(String, TestStage)>,
    /// The environment the default branch deploys to; `None`: no deploy or
    /// acceptance jobs.
    pub deploy: Option<String>,
    /// `STACK_STATE_DIR` for the deploy jobs (the deploy state must outlive
    /// a job's checkout); `None` keeps the task runner's default.
    pub state_dir: Option<String>,
    /// Secrets every job sees, in the order written.
    pub secrets: Vec<CiSecret>,
    /// The shell command that installs stackc in the jobs that need it
    /// (`affected`, `check`) when the runner has none on its `PATH`;
    /// `None`: `cargo install --locked stackc --version VERSION`.
    pub install_stackc: Option<String>,
    /// The repository root seen from the workspace root (`.`, `../..`),
    /// `/`-separated, when the spec says where it is; `None`: found from
    /// `.git` (see `stackc build --repository-root`, which wins over it).
    pub repository_root: Option<String>,
}

impl Ci {
    /// The stage the suite `suite` runs in.
    pub fn stage(&self, suite: &str) -> TestStage {
        self.stages
            .iter()
            .find(|(name, _)| name == suite)
            .map_or_else(|| TestStage::default_for(suite), |(_, stage)| *stage)
    }

    /// The GitHub `runs-on` labels of a job: `deploy_runs_on` for the deploy
    /// and acceptance jobs (`deploying`) when given, else `runs_on`.
    pub fn runs_on(&self, deploying: bool) -> &[String] {
        match &self.deploy_runs_on {
            Some(labels) if deploying => labels,
            _ => &self.runs_on,
        }
    }

    /// The GitLab runner tags of a job, as [`Ci::runs_on`] chooses labels.
    pub fn tags(&self, deploying: bool) -> &[String] {
        match &self.deploy_tags {
            Some(tags) if deploying => tags,
            _ => &self.tags,
        }
    }

    /// Whether the spec asks for `provider`'s pipeline.
    pub fn has(&self, provider: CiProvider) -> bool {
        self.providers.contains(&provider)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_stages_win_over_the_defaults() {
        let ci = Ci {
            providers: vec![CiProvider::Github],
            default_branch: "main".into(),
            runs_on: vec!["ubuntu-latest".into()],
            tags: vec![],
            deploy_runs_on: Some(vec!["self-hosted".into(), "prod".into()]),
            deploy_tags: None,
            stages: vec![("smoke".into(), TestStage::Component)],
            deploy: None,
            state_dir: None,
            secrets: vec![],
            repository_root: None,
            install_stackc: None,
        };
        assert_eq!(ci.stage("smoke"), TestStage::Component);
        assert_eq!(ci.stage("e2e"), TestStage::Acceptance);
        assert_eq!(ci.stage("contract"), TestStage::Integration);
        assert_eq!(ci.stage("load"), TestStage::NonFunctional);
        assert_eq!(ci.stage("functional"), TestStage::Component);
        assert!(ci.has(CiProvider::Github) && !ci.has(CiProvider::Gitlab));
        assert_eq!(ci.runs_on(false), ["ubuntu-latest"]);
        assert_eq!(ci.runs_on(true), ["self-hosted", "prod"]);
        assert!(ci.tags(true).is_empty() && ci.tags(false).is_empty());
        assert_eq!(CiProvider::from_name("gitlab"), Some(CiProvider::Gitlab));
        assert_eq!(CiProvider::from_name("jenkins"), None);
    }
}
