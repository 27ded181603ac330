//! GitLab CI/CD: `.gitlab-ci.yml`, the [`Pipeline`] spelt as a GitLab
//! configuration.
//!
//! GitLab cannot skip a job from an earlier job's output, so each
//! component job gets `STACK_AFFECTED` from the `affected` job's dotenv
//! report and starts with [`leave_unless_affected`]'s line: a job of a
//! component the change does not affect succeeds at once, and any other
//! failure of that line fails the job.

mod artifacts;
mod configuration;
mod defaults;
mod environment;
pub mod expression;
mod job;
mod reports;
mod rule;
mod workflow;

pub use artifacts::Artifacts;
pub use configuration::Configuration;
pub use defaults::Defaults;
pub use environment::Environment;
pub use job::Job;
pub use reports::Reports;
pub use rule::Rule;
pub use workflow::Workflow;

use indexmap::IndexMap;

use super::{JobStage, Pipeline, REPORTS};
use crate::emit::yaml;
use crate::model::{Ci, Model};
use crate::shell::quote_if_needed;
use expression::{equals, literal};

/// The job that computes `STACK_AFFECTED`.
pub const AFFECTED_JOB: &str = "affected";

/// The job that runs `stackc build --check`.
pub const CHECK_JOB: &str = "check";

/// The stage of `affected` and `check`.
pub const CHECK_STAGE: &str = "check";

/// The dotenv report `affected` writes, relative to the workspace root.
pub const AFFECTED_FILE: &str = "affected.env";

/// The base of the change: the merge request's diff base, else the commit
/// the push replaced (40 zeros for a new branch: `stackc affected` then
/// takes every component).
pub const BASE: &str = "${CI_MERGE_REQUEST_DIFF_BASE_SHA:-$CI_COMMIT_BEFORE_SHA}";

/// The configuration file's text: `header` as comments, then the jobs.
pub fn render(model: &Model, ci: &Ci, pipeline: &Pipeline, header: &[String]) -> String {
    yaml::commented(&configuration(model, ci, pipeline), header)
}

/// The configuration of `pipeline`.
pub fn configuration(_model: &Model, ci: &Ci, pipeline: &Pipeline) -> Configuration {
    let mut variables = IndexMap::new();
    variables.insert("STACK_COMMIT".to_string(), "$CI_COMMIT_SHA".to_string());
    variables.insert(
        "STACK_BRANCH".to_string(),
        "$CI_COMMIT_REF_NAME".to_string(),
    );
    // A CI/CD variable already reaches every job under its own name; only
    // a secret the jobs read under another name needs a line.
    for secret in ci.secrets.iter().filter(|s| s.variable != s.secret) {
        variables.insert(secret.variable.clone(), format!("${}", secret.secret));
    }
    let before_script: Vec<String> = pipeline
        .workspace
        .iter()
        .map(|workspace| format!("cd {}", quote_if_needed(workspace)))
        .collect();
    let default = (!ci.tags.is_empty() || !before_script.is_empty()).then(|| Defaults {
        tags: ci.tags.clone(),
        before_script,
    });
    let mut stages = vec![CHECK_STAGE.to_string()];
    stages.extend(JobStage::ALL.iter().map(|stage| stage.as_str().to_string()));

    let mut jobs = IndexMap::new();
    jobs.insert(AFFECTED_JOB.to_string(), affected(pipeline));
    jobs.insert(
        CHECK_JOB.to_string(),
        job(
            CHECK_STAGE,
            vec![pipeline.install.clone(), pipeline.check.clone()],
        ),
    );
    for spec in &pipeline.jobs {
        jobs.insert(spec.id.gitlab(), component_job(ci, pipeline, spec));
    }
    Configuration {
        workflow: Workflow {
            rules: vec![
                Rule {
                    condition: "$CI_PIPELINE_SOURCE == \"merge_request_event\"".to_string(),
                },
                Rule {
                    condition: equals("CI_COMMIT_BRANCH", &ci.default_branch),
                },
            ],
        },
        stages,
        variables,
        default,
        jobs,
    }
}

/// A job of `stage` running `script`.
fn job(stage: &str, script: Vec<String>) -> Job {
    Job {
        stage: stage.to_string(),
        tags: Vec::new(),
        needs: Vec::new(),
        rules: Vec::new(),
        variables: IndexMap::new(),
        environment: None,
        resource_group: None,
        script,
        artifacts: None,
    }
}

/// `affected`: `stackc affected` into the dotenv report later jobs read.
fn affected(pipeline: &Pipeline) -> Job {
    let mut job = job(
        CHECK_STAGE,
        vec![
            pipeline.install.clone(),
            format!("{} > {AFFECTED_FILE}", pipeline.affected(BASE)),
        ],
    );
    // The whole history, so the base commit is there to compare with; in a
    // fresh clone, since `fetch` in a shell runner's kept shallow clone
    // leaves it shallow.
    job.variables
        .insert("GIT_STRATEGY".to_string(), "clone".to_string());
    job.variables
        .insert("GIT_DEPTH".to_string(), "0".to_string());
    job.artifacts = Some(Artifacts {
        when: None,
        reports: Reports {
            junit: None,
            dotenv: Some(pipeline.from_repository(AFFECTED_FILE)),
        },
    });
    job
}

/// The first line of a component job's script, in POSIX sh (GitLab's Docker
/// executor may run `sh`, its shell executor `bash`): `RUNNER ci:affected
/// C`, whose exit status 1 means "C is not affected": the job ends there
/// and succeeds. Any other failure (2 a usage error, 126 not executable,
/// 127 not found) fails the job with that status; 0 goes on.
pub fn leave_unless_affected(runner: &str, component: &str) -> String {
    format!(
        "{runner} ci:affected {} || {{ status=$?; test \"$status\" -eq 1 && exit 0; exit \"$status\"; }}",
        quote_if_needed(component)
    )
}

/// A component job: after `affected` and its needs; its script starts by
/// leaving when the change does not affect its component.
fn component_job(ci: &Ci, pipeline: &Pipeline, spec: &super::Job) -> Job {
    let stage = spec.stage();
    let mut script = vec![leave_unless_affected(&pipeline.runner, spec.component())];
    script.extend(spec.commands.iter().cloned());
    let mut job = job(stage.as_str(), script);
    job.needs = std::iter::once(AFFECTED_JOB.to_string())
        .chain(stage.needs_check().then(|| CHECK_JOB.to_string()))
        .chain(spec.needs.iter().map(|id| id.gitlab()))
        .collect();
    if stage.default_branch_only() {
        job.rules.push(Rule {
            condition: equals("CI_COMMIT_BRANCH", &ci.default_branch),
        });
    }
    if stage.isolated() {
        job.variables
            .insert("STACK_RUN_ID".to_string(), "$CI_JOB_ID".to_string());
    }
    if stage.default_branch_only() && ci.tags(true) != ci.tags(false) {
        job.tags = ci.tags(true).to_vec();
    }
    if stage.default_branch_only() {
        if let Some(state_dir) = &ci.state_dir {
            job.variables
                .insert("STACK_STATE_DIR".to_string(), literal(state_dir));
        }
    }
    if stage == JobStage::Deploy {
        if let Some(environment) = &pipeline.deploy {
            // One lock per environment across pipelines: every deploy job
            // of any pipeline touches the whole environment.
            job.resource_group = Some(format!("stack-deploy-{environment}"));
            job.environment = Some(Environment {
                name: environment.clone(),
            });
        }
    }
    if stage.writes_reports() {
        job.artifacts = Some(Artifacts {
            when: Some("always".to_string()),
            reports: Reports {
                junit: Some(pipeline.from_repository(&format!("{REPORTS}/*.xml"))),
                dotenv: None,
            },
        });
    }
    job
}
