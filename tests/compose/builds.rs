//! What Compose reads of a build's options (`tests/fixtures/compose/builds`):
//! the Dockerfile under the context, the target stage, the build arguments
//! with their run-time references expanded and literal `$` kept, the labels;
//! a build given by its context alone keeps the short form.

use serde_json::{json, Value};

use crate::compose_json_with;
use crate::workspaces::{self, Built};

fn builds() -> &'static Built {
    workspaces::named("tests/fixtures/compose/builds")
}

fn config(file: &str, vars: &[(&str, &str)]) -> Value {
    compose_json_with(builds(), file, vars)
}

#[test]
fn compose_builds_with_the_options_the_spec_gives() {
    let root = builds().workspace.canonicalize().expect("the workspace");
    for file in ["compose/environments/test.yml", "compose/test/web.yml"] {
        let config = config(file, &[("GIT_SHA", "4f2a9c1")]);
        let build = &config["services"]["web"]["build"];
        assert_eq!(
            build["context"],
            json!(root.join("web").display().to_string()),
            "{file}"
        );
        assert_eq!(build["dockerfile"], json!("docker/Dockerfile.prod"));
        assert_eq!(build["target"], json!("runtime"));
        // `config` prints a literal `$` escaped again (`$$`): one dollar.
        assert_eq!(
            build["args"],
            json!({"NODE_VERSION": "20", "BUILD_SHA": "4f2a9c1", "PRICE": "5$$", "DEBUG": "true"})
        );
        assert_eq!(
            build["labels"],
            json!({"org.opencontainers.image.source": "https://example.com/shop"})
        );
    }
    let unset = config("compose/test/web.yml", &[]);
    assert_eq!(
        unset["services"]["web"]["build"]["args"]["BUILD_SHA"],
        json!("dev")
    );
}

#[test]
fn a_build_without_options_is_its_context_alone() {
    let worker = builds().text("compose/test/worker.yml");
    assert!(
        worker.contains("    build:\n      context: ../../../worker\n    pull_policy: build\n"),
        "{worker}"
    );
    let config = config("compose/test/worker.yml", &[]);
    let build = &config["services"]["worker"]["build"];
    assert_eq!(build["dockerfile"], json!("Dockerfile"));
    assert!(build.get("target").is_none() && build.get("args").is_none());
}
