//! The provider-neutral job graph: which jobs exist per component, what
//! each needs and which task runner commands it runs. Computed once from
//! the Model; `github` and `gitlab` only map it to their vendor's structs.
//! The table is in `docs/ci.md`.

use std::collections::BTreeSet;

use super::{Job, JobId, JobStage};
use crate::lexical_path::relative_parts;
use crate::model::{Ci, Component, Model, Orchestrator};
use crate::output::Layout;
use crate::shell::quote_if_needed;

/// The folder, relative to the workspace root, that the suites' JUnit
/// reports are written to (`--xml reports`).
pub const REPORTS: &str = "reports";

/// The version of stackc a job installs when the runner has none.
pub const STACKC_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The default install command (`ci { install_stackc }` replaces it):
/// stackc from crates.io, at the version that wrote the pipeline.
const DEFAULT_INSTALL: &str = concat!(
    "cargo install --locked stackc --version ",
    env!("CARGO_PKG_VERSION")
);

/// The whole pipeline, before any provider spells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pipeline {
    /// Component jobs: per component in the Model's (topological) order,
    /// its jobs in [`JobStage::ALL`] order. A job exists only when it has
    /// something to do.
    pub jobs: Vec<Job>,
    /// The task runner as a shell word, from the workspace root
    /// (`./generated/stack`).
    pub runner: String,
    /// The workspace root seen from the repository root, `/`-separated;
    /// `None` when it is the repository root. Jobs run there.
    pub workspace: Option<String>,
    /// The line that installs stackc when the runner has none on its
    /// `PATH`: `command -v stackc >/dev/null || { INSTALL; }`, INSTALL the
    /// `ci` block's `install_stackc` or `cargo install --locked stackc
    /// --version VERSION`.
    pub install: String,
    /// `stackc build --check`, with `--out` and `--repository-root` when the
    /// layout is not the default; run in the workspace root.
    pub check: String,
    /// The environment the default branch deploys to, if any.
    pub deploy: Option<String>,
}

impl Pipeline {
    /// The pipeline of `model`'s `ci` block, with the roots where `layout`
    /// puts them.
    pub fn new(model: &Model, ci: &Ci, layout: &Layout) -> Pipeline {
        let runner = task_runner(&layout.output_from_workspace);
        let commands: Vec<Commands<'_>> = model
            .components
            .iter()
            .map(|component| Commands {
                ci,
                component,
                runner: &runner,
            })
            .collect();
        // Integration waits for the dependencies' early jobs: all of those
        // first, so the Model's order alone decides nothing.
        let early: Vec<Vec<Job>> = commands.iter().map(early_jobs).collect();
        let every_early: Vec<Job> = early.iter().flatten().cloned().collect();
        let mut jobs = Vec::new();
        // Deploy jobs form one chain in the Model's order: a routed
        // component's deploy runs `up --env E` on the whole environment, so
        // no two deploy jobs of a pipeline may overlap.
        let mut previous_deploy: Option<JobId> = None;
        for (commands, own) in commands.iter().zip(early) {
            let later = late_jobs(
                model,
                commands,
                &own,
                &every_early,
                previous_deploy.as_ref(),
            );
            if let Some(deploy) = later.iter().find(|job| job.stage() == JobStage::Deploy) {
                previous_deploy = Some(deploy.id.clone());
            }
            jobs.extend(own);
            jobs.extend(later);
        }
        let workspace = normalised(&layout.workspace_from_repository);
        let install = ci.install_stackc.as_deref().unwrap_or(DEFAULT_INSTALL);
        Pipeline {
            jobs,
            install: install_command(install),
            check: check_command(layout, workspace.as_deref()),
            workspace,
            runner,
            deploy: ci.deploy.clone(),
        }
    }

    /// `stackc affected` printing `STACK_AFFECTED=,a,b,` for the changes
    /// since `base`, a shell expression written inside double quotes
    /// (`$STACK_BASE`); the provider adds where the line goes.
    pub fn affected(&self, base: &str) -> String {
        format!("stackc affected --since \"{base}\" --all-if-unknown --format dotenv")
    }

    /// The job `id`, if the pipeline has it.
    pub fn job(&self, id: &JobId) -> Option<&Job> {
        self.jobs.iter().find(|job| &job.id == id)
    }

    /// A path relative to the workspace root, seen from the repository root
    /// (where artifact paths are written).
    pub fn from_repository(&self, path: &str) -> String {
        match &self.workspace {
            Some(workspace) => format!("{workspace}/{path}"),
            None => path.to_string(),
        }
    }
}

/// The task runner's path as a shell word, from the workspace root:
/// `./generated/stack`, `../out/stack`.
fn task_runner(output_from_workspace: &str) -> String {
    let folder = output_from_workspace.trim_end_matches('/');
    let path = if folder.is_empty() || folder == "." {
        "./stack".to_string()
    } else if folder.starts_with("./") || folder.starts_with("../") || folder == ".." {
        format!("{folder}/stack")
    } else {
        format!("./{folder}/stack")
    };
    quote_if_needed(&path)
}

/// `path` with `.` and empty parts removed; `None` for the folder itself.
/// A path that climbs (never for a repository root that holds the
/// workspace) is kept as written.
pub(super) fn normalised(path: &str) -> Option<String> {
    match relative_parts(path) {
        Some(parts) if parts.is_empty() => None,
        Some(parts) => Some(parts.join("/")),
        None => Some(path.to_string()),
    }
}

/// The line that runs `install` (one shell command line) only when the
/// runner has no `stackc` on its `PATH`. The braces group a command that
/// chains others (`a && b`) so that all of it is skipped, in the current
/// shell (what it exports stays).
fn install_command(install: &str) -> String {
    format!("command -v stackc >/dev/null || {{ {}; }}", install.trim())
}

/// `stackc build --check`, run in the workspace root: `--out` when the
/// output folder is not `generated/`, `--repository-root` when the workspace
/// is not the repository root (so the check compares the same files
/// whatever `.git` or the spec would say).
fn check_command(layout: &Layout, workspace: Option<&str>) -> String {
    let mut command = String::from("stackc build --check");
    if let Some(out) = custom_output(layout) {
        command.push_str(" --out ");
        command.push_str(&quote_if_needed(out));
    }
    if let Some(workspace) = workspace {
        let up: Vec<&str> = workspace.split('/').map(|_| "..").collect();
        command.push_str(" --repository-root ");
        command.push_str(&up.join("/"));
    }
    command
}

/// The output folder seen from the workspace when it is not the default
/// `generated` (so the commands name it with `--out`).
pub(super) fn custom_output(layout: &Layout) -> Option<&str> {
    let out = layout.output_from_workspace.trim_end_matches('/');
    (out != Layout::default().output_from_workspace).then_some(out)
}

/// The component's suites placed in `stage` by the `ci` block, in the
/// order the component declares them.
fn suites<'c>(ci: &Ci, component: &'c Component, stage: JobStage) -> Vec<&'c str> {
    let Some(test_stage) = stage.suites() else {
        return Vec::new();
    };
    component
        .tests
        .iter()
        .filter(|suite| ci.stage(&suite.name) == test_stage)
        .map(|suite| suite.name.as_str())
        .collect()
}

/// The last of a component's build, test and push jobs that it has: what
/// the component's later stages, and its dependents' integration, wait for.
fn tail(jobs: &[Job], component: &str) -> Option<JobId> {
    jobs.iter()
        .filter(|job| job.component() == component)
        .filter(|job| {
            matches!(
                job.stage(),
                JobStage::Build | JobStage::Test | JobStage::Push
            )
        })
        .map(|job| job.id.clone())
        .next_back()
}

/// Shell command lines calling the task runner `runner` for one component.
struct Commands<'a> {
    ci: &'a Ci,
    component: &'a Component,
    runner: &'a str,
}

impl Commands<'_> {
    /// `RUNNER TASK`.
    fn run(&self, task: &str) -> String {
        format!("{} {task}", self.runner)
    }

    /// The component's name as a shell word.
    fn name(&self) -> String {
        quote_if_needed(&self.component.name)
    }

    /// `RUNNER TASK C SUITE[ EXTRA] --xml reports` per suite of `stage`.
    fn suites(&self, stage: JobStage, task: &str, extra: &str) -> Vec<String> {
        suites(self.ci, self.component, stage)
            .into_iter()
            .map(|suite| {
                self.run(&format!(
                    "{task} {} {}{extra} --xml {REPORTS}",
                    self.name(),
                    quote_if_needed(suite)
                ))
            })
            .collect()
    }
}

/// The component's build, test and push jobs: what needs nothing but the
/// component itself.
fn early_jobs(commands: &Commands<'_>) -> Vec<Job> {
    let name = commands.component.name.as_str();
    let c = commands.name();
    let built = commands.component.build.is_some();
    let mut own: Vec<Job> = Vec::new();
    if built {
        own.push(Job {
            id: JobId::new(JobStage::Build, name),
            needs: Vec::new(),
            commands: vec![commands.run(&format!("build {c}"))],
        });
    }
    let tests = commands.suites(JobStage::Test, "test", "");
    if !tests.is_empty() {
        own.push(Job {
            id: JobId::new(JobStage::Test, name),
            needs: tail(&own, name).into_iter().collect(),
            commands: tests,
        });
    }
    if built {
        own.push(Job {
            id: JobId::new(JobStage::Push, name),
            needs: tail(&own, name).into_iter().collect(),
            // docker:push builds this checkout's context into the tags
            // itself (docker:tag would only build it once more).
            commands: vec![commands.run(&format!("docker:push {c}"))],
        });
    }
    own
}

/// The component's later jobs (integration, non-functional, deploy,
/// acceptance), after its `own` early ones; `early` holds every
/// component's early jobs, for the dependencies' tails; `previous_deploy`
/// is the deploy job of the component before it in the Model's order,
/// which its deploy job waits for too.
fn late_jobs(
    model: &Model,
    commands: &Commands<'_>,
    own: &[Job],
    early: &[Job],
    previous_deploy: Option<&JobId>,
) -> Vec<Job> {
    let component = commands.component;
    let name = component.name.as_str();
    let c = commands.name();
    let mut later: Vec<Job> = Vec::new();
    let integration = commands.suites(JobStage::Integration, "test", "");
    if !integration.is_empty() {
        let mut needs: Vec<JobId> = tail(own, name).into_iter().collect();
        for dependency in direct_dependencies(model, component) {
            needs.extend(tail(early, &dependency.name));
        }
        later.push(Job {
            id: JobId::new(JobStage::Integration, name),
            needs,
            commands: integration,
        });
    }
    let non_functional = commands.suites(JobStage::NonFunctional, "test", "");
    if !non_functional.is_empty() {
        let needs = later
            .last()
            .map(|job| job.id.clone())
            .or_else(|| tail(own, name));
        later.push(Job {
            id: JobId::new(JobStage::NonFunctional, name),
            needs: needs.into_iter().collect(),
            commands: non_functional,
        });
    }
    if let Some(environment) = &commands.ci.deploy {
        let e = quote_if_needed(environment);
        let mut needs: Vec<JobId> = own.iter().chain(&later).map(|job| job.id.clone()).collect();
        needs.extend(
            direct_dependencies(model, component)
                .map(|dependency| JobId::new(JobStage::Deploy, &dependency.name)),
        );
        if let Some(previous) = previous_deploy {
            if !needs.contains(previous) {
                needs.push(previous.clone());
            }
        }
        let swarm = model
            .environment(environment)
            .is_some_and(|e| e.orchestrator == Orchestrator::Swarm);
        // Routed components have the deploy task (docs/deploy.md); a Swarm
        // rolls the stack's services itself (docs/cluster.md).
        let deploy = if swarm {
            let promote = component
                .build
                .is_some()
                .then(|| commands.run(&format!("docker:promote {c}")));
            promote
                .into_iter()
                .chain([commands.run(&format!("swarm:deploy --env {e}"))])
                .collect()
        } else if !component.routes.is_empty() {
            let commit = if component.build.is_some() {
                " --commit"
            } else {
                ""
            };
            vec![
                commands.run(&format!("up --env {e}")),
                commands.run(&format!("deploy {c} --env {e}{commit}")),
            ]
        } else if component.build.is_some() {
            // The environment's Compose file names the spec's own image
            // (pull_policy: always): make it this commit's first.
            vec![
                commands.run(&format!("docker:promote {c}")),
                commands.run(&format!("up {c} --env {e}")),
            ]
        } else {
            vec![commands.run(&format!("up {c} --env {e}"))]
        };
        later.push(Job {
            id: JobId::new(JobStage::Deploy, name),
            needs,
            commands: deploy,
        });
        let acceptance =
            commands.suites(JobStage::Acceptance, "test:remote", &format!(" --env {e}"));
        // Without a route or a published port, test:remote has no address.
        if !acceptance.is_empty() && component.reachable() {
            later.push(Job {
                id: JobId::new(JobStage::Acceptance, name),
                needs: vec![JobId::new(JobStage::Deploy, name)],
                commands: acceptance,
            });
        }
    }
    later
}

/// The component's direct dependencies that the Model has, each once, in
/// the Model's order.
fn direct_dependencies<'m>(
    model: &'m Model,
    component: &Component,
) -> impl Iterator<Item = &'m Component> {
    let wanted: BTreeSet<String> = component.depends_on.iter().cloned().collect();
    model
        .components
        .iter()
        .filter(move |c| wanted.contains(&c.name))
}

#[cfg(test)]
pub(crate) mod tests;
