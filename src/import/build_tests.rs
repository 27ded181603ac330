//! Unit tests of `build:` as the import writes it (service.rs, fn `build`).

use std::collections::BTreeMap;

use crate::import::{import, Memory, Outcome, Request};
use crate::source::SourceMap;

fn run(compose: &str, files: &[&str]) -> Outcome {
    let mut memory: BTreeMap<String, String> = files
        .iter()
        .map(|p| (format!("/w/{p}"), "FROM scratch\n".to_string()))
        .collect();
    memory.insert("/w/compose.yaml".into(), compose.to_string());
    let inputs = vec!["/w/compose.yaml".to_string()];
    let shown = |p: &str| p.trim_start_matches("/w/").to_string();
    let request = Request {
        files: &inputs,
        root: "/w",
        shown: &shown,
    };
    import(&request, &Memory(memory), &mut SourceMap::new())
}

fn web(outcome: &Outcome) -> String {
    outcome
        .workspace
        .as_ref()
        .and_then(|w| w.files.iter().find(|(p, _)| p == "components/web.stack"))
        .map(|(_, t)| t.clone())
        .unwrap_or_default()
}

fn messages(outcome: &Outcome) -> Vec<String> {
    outcome
        .diagnostics
        .iter()
        .map(|d| format!("{} {}", d.code.as_str(), d.message))
        .collect()
}

#[test]
fn the_context_alone_stays_a_string() {
    let out = run(
        "services:\n  web:\n    build:\n      context: ./web\n      dockerfile: Dockerfile\n",
        &["web/Dockerfile"],
    );
    assert!(web(&out).contains("build = \"web\"\n"), "{}", web(&out));
    // Only the default image's name: the build has no `image`.
    assert_eq!(
        messages(&out),
        ["W0006 no `image`: stackc tags the build `STACK/web`, which the environment files pull"]
    );
    let out = run(
        "services:\n  web:\n    image: registry.example.com/web\n    build: ./web\n",
        &["web/Dockerfile"],
    );
    assert!(out.diagnostics.is_empty(), "{:?}", messages(&out));
}

#[test]
fn dockerfile_target_args_and_labels_are_carried() {
    let out = run(
        "services:\n  web:\n    build:\n      context: web\n      dockerfile: Dockerfile.prod\n      target: runtime\n      args:\n        - NODE_VERSION=20\n        - BUILD_SHA=$GIT_SHA\n        - PRICE=5$$\n      labels:\n        org.opencontainers.image.source: https://example.com\n      cache_from: [web:cache]\n",
        &["web/Dockerfile.prod"],
    );
    // Laid out by `stackc fmt` (aligned `=`): compared with single spaces.
    let text = web(&out).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains(r#"dockerfile = "Dockerfile.prod""#)
            && text.contains(r#"target = "runtime""#)
            && text.contains(r#"NODE_VERSION = "20""#)
            && text.contains(r#"BUILD_SHA = "${GIT_SHA}""#)
            && text.contains(r#"PRICE = "5\$""#)
            && text.contains(r#""org.opencontainers.image.source" = "https://example.com""#),
        "{text}"
    );
    // Only what the language cannot say: `cache_from` (and the default
    // image's name).
    let reported = messages(&out);
    assert_eq!(reported.len(), 2, "{reported:?}");
    assert!(reported[0].contains("build.cache_from"), "{reported:?}");
    assert!(reported[1].contains("`STACK/web`"), "{reported:?}");
}

#[test]
fn a_missing_dockerfile_or_a_bad_target_or_arg_name_is_reported() {
    let out = run(
        "services:\n  web:\n    build:\n      context: web\n      dockerfile: Dockerfile.nope\n",
        &["web/Dockerfile"],
    );
    assert!(web(&out).contains("build = \"web\"\n"), "{}", web(&out));
    assert!(messages(&out)[0].contains("Dockerfile.nope"));

    let out = run(
        "services:\n  web:\n    build:\n      context: web\n      target: 2nd\n      args: { node.version: \"1\", A: }\n",
        &["web/Dockerfile"],
    );
    let reported = messages(&out).join("\n");
    assert!(reported.contains("build.target"), "{reported}");
    assert!(reported.contains("`node.version`"), "{reported}");
    assert!(
        reported.contains("W0006 the build argument `A`"),
        "{reported}"
    );
    assert!(
        web(&out).contains(r#"args = { A = "${A}" }"#),
        "{}",
        web(&out)
    );
}
