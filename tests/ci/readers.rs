//! A YAML 1.1 reader (PyYAML `safe_load`) reads every CI file as exactly
//! the structs stackc serialized (their JSON form): every key a string
//! (`on` stays `"on"`, never `true`), every `${{ }}` expression and `$VAR`
//! reference unchanged.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use stackc::emit::ci::{self, github, gitlab, Pipeline};
use stackc::model::CiProvider;

use crate::models::{cases, Case};
use crate::shared_tools::pyyaml;
use crate::tools::write_all;

/// What the file at `path` must read as: its structs as JSON.
fn expected(case: &Case, path: &str) -> Value {
    let Some(ci_block) = &case.model.stack.ci else {
        panic!("{} has no ci block", case.name);
    };
    let pipeline = Pipeline::new(&case.model, ci_block, &case.layout);
    let value = if path == ci::path(CiProvider::Github) {
        serde_json::to_value(github::workflow(&case.model, ci_block, &pipeline))
    } else {
        serde_json::to_value(gitlab::configuration(&case.model, ci_block, &pipeline))
    };
    value.expect("JSON of the structs")
}

/// PyYAML's reading of every file of `case`, by path. A key that is not a
/// string reads with a prefix, a float or a date as a tagged value: nothing
/// the structs serialize.
fn read(case: &Case) -> Vec<(String, Value)> {
    let files = case.files();
    let (dir, _) = write_all(&files);
    let paths: Vec<&str> = files.iter().map(|(path, _)| path.as_str()).collect();
    let mut read = pyyaml(dir.path(), &paths, case.name);
    files
        .iter()
        .map(|(path, _)| (path.clone(), read.remove(path).unwrap_or_default()))
        .collect()
}

#[test]
fn pyyaml_reads_what_was_serialized() {
    let mut failures = Vec::new();
    for case in cases() {
        for (path, document) in read(&case) {
            let want = expected(&case, &path);
            if document != want {
                failures.push(format!(
                    "{} {path}:\n  PyYAML: {document}\n  structs: {want}",
                    case.name
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The expressions the providers evaluate, exactly as GitHub and GitLab
/// must see them.
#[test]
fn expressions_and_variables_survive() {
    let Some(case) = cases().into_iter().find(|case| case.name == "monorepo") else {
        panic!("no monorepo case");
    };
    let documents: BTreeMap<String, Value> = read(&case).into_iter().collect();
    let workflow = &documents[".github/workflows/stack.yml"];
    assert_eq!(workflow["on"]["push"]["branches"], json!(["main"]));
    assert_eq!(workflow["env"]["STACK_COMMIT"], json!("${{ github.sha }}"));
    assert_eq!(
        workflow["env"]["STACK_BRANCH"],
        json!("${{ github.head_ref || github.ref_name }}")
    );
    assert_eq!(
        workflow["env"]["STACK_REGISTRY_PASSWORD"],
        json!("${{ secrets.REGISTRY_TOKEN }}")
    );
    assert_eq!(
        workflow["env"]["NPM_TOKEN"],
        json!("${{ secrets.NPM_TOKEN }}")
    );
    assert_eq!(
        workflow["defaults"]["run"]["working-directory"],
        json!("apps/shop")
    );
    let affected = &workflow["jobs"]["affected"];
    assert_eq!(
        affected["steps"][2]["env"]["STACK_BASE"],
        json!("${{ github.event.pull_request.base.sha || github.event.before }}")
    );
    assert_eq!(
        affected["steps"][2]["run"],
        json!("stackc affected --since \"$STACK_BASE\" --all-if-unknown --format dotenv >> \"$GITHUB_OUTPUT\"")
    );
    let deploy = &workflow["jobs"]["deploy-web-ui"];
    assert_eq!(deploy["environment"], json!("prod"));
    assert_eq!(
        deploy["concurrency"],
        json!({"group": "stack-deploy-prod", "cancel-in-progress": false})
    );
    assert_eq!(
        deploy["if"],
        json!("${{ !failure() && !cancelled() && contains(needs.affected.outputs.STACK_AFFECTED, ',web-ui,') && github.ref == 'refs/heads/main' }}")
    );
    assert_eq!(
        workflow["jobs"]["build-api"]["env"]["STACK_RUN_ID"],
        json!("${{ github.run_id }}-${{ github.run_attempt }}-${{ github.job }}")
    );
    assert_eq!(
        workflow["jobs"]["test-api"]["steps"][2]["with"]["path"],
        json!("apps/shop/reports")
    );

    let gitlab = &documents[".gitlab-ci.yml"];
    assert_eq!(
        gitlab["workflow"]["rules"],
        json!([
            {"if": "$CI_PIPELINE_SOURCE == \"merge_request_event\""},
            {"if": "$CI_COMMIT_BRANCH == \"main\""}
        ])
    );
    assert_eq!(gitlab["variables"]["STACK_COMMIT"], json!("$CI_COMMIT_SHA"));
    assert_eq!(
        gitlab["variables"]["STACK_BRANCH"],
        json!("$CI_COMMIT_REF_NAME")
    );
    assert_eq!(
        gitlab["variables"]["STACK_REGISTRY_PASSWORD"],
        json!("$REGISTRY_TOKEN")
    );
    assert_eq!(gitlab["variables"].get("NPM_TOKEN"), None);
    assert_eq!(
        gitlab["affected"]["script"][1],
        json!("stackc affected --since \"${CI_MERGE_REQUEST_DIFF_BASE_SHA:-$CI_COMMIT_BEFORE_SHA}\" --all-if-unknown --format dotenv > affected.env")
    );
    assert_eq!(gitlab["affected"]["variables"]["GIT_DEPTH"], json!("0"));
    assert_eq!(
        gitlab["affected"]["variables"]["GIT_STRATEGY"],
        json!("clone")
    );
    assert_eq!(
        gitlab["web-ui:deploy"]["environment"],
        json!({"name": "prod"})
    );
    assert_eq!(
        gitlab["web-ui:deploy"]["resource_group"],
        json!("stack-deploy-prod")
    );
    assert_eq!(
        gitlab["api:build"]["variables"]["STACK_RUN_ID"],
        json!("$CI_JOB_ID")
    );
    assert_eq!(
        gitlab["web-ui:deploy"]["script"],
        json!([
            "./generated/stack ci:affected web-ui || { status=$?; test \"$status\" -eq 1 && exit 0; exit \"$status\"; }",
            "./generated/stack up --env prod",
            "./generated/stack deploy web-ui --env prod --commit"
        ])
    );
    assert_eq!(
        gitlab["web-ui:deploy"]["rules"],
        json!([{"if": "$CI_COMMIT_BRANCH == \"main\""}])
    );
    assert_eq!(gitlab["default"]["before_script"], json!(["cd apps/shop"]));
}
