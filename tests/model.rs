//! The resolved Model of every example, pinned as pretty JSON in
//! `snapshots/model/<example>.snap`, so a change in meaning shows in review.

use std::fs;
use std::path::{Path, PathBuf};

use stackc::compile::compile;
use stackc::diagnostic::{render_human, ColorChoice};

fn examples() -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut dirs: Vec<PathBuf> = fs::read_dir(&root)
        .expect("examples/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.join("Stackfile").is_file())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn every_example_resolves_to_its_model() {
    let dirs = examples();
    let names: Vec<String> = dirs
        .iter()
        .map(|d| d.file_name().expect("name").to_string_lossy().into_owned())
        .collect();
    for expected in ["minimal", "newsroom", "payments"] {
        assert!(
            names.iter().any(|n| n == expected),
            "examples/{expected} is missing"
        );
    }

    // Check every example, then report every failure, so one run shows them all.
    let mut failures = Vec::new();
    for (dir, name) in dirs.iter().zip(&names) {
        if std::panic::catch_unwind(|| check_example(dir, name)).is_err() {
            failures.push(name.clone());
        }
    }
    assert!(failures.is_empty(), "failing examples: {failures:?}");
}

fn check_example(dir: &Path, name: &str) {
    let compilation = compile(dir).expect("the example loads");
    // Examples are clean: not even a warning.
    let rendered: Vec<String> = compilation
        .diagnostics
        .sorted()
        .into_iter()
        .map(|d| render_human(d, &compilation.workspace.sources, ColorChoice::Never))
        .collect();
    assert!(
        rendered.is_empty(),
        "examples/{name}:\n{}",
        rendered.join("\n")
    );
    let model = compilation.model.expect("a clean example has a model");
    let json = serde_json::to_string_pretty(&model).expect("the model serializes");

    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("snapshots/model"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_input_file(dir.join("Stackfile"));
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(name, json));
}

/// The newsroom example meets the bar the language issue sets for it.
#[test]
fn newsroom_is_a_real_stack() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/newsroom");
    let model = compile(&dir)
        .expect("loads")
        .model
        .expect("newsroom has a model");
    assert!(model.components.len() >= 8);
    let environments: Vec<&str> = model.environments.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(environments, ["test", "dev", "staging", "prod"]);
    assert!(
        model.sources.len() >= 4,
        "several files joined by an include glob"
    );
    assert!(!model.toggles.is_empty(), "a feature toggle");
    let deepest = model
        .components
        .iter()
        .map(|c| depth(&model, &c.name))
        .max()
        .unwrap_or(0);
    assert!(
        deepest >= 3,
        "a dependency chain at least 3 deep, found {deepest}"
    );
    for public in model.components.iter().filter(|c| !c.routes.is_empty()) {
        assert!(!public.tests.is_empty(), "{} has no tests", public.name);
        assert!(public.deploy.is_some(), "{} has no deploy", public.name);
        assert!(public.kpi.is_some(), "{} has no kpi", public.name);
    }
}

/// Longest chain of dependencies below `name`.
fn depth(model: &stackc::model::Model, name: &str) -> usize {
    model.component(name).map_or(0, |c| {
        c.depends_on
            .iter()
            .map(|d| 1 + depth(model, d))
            .max()
            .unwrap_or(0)
    })
}
