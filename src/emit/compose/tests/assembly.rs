//! Files assembled from shared rendered services must equal, byte for byte,
//! the whole-file serialization they replaced (`whole_file`, the oracle).

use std::path::Path;
use std::process::Command;

use super::*;
use crate::emit::compose::whole_file;
use crate::model::{Route, RuntimeApi};

/// Every Compose file of `model`, assembled and whole, for the default
/// layout and for an output folder elsewhere.
fn assert_assembly_matches(model: &Model, what: &str) {
    for root in ["..", "../app", "."] {
        let layout = Layout {
            workspace_from_output: root.to_string(),
            ..Layout::default()
        };
        let assembled = crate::emit::render_all(Compose.artifacts(
            model,
            &layout,
            &crate::emit::BuildCache::new(model),
        ));
        let whole = whole_file::emit(model, &layout);
        assert_eq!(assembled.len(), whole.len(), "{what}: file count");
        for ((path, text), (oracle_path, oracle)) in assembled.iter().zip(&whole) {
            assert_eq!(path, oracle_path, "{what}");
            assert!(
                text == oracle,
                "{what}: {path} differs (root {root}):\n{}",
                first_difference(text, oracle)
            );
        }
    }
}

/// The first differing line of `a` and `b`, for a readable failure.
fn first_difference(a: &str, b: &str) -> String {
    let position = a.lines().zip(b.lines()).position(|(x, y)| x != y);
    match position {
        Some(line) => format!(
            "line {}:\n  assembled: {:?}\n  oracle:    {:?}",
            line + 1,
            a.lines().nth(line),
            b.lines().nth(line)
        ),
        None => format!("lengths {} and {}", a.len(), b.len()),
    }
}

fn compile(dir: &Path) -> Model {
    let compilation = crate::compile::compile(dir);
    let model = compilation.ok().and_then(|c| c.model);
    model.unwrap_or_else(|| panic!("{} compiles", dir.display()))
}

#[test]
fn every_example_assembles_as_serialized_whole() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut seen = 0;
    for entry in std::fs::read_dir(&examples).expect("examples/ readable") {
        let dir = entry.expect("an entry").path();
        if dir.join("Stackfile").is_file() {
            assert_assembly_matches(&compile(&dir), &dir.display().to_string());
            seen += 1;
        }
    }
    assert!(seen >= 3, "examples found: {seen}");
}

#[test]
fn generated_workspaces_assemble_as_serialized_whole() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/gen-workspace");
    for (shape, count) in [("deep", 45), ("bounded", 50), ("chain", 25), ("stars", 25)] {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let status = Command::new("python3")
            .arg(&script)
            .args(["--shape", shape, &count.to_string()])
            .arg(dir.path())
            .status()
            .expect("python3 runs scripts/gen-workspace");
        assert!(status.success(), "gen-workspace {shape}");
        let model = compile(dir.path());
        assert_eq!(model.components.len(), count, "{shape}");
        assert_assembly_matches(&model, shape);
    }
}

#[test]
fn hand_built_models_assemble_as_serialized_whole() {
    assert_assembly_matches(&model(), "model");
    assert_assembly_matches(&storage_model(), "storage");
    assert_assembly_matches(&awkward_model(), "awkward");
    let mut empty = model();
    empty.components.clear();
    empty.sources.truncate(1);
    empty.graph = Graph::build(&BTreeMap::<String, Vec<String>>::new()).expect("acyclic");
    assert_assembly_matches(&empty, "no components");
    let whole = emit(&empty);
    assert!(file(&whole, "compose/environments/test.yml").ends_with("\nservices: {}\n"));
}

/// Pass-through blocks of every kind, long and multi-line strings, empty
/// maps and lists, `$` everywhere, pre_start hooks naming resources, a
/// route with a TCP runtime API, and names that collide.
fn awkward_model() -> Model {
    let mut model = storage_model();
    let long = "x".repeat(150);
    let words = "word ".repeat(40);
    let multi = "line one\nline two  \n  indented three\n\nafter a blank\ttab \"quoted\" \\ back";
    let api = model
        .components
        .iter_mut()
        .find(|c| c.name == "api")
        .expect("api");
    api.routes = vec![Route {
        name: "public".into(),
        host: "api.example".into(),
        path: "/".into(),
        port: port("http", 8080, Some(8080)),
    }];
    api.env.push(env("LONG", &long, &words));
    api.env.push(env("MULTI", multi, "yes"));
    api.env.push(env("EMPTY", "", "0755"));
    api.compose.extend([
        ("labels".into(), map(&[])),
        ("extra_hosts".into(), PassValue::List(Vec::new())),
        ("tmpfs".into(), list(&[&long, &words, multi])),
        ("stop_grace_period".into(), text("1:30")),
        ("shm_size".into(), PassValue::Integer(64)),
        ("init".into(), PassValue::Boolean(true)),
        (
            "pre_start".into(),
            PassValue::List(vec![map(&[
                ("image", text("busybox")),
                ("volumes", list(&["hookcache:/c"])),
                ("networks", list(&["hooks"])),
            ])]),
        ),
        (
            "deploy".into(),
            map(&[(
                "resources",
                map(&[(
                    "limits",
                    map(&[
                        ("cpus", text("0.5")),
                        ("memory", text(&format!("{multi}$5"))),
                    ]),
                )]),
            )]),
        ),
    ]);
    let web = model
        .components
        .iter_mut()
        .find(|c| c.name == "web")
        .expect("web");
    web.command = Some(crate::model::Command::Shell(format!(
        "run {multi} && echo $HOME {long}"
    )));
    web.compose = vec![(
        "networks".into(),
        map(&[("backend", map(&[("aliases", list(&["w", "yes"]))]))]),
    )];
    // A fixture loader named like a component: one service per name.
    if let Some(couchbase) = model.components.iter_mut().find(|c| c.name == "couchbase") {
        couchbase.fixtures = vec![Fixture {
            service: "redis".into(),
            target: "redis".into(),
            image: Text::literal("loader$x"),
            build: Some("./fixtures dir".into()),
            command: Some("load 'a b' \"c\" | tee out".into()),
        }];
    }
    if let Some(dev) = model.environments.iter_mut().find(|e| e.name == "dev") {
        dev.host_ip = Some(Text::literal("10.0.0.5"));
        dev.proxy.runtime_api = RuntimeApi::Tcp {
            address: "127.0.0.1".into(),
            port: 9999,
        };
    }
    model
}
