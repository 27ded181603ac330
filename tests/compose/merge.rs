//! The differential test: Compose merging a component's fragment with its
//! dependencies' fragments (what the old `fig.yml` script did at test time)
//! must give the component's test stack, apart from
//! - the ports the test stack publishes for the component under test, and
//! - the fixture loaders of the dependencies (each fragment carries its own
//!   component's loaders; a test stack runs only the tested component's),
//! - repeated `pre_start` hooks: Compose merges other lists without
//!   repeats, but appends hook lists, so the hooks of a service written in
//!   several fragments appear once per fragment.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::workspaces;
use crate::{compose_json, Failures};

/// Both sides get the same project name, so network names agree.
const PROJECT: &str = "stackc-merge";

#[test]
fn fragments_merge_into_the_test_stack() {
    let mut failures = Failures::default();
    let mut compared = 0;
    for built in workspaces::all() {
        let model = &built.model;
        for component in &model.components {
            let closure: Vec<&str> = model.graph.closure(&component.name).collect();
            let mut files = vec![format!("compose/components/{}.yml", component.name)];
            files.extend(
                closure
                    .iter()
                    .map(|d| format!("compose/components/{d}.yml")),
            );
            let files: Vec<&str> = files.iter().map(String::as_str).collect();
            let mut merged = compose_json(built, &files, Some(PROJECT));
            drop_repeated_hooks(&mut merged);
            let test_file = format!("compose/test/{}.yml", component.name);
            let mut test = compose_json(built, &[&test_file], Some(PROJECT));

            // The dependencies' own loaders, and what waits for them.
            let foreign: BTreeSet<String> = closure
                .iter()
                .filter_map(|d| model.component(d))
                .flat_map(|d| d.fixtures.iter().map(|f| f.service.clone()))
                .collect();
            let removed = remove_services(&mut merged, &foreign);
            failures.equal(
                &format!(
                    "{} {}: loaders only the merge has",
                    built.label, component.name
                ),
                removed,
                foreign,
            );
            let ports = test["services"][&component.name]
                .as_object_mut()
                .and_then(|s| s.remove("ports"));
            let published = component.ports.iter().any(|p| p.published.is_some());
            failures.equal(
                &format!("{} {}: test stack publishes", built.label, component.name),
                ports.is_some(),
                published,
            );

            let merged = serde_json::to_string_pretty(&merged).expect("JSON");
            let test = serde_json::to_string_pretty(&test).expect("JSON");
            failures.check(merged == test, || {
                format!(
                    "{} {}: merged fragments ({}) differ from {test_file}:\n{}",
                    built.label,
                    component.name,
                    files.join(" "),
                    line_diff(&merged, &test)
                )
            });
            compared += 1;
        }
    }
    assert!(compared > 0);
    failures.assert_none();
}

/// Removes `names` from the services and from every `depends_on`; returns
/// those that were there.
fn remove_services(config: &mut Value, names: &BTreeSet<String>) -> BTreeSet<String> {
    let mut removed = BTreeSet::new();
    let Some(services) = config["services"].as_object_mut() else {
        return removed;
    };
    for name in names {
        if services.remove(name).is_some() {
            removed.insert(name.clone());
        }
    }
    for service in services.values_mut() {
        if let Some(deps) = service.get_mut("depends_on").and_then(Value::as_object_mut) {
            deps.retain(|dep, _| !names.contains(dep));
        }
    }
    removed
}

/// Keeps the first of equal `pre_start` hooks of each service.
fn drop_repeated_hooks(config: &mut Value) {
    let Some(services) = config["services"].as_object_mut() else {
        return;
    };
    for service in services.values_mut() {
        if let Some(hooks) = service.get_mut("pre_start").and_then(Value::as_array_mut) {
            let mut kept: Vec<Value> = Vec::new();
            for hook in hooks.drain(..) {
                if !kept.contains(&hook) {
                    kept.push(hook);
                }
            }
            *hooks = kept;
        }
    }
}

/// The lines only one side has, marked `-` (merged) and `+` (test stack).
fn line_diff(merged: &str, test: &str) -> String {
    let left: BTreeSet<&str> = merged.lines().collect();
    let right: BTreeSet<&str> = test.lines().collect();
    let mut out = String::new();
    for line in left.difference(&right) {
        out.push_str(&format!("- {line}\n"));
    }
    for line in right.difference(&left) {
        out.push_str(&format!("+ {line}\n"));
    }
    out
}
