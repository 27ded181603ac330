//! The Swarm files (`swarm/ENV.yml`, `swarm/ENV.haproxy.cfg`) of every
//! workspace under `tests/fixtures/swarm/` and of every example with a
//! Swarm environment: reviewed snapshots under `snapshots/swarm/`
//! (`<workspace>__<file>.snap`; the examples' files are reviewed in their
//! committed `generated/`), and the real tools' verdicts: `docker stack
//! config -c` (the docker CLI's own reading, as `docker stack deploy` does
//! it), the Compose specification's JSON schema (`check-jsonschema
//! --builtin-schema vendor.compose-spec`), PyYAML (a YAML 1.1 reader) and
//! `haproxy -c`. The real swarm is tests/swarm/swarm.bats.
//!
//! A missing tool fails the test with what installs it; nothing is skipped.

#[allow(dead_code)]
#[path = "support/tools.rs"]
mod shared_tools;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use serde_json::Value;

use shared_tools::{find, manifest_dir, on_path};
use stackc::model::{Model, Orchestrator, TextPart, VarOperator};

const INSTALL: &str = "run `scripts/install-tools` (check-jsonschema and PyYAML from PyPI into \
                       .venv/, Debian's haproxy), with the docker CLI installed";

/// A workspace's Swarm files, written under the target folder's scratch
/// space beside a copy of the workspace (bind mounts resolve as after
/// `stackc build`).
struct Built {
    label: String,
    slug: String,
    files: Vec<(String, String)>,
    out: PathBuf,
    /// Values for the `${VAR:?message}` references `docker stack config`
    /// refuses to leave unset.
    vars: Vec<(String, String)>,
}

/// Every workspace, built once for all the tests (they run in parallel).
fn workspaces() -> &'static [Built] {
    static ALL: OnceLock<Vec<Built>> = OnceLock::new();
    ALL.get_or_init(build_all)
}

fn build_all() -> Vec<Built> {
    let root = manifest_dir();
    let mut labels = Vec::new();
    for parent in ["tests/fixtures/swarm", "examples"] {
        let mut found: Vec<String> = std::fs::read_dir(root.join(parent))
            .unwrap_or_else(|e| panic!("{parent}: {e}"))
            .map(|e| e.expect("readable entry").path())
            .filter(|p| p.join("Stackfile").is_file())
            .map(|p| {
                format!(
                    "{parent}/{}",
                    p.file_name().expect("a name").to_string_lossy()
                )
            })
            .collect();
        found.sort();
        labels.extend(found);
    }
    let built: Vec<Built> = labels
        .into_iter()
        .filter_map(|label| build(root, label))
        .collect();
    assert!(
        built
            .iter()
            .filter(|b| !b.label.starts_with("examples/"))
            .count()
            >= 2,
        "the fixtures alone are two workspaces"
    );
    built
}

/// The workspace `label` built, `None` for one without a Swarm environment.
fn build(root: &Path, label: String) -> Option<Built> {
    let compilation = stackc::compile::compile(&root.join(&label))
        .unwrap_or_else(|e| panic!("{label}: cannot load: {e}"));
    let model = compilation
        .model
        .unwrap_or_else(|| panic!("{label} does not compile"));
    if !model
        .environments
        .iter()
        .any(|e| e.orchestrator == Orchestrator::Swarm)
    {
        return None;
    }
    let files = stackc::emit::swarm::emit(&model);
    let slug = label
        .replace('/', "-")
        .replace("tests-fixtures-swarm", "fixture");
    let workspace = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("swarm-workspaces")
        .join(&slug);
    if workspace.exists() {
        std::fs::remove_dir_all(&workspace).expect("clean scratch workspace");
    }
    copy_tree(&root.join(&label), &workspace);
    let out = workspace.join("generated");
    for (path, text) in &files {
        let target = out.join(path);
        std::fs::create_dir_all(target.parent().expect("a parent")).expect("mkdir");
        std::fs::write(&target, text).expect("write");
    }
    let vars = required_variables(&model)
        .into_iter()
        .map(|name| {
            let value = format!("stackc-test-{name}");
            (name, value)
        })
        .collect();
    Some(Built {
        label,
        slug,
        files,
        out,
        vars,
    })
}

/// The workspace without its `generated/` (the examples' committed files).
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("readable folder") {
        let entry = entry.expect("readable entry");
        let name = entry.file_name();
        if name == "generated" {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_tree(&path, &to.join(&name));
        } else {
            std::fs::copy(&path, to.join(&name)).expect("copy");
        }
    }
}

/// The variables of `${VAR:?...}` and `${VAR?...}` references in the
/// model's environment values and images.
fn required_variables(model: &Model) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let texts = model.components.iter().flat_map(|c| {
        c.env
            .iter()
            .flat_map(|v| v.values.values())
            .chain([&c.image])
    });
    for text in texts {
        for part in &text.parts {
            if let TextPart::Variable {
                name,
                operator: Some(VarOperator::ErrorIfEmpty | VarOperator::ErrorIfUnset),
                ..
            } = part
            {
                if !names.contains(name) {
                    names.push(name.clone());
                }
            }
        }
    }
    names
}

fn run(program: &Path, args: &[&str], vars: &[(String, String)]) -> Output {
    let home = Path::new(env!("CARGO_TARGET_TMPDIR")).join("swarm-home");
    std::fs::create_dir_all(&home).expect("scratch HOME");
    Command::new(program)
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &home)
        .envs(vars.iter().map(|(n, v)| (n, v)))
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}; {INSTALL}", program.display()))
}

fn tool(name: &str) -> PathBuf {
    find(name)
        .or_else(|| on_path(name).into_iter().next())
        .or_else(|| {
            let sbin = PathBuf::from("/usr/sbin").join(name);
            sbin.is_file().then_some(sbin)
        })
        .unwrap_or_else(|| panic!("`{name}` not found; {INSTALL}"))
}

fn failed(what: &str, out: &Output) -> String {
    format!(
        "{what}:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn swarm_files_match_their_snapshots() {
    for built in workspaces()
        .iter()
        .filter(|b| !b.label.starts_with("examples/"))
    {
        for (path, text) in &built.files {
            let name = path.trim_start_matches("swarm/").replace('.', "-");
            insta::with_settings!({
                snapshot_path => "../snapshots/swarm",
                prepend_module_to_snapshot => false,
                omit_expression => true,
                description => format!("{} {path}", built.label),
            }, {
                insta::assert_snapshot!(format!("{}__{name}", built.slug), text);
            });
        }
    }
}

/// `docker stack config` reads every stack file as `docker stack deploy`
/// does (interpolating, validating against the format it declares), and
/// keeps what stackc wrote: the version, the services, start-first where
/// a canary asked for it.
#[test]
fn docker_stack_config_reads_every_stack_file() {
    let docker = tool("docker");
    let mut failures = Vec::new();
    let mut checked = 0;
    for built in workspaces() {
        for (path, _) in built.files.iter().filter(|(p, _)| p.ends_with(".yml")) {
            let file = built.out.join(path);
            let shown = file.display().to_string();
            let out = run(&docker, &["stack", "config", "-c", &shown], &built.vars);
            checked += 1;
            let text = String::from_utf8_lossy(&out.stdout);
            if !out.status.success() || !text.starts_with("version: \"3.8\"\n") {
                failures.push(failed(&format!("{} {path}", built.label), &out));
            }
        }
    }
    assert!(checked >= 2, "stack files checked: {checked}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_stack_file_passes_the_compose_schema() {
    let schema = tool("check-jsonschema");
    let mut failures = Vec::new();
    for built in workspaces() {
        for (path, _) in built.files.iter().filter(|(p, _)| p.ends_with(".yml")) {
            let file = built.out.join(path).display().to_string();
            let out = run(
                &schema,
                &["--builtin-schema", "vendor.compose-spec", &file],
                &[],
            );
            if !out.status.success() {
                failures.push(failed(&format!("{} {path}", built.label), &out));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A YAML 1.1 reader sees the same values: strings stay strings (the
/// version, CPU amounts, a value with quotes and a newline), numbers
/// numbers.
#[test]
fn pyyaml_reads_the_values_written() {
    for built in workspaces() {
        let paths: Vec<&str> = built
            .files
            .iter()
            .map(|(p, _)| p.as_str())
            .filter(|p| p.ends_with(".yml"))
            .collect();
        let read = shared_tools::pyyaml(&built.out, &paths, &built.label);
        for (path, value) in read {
            assert_eq!(value["version"], Value::from("3.8"), "{path}");
            let services = value["services"].as_object().expect("services");
            for (name, service) in services {
                let deploy = &service["deploy"];
                assert!(deploy["replicas"].is_u64(), "{path} {name}");
                for amounts in ["limits", "reservations"] {
                    let cpus = &deploy["resources"][amounts]["cpus"];
                    assert!(cpus.is_null() || cpus.is_string(), "{path} {name}: {cpus}");
                }
            }
            if built.label.ends_with("/shop") {
                assert_eq!(
                    services["web"]["environment"]["MOTD"],
                    Value::from("it's \"quoted\", $$5 & ${MOTD_SUFFIX:-a b}\nline two"),
                    "{path}"
                );
                assert_eq!(
                    services["web"]["deploy"]["resources"]["limits"]["cpus"],
                    Value::from("0.5")
                );
            }
        }
    }
}

#[test]
fn haproxy_accepts_every_edge_configuration() {
    let haproxy = tool("haproxy");
    let mut checked = 0;
    for built in workspaces() {
        for (path, _) in built.files.iter().filter(|(p, _)| p.ends_with(".cfg")) {
            let file = built.out.join(path).display().to_string();
            let out = run(&haproxy, &["-c", "-f", &file], &[]);
            checked += 1;
            assert!(
                out.status.success(),
                "{}",
                failed(&format!("{} {path}", built.label), &out)
            );
        }
    }
    assert!(checked >= 1, "edge configurations checked: {checked}");
}

/// The `secrets` fixture's secrets and configs, as `docker stack config`
/// reads them: each declared by its file, which resolves to the
/// workspace's own (not one beside the stack file), and mounted where the
/// spec says.
#[test]
fn docker_stack_config_resolves_secret_and_config_files_in_the_workspace() {
    let docker = tool("docker");
    let built = workspaces()
        .iter()
        .find(|b| b.label == "tests/fixtures/swarm/secrets")
        .expect("the secrets fixture is built");
    let file = built.out.join("swarm/prod.yml").display().to_string();
    let out = run(&docker, &["stack", "config", "-c", &file], &built.vars);
    assert!(
        out.status.success(),
        "{}",
        failed("docker stack config", &out)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let workspace = built.out.parent().expect("the workspace").display();
    for want in [
        format!("secrets:\n  db_password:\n    file: {workspace}/secrets/db_password.txt\n"),
        format!("configs:\n  nginx_conf:\n    file: {workspace}/config/nginx.conf\n"),
        "    secrets:\n      - source: db_password\n        target: pg_password\n".to_string(),
        "    configs:\n      - source: nginx_conf\n        target: /etc/nginx/nginx.conf\n"
            .to_string(),
    ] {
        assert!(text.contains(&want), "`{want}` not in:\n{text}");
    }
}

/// `docker stack config` reads issue 14's features as written: one
/// published port per protocol, and variable names with `.` and `-`.
#[test]
fn docker_stack_config_reads_udp_ports_and_dotted_names() {
    let built = workspaces()
        .iter()
        .find(|b| b.label == "tests/fixtures/swarm/protocols")
        .expect("the protocols fixture is a swarm workspace");
    let file = built.out.join("swarm/cluster.yml").display().to_string();
    let out = run(
        &tool("docker"),
        &["stack", "config", "-c", &file],
        &built.vars,
    );
    assert!(out.status.success(), "{}", failed(&built.label, &out));
    let text = String::from_utf8_lossy(&out.stdout);
    for entry in [
        "      - mode: ingress\n        target: 53\n        published: 53\n        protocol: tcp\n",
        "      - mode: ingress\n        target: 53\n        published: 53\n        protocol: udp\n",
        "      - mode: ingress\n        target: 514\n        published: 1514\n        protocol: udp\n",
        "      discovery.type: single-node\n",
        "      cluster.name: protocols-cluster\n",
        "      my-var: dashes\n",
    ] {
        assert!(text.contains(entry), "no {entry:?} in:\n{text}");
    }
}
