//! The CI target: which files, where, and the providers' spelling of the
//! cascade (every component job names exactly its component).

use super::pipeline::tests::shop;
use super::*;
use crate::model::CiProvider;

#[test]
fn no_ci_block_no_file() {
    let mut model = shop(None);
    model.stack.ci = None;
    assert!(CiPipelines
        .artifacts(
            &model,
            &Layout::default(),
            &crate::emit::BuildCache::new(&model)
        )
        .is_empty());
}

#[test]
fn one_file_per_provider_at_the_repository_root() {
    let mut model = shop(None);
    if let Some(ci) = &mut model.stack.ci {
        ci.providers = vec![CiProvider::Gitlab];
    }
    let artifacts = CiPipelines.artifacts(
        &model,
        &Layout::default(),
        &crate::emit::BuildCache::new(&model),
    );
    let found: Vec<(Root, &str)> = artifacts
        .iter()
        .map(|artifact| (artifact.root, artifact.path.as_str()))
        .collect();
    assert_eq!(found, [(Root::Repository, ".gitlab-ci.yml")]);
    let model = shop(None);
    let both = CiPipelines.artifacts(
        &model,
        &Layout::default(),
        &crate::emit::BuildCache::new(&model),
    );
    let paths: Vec<&str> = both.iter().map(|a| a.path.as_str()).collect();
    assert_eq!(paths, [".github/workflows/stack.yml", ".gitlab-ci.yml"]);
    assert!(both.iter().all(|a| a.mode == FileMode::Regular));
}

/// The component names `contains(..., ',NAME,')` looks for in a GitHub
/// job's condition.
fn named_in(condition: &str) -> Vec<String> {
    condition
        .split("',")
        .skip(1)
        .filter_map(|rest| rest.split(",'").next())
        .map(str::to_string)
        .collect()
}

#[test]
fn github_conditions_name_exactly_the_component() {
    let model = shop(Some("prod"));
    let Some(ci) = &model.stack.ci else {
        panic!("no ci block");
    };
    let pipeline = Pipeline::new(&model, ci, &Layout::default());
    let workflow = github::workflow(&model, ci, &pipeline);
    let mut seen = 0;
    for job in &pipeline.jobs {
        let Some(spelt) = workflow.jobs.get(&job.id.github()) else {
            panic!("{} missing", job.id.github());
        };
        let condition = spelt.condition.clone().unwrap_or_default();
        assert_eq!(named_in(&condition), [job.component()], "{condition}");
        assert_eq!(
            condition.contains("github.ref == 'refs/heads/main'"),
            job.stage().default_branch_only(),
            "{condition}"
        );
        assert_eq!(spelt.needs.first().map(String::as_str), Some("affected"));
        let deploy = job.stage() == JobStage::Deploy;
        assert_eq!(spelt.needs.get(1) == Some(&"check".to_string()), deploy);
        assert_eq!(
            spelt
                .concurrency
                .as_ref()
                .map(|c| (c.group.as_str(), c.cancel_in_progress)),
            deploy.then_some(("stack-deploy-prod", false))
        );
        assert_eq!(spelt.environment.as_deref(), deploy.then_some("prod"));
        seen += 1;
    }
    assert_eq!(seen, 19);
    for whole in ["affected", "check"] {
        assert_eq!(
            workflow.jobs.get(whole).map(|j| j.condition.clone()),
            Some(None)
        );
    }
}

#[test]
fn gitlab_jobs_leave_unless_their_component_is_affected() {
    let model = shop(Some("prod"));
    let Some(ci) = &model.stack.ci else {
        panic!("no ci block");
    };
    let pipeline = Pipeline::new(&model, ci, &Layout::default());
    let configuration = gitlab::configuration(&model, ci, &pipeline);
    for job in &pipeline.jobs {
        let Some(spelt) = configuration.jobs.get(&job.id.gitlab()) else {
            panic!("{} missing", job.id.gitlab());
        };
        assert_eq!(
            spelt.script.first(),
            Some(&format!(
                "./generated/stack ci:affected {} || {{ status=$?; test \"$status\" -eq 1 && exit 0; exit \"$status\"; }}",
                job.component()
            ))
        );
        assert_eq!(&spelt.script[1..], job.commands.as_slice());
        assert_eq!(spelt.stage, job.stage().as_str());
        assert_eq!(spelt.rules.is_empty(), !job.stage().default_branch_only());
        assert_eq!(
            spelt.variables.contains_key("STACK_RUN_ID"),
            job.stage().isolated()
        );
        assert_eq!(spelt.needs.first().map(String::as_str), Some("affected"));
        let deploy = job.stage() == JobStage::Deploy;
        assert_eq!(spelt.needs.get(1) == Some(&"check".to_string()), deploy);
        assert_eq!(
            spelt.resource_group.as_deref(),
            deploy.then_some("stack-deploy-prod")
        );
        assert_eq!(
            spelt.environment.as_ref().map(|e| e.name.as_str()),
            deploy.then_some("prod")
        );
    }
    let affected = configuration.jobs.get("affected");
    let git: Vec<(&str, &str)> = affected
        .map(|job| {
            job.variables
                .iter()
                .filter(|(name, _)| name.starts_with("GIT_"))
                .map(|(name, value)| (name.as_str(), value.as_str()))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(git, [("GIT_STRATEGY", "clone"), ("GIT_DEPTH", "0")]);
}

/// The leave line in sh and bash, with `set -e` as GitLab's shells run a
/// script: status 1 of `ci:affected` ends the job with success before the
/// next line, 0 goes on, and any other status fails the job with it.
#[test]
fn gitlab_leave_line_passes_only_not_affected() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let runner = dir.path().join("stack");
    std::fs::write(&runner, "#!/bin/sh\nexit \"$FAKE_STATUS\"\n")
        .unwrap_or_else(|e| panic!("write: {e}"));
    let line = gitlab::leave_unless_affected("./stack", "api");
    let script = format!("set -e\n{line}\necho went on\n");
    for shell in ["sh", "bash"] {
        for (status, exit, went_on) in [
            (0, 0, true),
            (1, 0, false),
            (2, 2, false),
            (126, 126, false),
            (127, 127, false),
        ] {
            // 126: a runner that is not executable, as a checkout without
            // the mode bit gives; the others from the runner itself.
            let mode = if status == 126 { 0o644 } else { 0o755 };
            set_mode(&runner, mode);
            let fake = if status == 126 { 0 } else { status };
            let output = std::process::Command::new(shell)
                .arg("-c")
                .arg(&script)
                .current_dir(dir.path())
                .env("FAKE_STATUS", fake.to_string())
                .output()
                .unwrap_or_else(|e| panic!("{shell}: {e}"));
            let stdout = String::from_utf8_lossy(&output.stdout);
            assert_eq!(
                (output.status.code(), stdout.contains("went on")),
                (Some(exit), went_on),
                "{shell}, ci:affected exiting {status}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
    // 127: no runner at all.
    std::fs::remove_file(&runner).unwrap_or_else(|e| panic!("rm: {e}"));
    for shell in ["sh", "bash"] {
        let output = std::process::Command::new(shell)
            .arg("-c")
            .arg(&script)
            .current_dir(dir.path())
            .output()
            .unwrap_or_else(|e| panic!("{shell}: {e}"));
        assert_eq!(output.status.code(), Some(127), "{shell}");
    }
}

fn set_mode(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("chmod: {e}"));
}

#[test]
fn headers_name_the_workspace_and_the_command() {
    let model = shop(None);
    let Some(ci) = &model.stack.ci else {
        panic!("no ci block");
    };
    assert_eq!(
        header(&model, ci, &Layout::default()),
        [
            "Generated by stackc; do not edit. Spec files:",
            "  Stackfile",
            "regenerate with: stackc build"
        ]
    );
    let monorepo = Layout {
        workspace_from_output: "../../apps/shop".into(),
        workspace_from_repository: "apps/shop".into(),
        output_from_workspace: "../../build/shop".into(),
    };
    let lines = header(&model, ci, &monorepo);
    assert_eq!(
        lines.last().map(String::as_str),
        Some("regenerate with (from the repository root): stackc build apps/shop --out build/shop")
    );
    assert!(
        lines[0].contains("From the workspace apps/shop;"),
        "{lines:?}"
    );
}
