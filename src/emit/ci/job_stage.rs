//! The kinds of component job a pipeline has, in pipeline order.

use crate::model::TestStage;

/// What a component's job does. Every component job belongs to one
/// component; the two jobs of the whole workspace (`affected`, `check`)
/// are not component jobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum JobStage {
    /// `stack build C`: the build hook and the image.
    Build,
    /// `stack test C SUITE --xml reports` for the component-stage suites.
    Test,
    /// `stack docker:push C`: this checkout's image, built into the commit's
    /// and the branch's tags, pushed.
    Push,
    /// The integration suites, once the component and its direct
    /// dependencies passed their own stages.
    Integration,
    /// The non-functional suites.
    NonFunctional,
    /// The deploy to the `ci` block's environment (default branch only).
    Deploy,
    /// `stack test:remote C SUITE --env E` after the deploy (default branch
    /// only).
    Acceptance,
}

impl JobStage {
    /// Every stage, in pipeline order.
    pub const ALL: [JobStage; 7] = [
        JobStage::Build,
        JobStage::Test,
        JobStage::Push,
        JobStage::Integration,
        JobStage::NonFunctional,
        JobStage::Deploy,
        JobStage::Acceptance,
    ];

    /// The stage's name in job names and GitLab stages (`build`,
    /// `non-functional`).
    pub fn as_str(self) -> &'static str {
        match self {
            JobStage::Build => "build",
            JobStage::Test => "test",
            JobStage::Push => "push",
            JobStage::Integration => "integration",
            JobStage::NonFunctional => "non-functional",
            JobStage::Deploy => "deploy",
            JobStage::Acceptance => "acceptance",
        }
    }

    /// The test stage whose suites this job runs, if it runs suites.
    pub fn suites(self) -> Option<TestStage> {
        match self {
            JobStage::Test => Some(TestStage::Component),
            JobStage::Integration => Some(TestStage::Integration),
            JobStage::NonFunctional => Some(TestStage::NonFunctional),
            JobStage::Acceptance => Some(TestStage::Acceptance),
            JobStage::Build | JobStage::Push | JobStage::Deploy => None,
        }
    }

    /// Whether the job runs only on the default branch (deploy, acceptance).
    pub fn default_branch_only(self) -> bool {
        matches!(self, JobStage::Deploy | JobStage::Acceptance)
    }

    /// Whether the job also needs the `check` job (`stackc build --check`):
    /// deploy jobs, so that generated files that no longer match the specs
    /// are never deployed.
    pub fn needs_check(self) -> bool {
        self == JobStage::Deploy
    }

    /// Whether the job's projects are its own (`STACK_RUN_ID` keyed by the
    /// job), so that jobs of any pipelines can share a runner. Deploy and
    /// acceptance jobs work on the environment's own projects instead.
    pub fn isolated(self) -> bool {
        !self.default_branch_only()
    }

    /// Whether the job writes JUnit reports (it runs suites).
    pub fn writes_reports(self) -> bool {
        self.suites().is_some()
    }
}
