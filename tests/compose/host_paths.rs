//! The `host-paths` fixture's pass-through holds host paths beyond volumes
//! and env files: label files, `develop.watch` paths, seccomp profiles and
//! a `pre_start` hook's mounts, env file and label file. Compose must
//! resolve every one to the file in the workspace (not in the generated
//! file's folder) and find the hook's volume and network declared.
//! Expected values are written out by hand from the fixture's Stackfile.

use std::path::Path;

use serde_json::Value;

use crate::workspaces::{self, Built};
use crate::{compose_json, Failures};

const LABEL: &str = "tests/fixtures/compose/host-paths";

fn host_paths() -> &'static Built {
    workspaces::all()
        .iter()
        .find(|b| b.label == LABEL)
        .unwrap_or_else(|| panic!("{LABEL} was not built"))
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

fn field(values: &Value, key: &str) -> Vec<String> {
    values
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|v| v[key].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The seccomp profiles of `security_opt`, which Compose reads when it
/// creates the container, relative to the compose file's folder: each as
/// the file it names, canonical.
fn seccomp_profiles(built: &Built, file: &str, options: &Value) -> Vec<String> {
    let folder = built
        .path(file)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    strings(options)
        .iter()
        .filter_map(|o| {
            o.strip_prefix("seccomp=")
                .or_else(|| o.strip_prefix("seccomp:"))
        })
        .filter(|p| *p != "unconfined")
        .map(|p| {
            let path = folder.join(p);
            path.canonicalize()
                .unwrap_or_else(|e| panic!("{file}: seccomp profile {}: {e}", path.display()))
                .display()
                .to_string()
        })
        .collect()
}

#[test]
fn host_paths_resolve_in_the_workspace_and_hook_names_are_declared() {
    let built = host_paths();
    let root = built.workspace.display().to_string();
    let at = |path: &str| format!("{root}/{path}");
    let mut failures = Failures::default();
    for (file, _) in &built.files {
        let config = compose_json(built, &[file], None);
        let services = &config["services"];
        let api = &services["api"];
        let what = |s: &str| format!("{file}: {s}");
        failures.equal(
            &what("api.label_file"),
            strings(&api["label_file"]),
            vec![at("config/api.labels")],
        );
        failures.equal(
            &what("api.develop.watch paths"),
            field(&api["develop"]["watch"], "path"),
            vec![at("src"), at("config")],
        );
        failures.equal(
            &what("api seccomp profiles"),
            seccomp_profiles(built, file, &api["security_opt"]),
            vec![at("config/seccomp.json")],
        );
        let hook = &api["pre_start"][0];
        failures.equal(
            &what("hook volume sources"),
            field(&hook["volumes"], "source"),
            vec![at("config"), "hook-cache".to_string()],
        );
        failures.equal(
            &what("hook env_file"),
            field(&hook["env_file"], "path"),
            vec![at("config/hook.env")],
        );
        // The hook's label files complete the service's.
        failures.equal(
            &what("hook label_file"),
            strings(&hook["label_file"]),
            vec![at("config/api.labels"), at("config/hook.labels")],
        );
        failures.check(config["volumes"]["hook-cache"].is_object(), || {
            what("hook-cache is not declared")
        });
        failures.check(config["networks"]["hooks"].is_object(), || {
            what("network hooks is not declared")
        });
        if let Some(worker) = services.get("worker") {
            failures.equal(
                &what("worker.label_file"),
                strings(&worker["label_file"]),
                vec![at("config/worker.labels")],
            );
            failures.equal(
                &what("worker seccomp profiles"),
                seccomp_profiles(built, file, &worker["security_opt"]),
                vec![at("config/seccomp.json")],
            );
        }
    }
    assert!(built.files.len() >= 5, "{:?}", built.files.len());
    failures.assert_none();
}
