//! The registry: every target's artifacts, as the output layer sees them.

use std::collections::BTreeSet;
use std::path::Path;

use super::*;
use crate::output::FileMode;

fn newsroom() -> Model {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/newsroom");
    let compilation = crate::compile::compile(&dir);
    let model = compilation.ok().and_then(|c| c.model);
    model.unwrap_or_else(|| panic!("examples/newsroom compiles"))
}

#[test]
fn targets_have_distinct_names() {
    let names: BTreeSet<&str> = TARGETS.iter().map(|t| t.name()).collect();
    assert_eq!(names.len(), TARGETS.len());
    assert!(names.contains("compose") && names.contains("scripts"));
}

#[test]
fn artifacts_are_sorted_unique_and_state_their_mode() {
    let model = newsroom();
    let all = artifacts(&model, &Layout::default());
    let keys: Vec<(Root, &str)> = all.iter().map(|a| (a.root, a.path.as_str())).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(keys, sorted, "sorted by root and path, no path twice");
    for artifact in &all {
        let expected = if artifact.path == "stack" {
            FileMode::Executable
        } else {
            FileMode::Regular
        };
        assert_eq!(artifact.mode, expected, "{}", artifact.path);
        // Only the CI files go where their vendors read them.
        let ci = artifact.path == ".gitlab-ci.yml" || artifact.path.starts_with(".github/");
        let root = if ci { Root::Repository } else { Root::Output };
        assert_eq!(artifact.root, root, "{}", artifact.path);
    }
}

#[test]
fn eager_helpers_render_the_same_files() {
    let model = newsroom();
    let rendered: ArtifactSet = artifacts(&model, &Layout::default())
        .iter()
        .filter(|a| a.root == Root::Output)
        .map(|a| (a.path.clone(), a.render()))
        .collect();
    assert_eq!(emit_all(&model), rendered);
    let elsewhere = emit_all_to(&model, "../app");
    let api = elsewhere.get("compose/test/api.yml").map(String::as_str);
    assert!(
        api.is_some_and(|text| text.contains("context: ../../../app/services/api\n")),
        "{api:?}"
    );
}

#[test]
fn rendering_twice_gives_the_same_bytes() {
    let model = newsroom();
    for artifact in artifacts(&model, &Layout::default()) {
        assert_eq!(artifact.render(), artifact.render(), "{}", artifact.path);
    }
}
