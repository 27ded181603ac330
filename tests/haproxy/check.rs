//! `haproxy -c` accepts every generated configuration.

use std::path::{Path, PathBuf};
use std::process::Command;

use stackc::emit::haproxy;
use stackc::model::Model;

use crate::models;
use crate::tools;

/// What `haproxy -c -f config` printed, when it accepted the file; panics
/// with the output when it did not.
fn check(config: &Path, vars: &[(String, String)]) -> String {
    let out = Command::new(tools::haproxy())
        .arg("-c")
        .arg("-f")
        .arg(config)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .envs(vars.iter().map(|(n, v)| (n, v)))
        .output()
        .expect("haproxy runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "haproxy -c refused {}:\n{text}\n{}",
        config.display(),
        std::fs::read_to_string(config).unwrap_or_default()
    );
    text
}

/// Every configuration of `model`, written under `dir`.
fn write_all(model: &Model, dir: &Path) -> Vec<PathBuf> {
    let files = haproxy::emit(model);
    assert!(
        !files.is_empty(),
        "no configuration for a model with routes"
    );
    files
        .into_iter()
        .map(|(path, text)| {
            let target = dir.join(path);
            tools::write(&target, &text);
            target
        })
        .collect()
}

/// The only warnings a configuration may get without its overrides, outside
/// a container: no saved server state yet, and slot names that resolve only
/// on the environment's network.
fn expected_warning(line: &str) -> bool {
    line.contains("Can't open global server state file")
        || line.contains("could not resolve address")
}

/// With every override set (a state folder holding a saved state, slots on
/// loopback addresses), HAProxy has nothing to warn about.
fn overrides(model: &Model, run_dir: &Path) -> Vec<(String, String)> {
    tools::write(&run_dir.join("server-state"), "1\n");
    let mut vars = vec![
        (
            "STACK_HAPROXY_RUN_DIR".to_string(),
            run_dir.display().to_string(),
        ),
        (
            "STACK_HAPROXY_HTTP_BIND".to_string(),
            "127.0.0.1:18080".to_string(),
        ),
        (
            "STACK_HAPROXY_STATS_BIND".to_string(),
            "127.0.0.1:18404".to_string(),
        ),
        (
            "STACK_HAPROXY_RUNTIME_BIND".to_string(),
            "127.0.0.1:19999".to_string(),
        ),
    ];
    for component in model.components.iter().filter(|c| !c.routes.is_empty()) {
        for slot in stackc::model::Slot::ALL {
            vars.push((
                slot.address_variable(&component.name),
                "127.0.0.1:1".to_string(),
            ));
        }
    }
    vars
}

fn check_model(label: &str, model: &Model) {
    let dir = tempfile::tempdir().expect("tempdir");
    let run_dir = dir.path().join("run");
    let vars = overrides(model, &run_dir);
    for config in write_all(model, &dir.path().join("generated")) {
        let text = check(&config, &[]);
        for line in text
            .lines()
            .filter(|l| l.contains("[WARNING]") || l.contains("[ALERT]"))
        {
            assert!(
                expected_warning(line),
                "{label} {}: {line}",
                config.display()
            );
        }
        let text = check(&config, &vars);
        assert!(
            !text.contains("[WARNING]") && !text.contains("[ALERT]"),
            "{label} {} with its overrides:\n{text}",
            config.display()
        );
    }
}

#[test]
fn haproxy_accepts_every_examples_configurations() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut checked = 0;
    let mut names: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("examples/")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.join("Stackfile").is_file())
        .collect();
    names.sort();
    for workspace in names {
        let compilation = stackc::compile::compile(&workspace).expect("loads");
        let model = compilation
            .model
            .unwrap_or_else(|| panic!("{} compiles", workspace.display()));
        if haproxy::has_routes(&model) {
            check_model(&workspace.display().to_string(), &model);
            checked += 1;
        }
    }
    // newsroom and payments have routes: never a vacuous pass.
    assert!(checked >= 2, "examples with routes: {checked}");
}

#[test]
fn haproxy_accepts_hand_built_models() {
    check_model("routing", &models::routing(9999));
    check_model("health kinds", &models::health_kinds());
}

/// The configurations of the hand-built Models, reviewed (the examples'
/// are their committed `generated/` trees): every kind of health check,
/// wildcard and catch-all hosts, a TCP runtime API.
#[test]
fn hand_built_configurations_match_their_snapshots() {
    for (name, model) in [
        ("routing", models::routing(9999)),
        ("health-kinds", models::health_kinds()),
    ] {
        for (path, text) in haproxy::emit(&model) {
            let file = path.trim_start_matches("haproxy/").trim_end_matches(".cfg");
            insta::with_settings!({
                snapshot_path => "../../snapshots/haproxy",
                prepend_module_to_snapshot => false,
                omit_expression => true,
                description => format!("tests/haproxy/models.rs {name}: {path}"),
            }, {
                insta::assert_snapshot!(format!("{name}__{file}"), text);
            });
        }
    }
}
