//! GitHub Actions: `.github/workflows/stack.yml`, the [`Pipeline`] spelt
//! as a workflow.
//!
//! Two jobs for the whole workspace (`affected`, which prints the
//! components this change affects as the job output `STACK_AFFECTED`, and
//! `check`), then the component jobs, each running only when
//! `STACK_AFFECTED` names its component and nothing it needs failed.

mod branch_filter;
mod concurrency;
mod defaults;
pub mod expression;
mod job;
mod run_defaults;
mod step;
mod step_input;
mod triggers;
mod workflow;

pub use branch_filter::BranchFilter;
pub use concurrency::Concurrency;
pub use defaults::Defaults;
pub use job::Job;
pub use run_defaults::RunDefaults;
pub use step::Step;
pub use step_input::StepInput;
pub use triggers::Triggers;
pub use workflow::Workflow;

use indexmap::IndexMap;

use super::{JobStage, Pipeline, REPORTS};
use crate::emit::yaml;
use crate::model::{Ci, Model};
use expression::{branch_pattern, literal, string};

/// The job that computes `STACK_AFFECTED`.
pub const AFFECTED_JOB: &str = "affected";

/// The job that runs `stackc build --check`.
pub const CHECK_JOB: &str = "check";

/// The checkout action every job starts with.
pub const CHECKOUT: &str = "actions/checkout@v4";

/// The action that uploads the JUnit reports.
pub const UPLOAD: &str = "actions/upload-artifact@v4";

/// The base of the change: the pull request's base, else the commit the
/// push replaced (40 zeros for a new branch: `stackc affected` then takes
/// every component).
pub const BASE: &str = "${{ github.event.pull_request.base.sha || github.event.before }}";

/// The workflow file's text: `header` as comments, then the workflow.
pub fn render(model: &Model, ci: &Ci, pipeline: &Pipeline, header: &[String]) -> String {
    yaml::commented(&workflow(model, ci, pipeline), header)
}

/// The workflow of `pipeline`.
pub fn workflow(model: &Model, ci: &Ci, pipeline: &Pipeline) -> Workflow {
    let mut env = IndexMap::new();
    env.insert("STACK_COMMIT".to_string(), "${{ github.sha }}".to_string());
    env.insert(
        "STACK_BRANCH".to_string(),
        "${{ github.head_ref || github.ref_name }}".to_string(),
    );
    for secret in &ci.secrets {
        env.insert(
            secret.variable.clone(),
            format!("${{{{ secrets.{} }}}}", secret.secret),
        );
    }
    let mut jobs = IndexMap::new();
    jobs.insert(AFFECTED_JOB.to_string(), affected(ci, pipeline));
    jobs.insert(CHECK_JOB.to_string(), check(ci, pipeline));
    for job in &pipeline.jobs {
        jobs.insert(job.id.github(), component_job(ci, pipeline, job));
    }
    Workflow {
        name: literal(&format!("stack {}", model.stack.name)),
        on: Triggers {
            push: BranchFilter {
                branches: vec![branch_pattern(&ci.default_branch)],
            },
            pull_request: BranchFilter {
                branches: Vec::new(),
            },
        },
        permissions: IndexMap::from([("contents".to_string(), "read".to_string())]),
        env,
        defaults: Defaults {
            run: RunDefaults {
                shell: "bash".to_string(),
                working_directory: pipeline.workspace.as_deref().map(literal),
            },
        },
        jobs,
    }
}

/// `actions/checkout`, with the whole history when `full`.
fn checkout(full: bool) -> Step {
    let mut with = IndexMap::new();
    if full {
        with.insert("fetch-depth".to_string(), StepInput::Number(0));
    }
    Step {
        uses: Some(CHECKOUT.to_string()),
        with,
        ..Step::default()
    }
}

/// A `run` step.
fn run(command: &str) -> Step {
    Step {
        run: Some(literal(command)),
        ..Step::default()
    }
}

/// A job on the `ci` block's runners (`deploy_runs_on` for a deploy or
/// acceptance job, `deploying`, when given).
fn job(ci: &Ci, deploying: bool, steps: Vec<Step>) -> Job {
    Job {
        needs: Vec::new(),
        condition: None,
        runs_on: ci
            .runs_on(deploying)
            .iter()
            .map(|label| literal(label))
            .collect(),
        environment: None,
        concurrency: None,
        env: IndexMap::new(),
        outputs: IndexMap::new(),
        steps,
    }
}

/// `affected`: `stackc affected` into the job output `STACK_AFFECTED`.
fn affected(ci: &Ci, pipeline: &Pipeline) -> Job {
    let mut compute = run(&format!(
        "{} >> \"$GITHUB_OUTPUT\"",
        pipeline.affected("$STACK_BASE")
    ));
    compute.id = Some("affected".to_string());
    compute.env = IndexMap::from([("STACK_BASE".to_string(), BASE.to_string())]);
    let mut job = job(
        ci,
        false,
        vec![checkout(true), run(&pipeline.install), compute],
    );
    job.outputs.insert(
        "STACK_AFFECTED".to_string(),
        "${{ steps.affected.outputs.STACK_AFFECTED }}".to_string(),
    );
    job
}

/// `check`: `stackc build --check`.
fn check(ci: &Ci, pipeline: &Pipeline) -> Job {
    job(
        ci,
        false,
        vec![
            checkout(false),
            run(&pipeline.install),
            run(&pipeline.check),
        ],
    )
}

/// A component job: after `affected` and its needs, only when the change
/// affects its component; deploy and acceptance only on the default branch.
fn component_job(ci: &Ci, pipeline: &Pipeline, spec: &super::Job) -> Job {
    let stage = spec.stage();
    let mut steps = vec![checkout(false)];
    steps.extend(spec.commands.iter().map(|command| run(command)));
    if stage.writes_reports() {
        let mut with = IndexMap::new();
        with.insert(
            "name".to_string(),
            // Per attempt: upload-artifact@v4 refuses a name already
            // uploaded in the run, which a re-run of the job would repeat.
            StepInput::Text(format!(
                "reports-{}-${{{{ github.run_attempt }}}}",
                spec.id.github()
            )),
        );
        with.insert(
            "path".to_string(),
            StepInput::Text(literal(&pipeline.from_repository(REPORTS))),
        );
        steps.push(Step {
            condition: Some("always()".to_string()),
            uses: Some(UPLOAD.to_string()),
            with,
            ..Step::default()
        });
    }
    let mut condition = format!(
        "${{{{ !failure() && !cancelled() && contains(needs.{AFFECTED_JOB}.outputs.STACK_AFFECTED, {})",
        string(&format!(",{},", spec.component()))
    );
    if stage.default_branch_only() {
        condition.push_str(&format!(
            " && github.ref == {}",
            string(&format!("refs/heads/{}", ci.default_branch))
        ));
    }
    condition.push_str(" }}");
    let mut job = job(ci, stage.default_branch_only(), steps);
    job.needs = std::iter::once(AFFECTED_JOB.to_string())
        .chain(stage.needs_check().then(|| CHECK_JOB.to_string()))
        .chain(spec.needs.iter().map(|id| id.github()))
        .collect();
    job.condition = Some(condition);
    if stage.isolated() {
        job.env.insert(
            "STACK_RUN_ID".to_string(),
            "${{ github.run_id }}-${{ github.run_attempt }}-${{ github.job }}".to_string(),
        );
    }
    if stage == JobStage::Deploy {
        if let Some(environment) = &pipeline.deploy {
            // One lock per environment across runs: every deploy job of
            // any run touches the whole environment.
            job.concurrency = Some(Concurrency {
                group: literal(&format!("stack-deploy-{environment}")),
                cancel_in_progress: false,
            });
            job.environment = Some(literal(environment));
        }
    }
    if stage.default_branch_only() {
        if let Some(state_dir) = &ci.state_dir {
            job.env
                .insert("STACK_STATE_DIR".to_string(), literal(state_dir));
        }
    }
    job
}
