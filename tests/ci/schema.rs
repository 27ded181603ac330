//! Every generated CI file passes its vendor's JSON schema, as
//! `check-jsonschema` ships it (offline): `vendor.github-workflows` and
//! `vendor.gitlab-ci` (after GitLab's own YAML transform, for `!reference`).

use std::path::Path;
use std::process::Output;

use crate::models::cases;
use crate::tools::{check_jsonschema, write_all};

/// `check-jsonschema` on the file `full` with the vendor's schema for a CI
/// file at `path` (from the repository root).
fn check(path: &str, full: &Path) -> Output {
    let schema: &[&str] = match path {
        ".github/workflows/stack.yml" => &["--builtin-schema", "vendor.github-workflows"],
        ".gitlab-ci.yml" => &[
            "--builtin-schema",
            "vendor.gitlab-ci",
            "--data-transform",
            "gitlab-ci",
        ],
        other => panic!("no schema for {other}"),
    };
    let shown = full.display().to_string();
    let mut args = schema.to_vec();
    args.push(&shown);
    check_jsonschema(&args)
}

#[test]
fn every_ci_file_passes_its_vendors_schema() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in cases() {
        let files = case.files();
        let (_dir, paths) = write_all(&files);
        for ((path, _), full) in files.iter().zip(&paths) {
            let out = check(path, full);
            checked += 1;
            if !out.status.success() {
                failures.push(format!(
                    "{} {path}:\n{}{}",
                    case.name,
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
        }
    }
    assert_eq!(checked, 9, "CI files checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The check can fail: a workflow with a job lacking `runs-on` and a GitLab
/// job with an unknown keyword are refused.
#[test]
fn the_schemas_refuse_a_broken_file() {
    let files = vec![
        (
            ".github/workflows/stack.yml".to_string(),
            "\"on\": push\njobs:\n  a:\n    steps:\n      - run: x\n".to_string(),
        ),
        (
            ".gitlab-ci.yml".to_string(),
            "a:\n  script: [x]\n  not_a_keyword: 1\n".to_string(),
        ),
    ];
    let (_dir, paths) = write_all(&files);
    for ((path, _), full) in files.iter().zip(&paths) {
        let out = check(path, full);
        assert!(
            !out.status.success(),
            "{path} passed:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}
