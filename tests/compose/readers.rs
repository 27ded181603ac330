//! A YAML 1.1 reader (PyYAML `safe_load`) reads every emitted file as the
//! Model says: every key a string, every environment value, image, command,
//! health probe and pass-through value with its intended type and text.
//! (Compose, a YAML 1.2 reader, is checked in `model_values`.)

use std::collections::BTreeSet;

use serde_json::{json, Value};
use stackc::emit::compose::{exec_form, probe};
use stackc::model::Slot;
use stackc::model::{HealthCheck, PassValue};

use crate::shared_tools::NOT_A_STRING_KEY;
use crate::workspaces::{self, expected_services, Built, Kind};
use crate::{pyyaml, Failures};

#[test]
fn pyyaml_reads_what_the_model_says() {
    let mut failures = Failures::default();
    for built in workspaces::all() {
        let documents = pyyaml(built);
        for (file, _) in &built.files {
            let document = &documents[file];
            check(built, file, document, &mut failures);
        }
    }
    failures.assert_none();
}

fn check(built: &Built, file: &str, document: &Value, failures: &mut Failures) {
    let at = |what: &str| format!("{} {file}: {what}", built.label);
    let mut keys = Vec::new();
    non_string_keys(document, &mut keys);
    failures.equal(&at("keys that are not strings"), keys, Vec::<String>::new());

    let kind = Kind::of(file);
    let services = document["services"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let names: BTreeSet<String> = services.keys().cloned().collect();
    failures.equal(
        &at("services"),
        names,
        expected_services(&built.model, kind, true),
    );
    failures.check(document["name"].is_string(), || at("name is not a string"));

    for (name, service) in &services {
        if let Some(component) = built.model.component(name) {
            // A routed component's service is its blue slot (`slots` checks
            // the green one and what Compose makes of both).
            let image = match kind {
                Kind::Environment(_) if !component.routes.is_empty() => format!(
                    "${{{}:-{}}}",
                    Slot::Blue.image_variable(&component.name),
                    component.image.to_compose()
                ),
                _ => component.image.to_compose(),
            };
            failures.equal(
                &at(&format!("{name}.image")),
                &service["image"],
                &json!(image),
            );
            let mut environment = serde_json::Map::new();
            for var in &component.env {
                if let Some(text) = var.value(kind.environment()) {
                    environment.insert(var.name.clone(), json!(text.to_compose()));
                }
            }
            failures.equal_maps(
                &at(&format!("{name}.environment")),
                &service["environment"],
                &Value::Object(environment),
            );
            if let Some(health) = &component.health {
                failures.equal(
                    &at(&format!("{name}.healthcheck.test")),
                    &service["healthcheck"]["test"],
                    &json!(["CMD-SHELL", probe(&health.check).replace('$', "$$")]),
                );
                if let HealthCheck::Http { .. } | HealthCheck::Tcp { .. } = health.check {
                    failures.check(service["healthcheck"]["retries"].is_u64(), || {
                        at(&format!("{name}.healthcheck.retries is not an integer"))
                    });
                }
            }
            for (key, value) in &component.compose {
                if stackc::analyse::MODELLED_COMPOSE_KEYS.contains(&key.as_str()) {
                    continue;
                }
                // Rewritten on purpose (host paths rebased onto the
                // workspace root, `default` network added); `paths` checks
                // with Compose what they mean.
                if REWRITTEN_KEYS.contains(&key.as_str()) {
                    continue;
                }
                failures.equal(
                    &at(&format!("{name}.{key} (pass-through)")),
                    &service[key],
                    &expected(value),
                );
            }
        } else if let Some(fixture) = built
            .model
            .components
            .iter()
            .flat_map(|c| &c.fixtures)
            .find(|f| &f.service == name)
        {
            failures.equal(
                &at(&format!("{name}.image")),
                &service["image"],
                &json!(fixture.image.to_compose()),
            );
            let command = fixture.command.as_deref().map(exec_form);
            failures.equal(
                &at(&format!("{name}.command")),
                service.get("command").cloned().unwrap_or(Value::Null),
                json!(command),
            );
            failures.equal(
                &at(&format!("{name}.restart")),
                &service["restart"],
                &json!("no"),
            );
        }
    }
}

/// Pass-through keys the emitter does not copy as written (host paths
/// rebased onto the workspace root, `default` network added).
const REWRITTEN_KEYS: [&str; 7] = [
    "volumes",
    "env_file",
    "networks",
    "label_file",
    "develop",
    "security_opt",
    "pre_start",
];

/// A pass-through value as a YAML reader must see it.
fn expected(value: &PassValue) -> Value {
    match value {
        PassValue::String(text) => json!(text.to_compose()),
        PassValue::Integer(n) => json!(n),
        PassValue::Boolean(b) => json!(b),
        PassValue::List(items) => Value::Array(items.iter().map(expected).collect()),
        PassValue::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), expected(v)))
                .collect(),
        ),
    }
}

fn non_string_keys(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                if key.starts_with(NOT_A_STRING_KEY) {
                    found.push(key.replace('\u{0}', ""));
                }
                non_string_keys(inner, found);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| non_string_keys(v, found)),
        _ => {}
    }
}
