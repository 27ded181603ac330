//! The `secrets` fixture: secrets and configs of every source, short and
//! long form. Compose must find each declared in every file that mounts
//! it (and only those), a `file` resolved to the workspace's file (not one
//! beside the generated file), `environment` naming the variable and
//! `content` interpolated as written. Expected values are written out by
//! hand from the fixture's Stackfile.

use serde_json::{json, Value};

use crate::workspaces::{self, Built};
use crate::{compose_json, Failures};

const LABEL: &str = "tests/fixtures/compose/secrets";

fn secrets() -> &'static Built {
    workspaces::named(LABEL)
}

/// The keys of a top-level map, sorted (Compose prints them so).
fn keys(value: &Value) -> Vec<String> {
    value
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

#[test]
fn secrets_and_configs_are_declared_and_mounted_as_written() {
    let built = secrets();
    let root = built.workspace.display().to_string();
    let mut failures = Failures::default();
    let mut checked = 0;
    for (file, _) in &built.files {
        let config = compose_json(built, &[file], None);
        let services = &config["services"];
        let what = |s: &str| format!("{file}: {s}");
        let web = services.get("web");
        let db = services.get("db");
        if let Some(db) = db {
            failures.equal(
                &what("db.secrets"),
                db["secrets"].clone(),
                json!([{ "source": "db_password", "target": "pg_password" }]),
            );
        }
        if let Some(web) = web {
            failures.equal(
                &what("web.secrets"),
                web["secrets"].clone(),
                json!([
                    { "source": "api_token", "target": "/run/secrets/api_token" },
                    { "source": "db_password", "target": "/run/secrets/db_password" },
                ]),
            );
            failures.equal(
                &what("web.configs"),
                web["configs"].clone(),
                json!([{ "source": "nginx_conf" }, { "source": "motd", "target": "/etc/motd" }]),
            );
        }
        // Only what the file's services mount is declared.
        let mut secrets = Vec::new();
        if web.is_some() {
            secrets.push("api_token".to_string());
        }
        if web.is_some() || db.is_some() {
            secrets.push("db_password".to_string());
        }
        failures.equal(&what("declared secrets"), keys(&config["secrets"]), secrets);
        let configs: Vec<String> = if web.is_some() {
            vec!["motd".into(), "nginx_conf".into()]
        } else {
            Vec::new()
        };
        failures.equal(&what("declared configs"), keys(&config["configs"]), configs);
        if web.is_some() || db.is_some() {
            failures.equal(
                &what("db_password.file"),
                config["secrets"]["db_password"]["file"].clone(),
                Value::from(format!("{root}/secrets/db_password.txt")),
            );
        }
        if web.is_some() {
            failures.equal(
                &what("api_token.environment"),
                config["secrets"]["api_token"]["environment"].clone(),
                Value::from("API_TOKEN"),
            );
            failures.equal(
                &what("nginx_conf.file"),
                config["configs"]["nginx_conf"]["file"].clone(),
                Value::from(format!("{root}/config/nginx.conf")),
            );
            // Interpolated, the literal `$` printed `$$` again.
            failures.equal(
                &what("motd.content"),
                config["configs"]["motd"]["content"].clone(),
                Value::from("hello you, it costs $$5"),
            );
        }
        checked += 1;
    }
    assert!(checked >= 5, "files checked: {checked}");
    failures.assert_none();
}

/// A fragment and its neighbours' fragments merge into one file that
/// declares each secret once.
#[test]
fn merged_fragments_declare_each_secret_once() {
    let built = secrets();
    let config = compose_json(
        built,
        &["compose/components/web.yml", "compose/components/db.yml"],
        Some("vault-merged"),
    );
    assert_eq!(
        keys(&config["secrets"]),
        ["api_token", "db_password"],
        "{config}"
    );
    assert_eq!(keys(&config["configs"]), ["motd", "nginx_conf"], "{config}");
}
