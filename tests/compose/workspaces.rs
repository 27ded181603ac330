//! Every workspace the tests run over: `examples/*/` and
//! `tests/fixtures/compose/*/`, found at test time, compiled, emitted and
//! written under the target folder's scratch space.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use stackc::diagnostic::{render_human, ColorChoice};
use stackc::emit::compose::slot_service_name;
use stackc::model::Slot;
use stackc::model::PROXY_SERVICE;
use stackc::model::{Component, Model, PassValue, Text, TextPart, VarOperator};

pub struct Built {
    /// `examples/newsroom`, `tests/fixtures/compose/hostile`, ...
    pub label: String,
    /// The label as a file-name slug: `examples-newsroom`.
    pub slug: String,
    pub model: Model,
    /// What the emitter returned: path relative to the output folder → text.
    pub files: Vec<(String, String)>,
    /// A copy of the workspace (without its `generated/`), so relative
    /// paths in the files resolve against a workspace root as they do
    /// after `stackc build`.
    pub workspace: PathBuf,
    /// The output folder the files were written to: `generated/` in `workspace`.
    pub out: PathBuf,
    /// Values for the `${VAR:?message}` references, which Compose refuses
    /// to leave unset.
    pub vars: Vec<(String, String)>,
}

impl Built {
    pub fn path(&self, file: &str) -> PathBuf {
        self.out.join(file)
    }

    pub fn text(&self, file: &str) -> &str {
        self.files
            .iter()
            .find(|(p, _)| p == file)
            .map(|(_, t)| t.as_str())
            .unwrap_or_else(|| panic!("{}: {file} was not emitted", self.label))
    }

    pub fn component(&self, name: &str) -> &Component {
        self.model
            .component(name)
            .unwrap_or_else(|| panic!("{}: no component {name}", self.label))
    }
}

/// The workspace built from `label` (`tests/fixtures/compose/builds`).
pub fn named(label: &str) -> &'static Built {
    all()
        .iter()
        .find(|b| b.label == label)
        .unwrap_or_else(|| panic!("{label} is not a workspace"))
}

pub fn all() -> &'static [Built] {
    static ALL: OnceLock<Vec<Built>> = OnceLock::new();
    ALL.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut found = Vec::new();
        for parent in ["examples", "tests/fixtures/compose"] {
            let Ok(entries) = std::fs::read_dir(root.join(parent)) else {
                continue;
            };
            for entry in entries {
                let dir = entry.expect("readable folder").path();
                if dir.join("Stackfile").is_file() {
                    let name = dir
                        .file_name()
                        .expect("a name")
                        .to_string_lossy()
                        .to_string();
                    found.push(format!("{parent}/{name}"));
                }
            }
        }
        found.sort();
        // The fixtures alone are two workspaces: never a vacuous pass.
        assert!(found.len() >= 2, "workspaces found: {found:?}");
        found.into_iter().map(|label| build(root, label)).collect()
    })
}

fn build(root: &Path, label: String) -> Built {
    let compilation = stackc::compile::compile(&root.join(&label))
        .unwrap_or_else(|e| panic!("{label}: cannot load: {e}"));
    let Some(model) = compilation.model else {
        let rendered: Vec<String> = compilation
            .diagnostics
            .iter()
            .map(|d| render_human(d, &compilation.workspace.sources, ColorChoice::Never))
            .collect();
        panic!("{label} does not compile:\n{}", rendered.join("\n"));
    };
    let files = stackc::emit::compose::emit(&model);
    let slug = label
        .replace('/', "-")
        .replace("tests-fixtures-compose", "fixture");
    let workspace = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("compose-workspaces")
        .join(&slug);
    if workspace.exists() {
        std::fs::remove_dir_all(&workspace).expect("clean scratch workspace");
    }
    copy_workspace(&root.join(&label), &workspace);
    let workspace = workspace.canonicalize().expect("scratch workspace");
    let out = workspace.join("generated");
    // The HAProxy configurations the environments' files mount (not Compose
    // files: written, not listed in `files`).
    let configs = stackc::emit::haproxy::emit(&model);
    for (path, text) in files.iter().chain(&configs) {
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
    Built {
        label,
        slug,
        model,
        files,
        workspace,
        out,
        vars,
    }
}

/// Copies a workspace's files, leaving out its committed `generated/`.
fn copy_workspace(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            if entry.file_name() != "generated" {
                copy_workspace(&entry.path(), &target);
            }
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// The variables a component's pass-through `env_file`s set, read from the
/// workspace (the spec's paths are relative to the workspace root).
/// Optional files that do not exist set nothing.
pub fn env_file_values(built: &Built, component: &Component) -> Vec<(String, String)> {
    let Some((_, value)) = component.compose.iter().find(|(k, _)| k == "env_file") else {
        return Vec::new();
    };
    let items = match value {
        PassValue::List(items) => items.iter().collect(),
        other => vec![other],
    };
    let mut values = Vec::new();
    for item in items {
        let (path, required) = match item {
            PassValue::String(path) => (path.display(), true),
            PassValue::Map(entries) => {
                let get = |key: &str| entries.iter().find(|(k, _)| k == key).map(|(_, v)| v);
                let Some(PassValue::String(path)) = get("path") else {
                    panic!("{}: env_file entry without a path", built.label)
                };
                (
                    path.display(),
                    get("required") != Some(&PassValue::Boolean(false)),
                )
            }
            other => panic!("{}: unexpected env_file entry {other:?}", built.label),
        };
        let file = built.workspace.join(&path);
        let text = match std::fs::read_to_string(&file) {
            Ok(text) => text,
            Err(_) if !required => continue,
            Err(e) => panic!("{}: env_file {path}: {e}", built.label),
        };
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (name, value) = line.split_once('=').expect("NAME=value");
            values.push((name.to_string(), value.to_string()));
        }
    }
    values
}

/// Names used as `${NAME:?...}` / `${NAME?...}` anywhere in the model.
fn required_variables(model: &Model) -> BTreeSet<String> {
    let mut texts: Vec<&Text> = Vec::new();
    for component in &model.components {
        texts.extend(component.env.iter().flat_map(|v| v.values.values()));
        let mut stack: Vec<&PassValue> = component.compose.iter().map(|(_, v)| v).collect();
        while let Some(value) = stack.pop() {
            match value {
                PassValue::String(text) => texts.push(text),
                PassValue::List(items) => stack.extend(items),
                PassValue::Map(entries) => stack.extend(entries.iter().map(|(_, v)| v)),
                PassValue::Integer(_) | PassValue::Boolean(_) => {}
            }
        }
    }
    let mut names = BTreeSet::new();
    for text in texts {
        for part in &text.parts {
            if let TextPart::Variable {
                name,
                operator: Some(VarOperator::ErrorIfEmpty | VarOperator::ErrorIfUnset),
                ..
            } = part
            {
                names.insert(name.clone());
            }
        }
    }
    names
}

/// The value `docker compose config` prints for `text`: references
/// interpolated from `vars`, every literal `$` written `$$` again.
pub fn compose_prints(text: &Text, vars: &[(String, String)]) -> String {
    interpolated(text, vars).replace('$', "$$")
}

/// `text` with its references interpolated from `vars` as Compose does,
/// defaults that hold references (`${A:-${B:-x}}`) included.
fn interpolated(text: &Text, vars: &[(String, String)]) -> String {
    let mut out = String::new();
    for part in &text.parts {
        match part {
            TextPart::Literal(s) => out.push_str(s),
            TextPart::Variable { name, operator, .. } => {
                let value = vars
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.as_str());
                let default = || interpolated(&part.word_text(), vars);
                let resolved = match (value, operator) {
                    (Some(""), Some(VarOperator::DefaultIfEmpty)) => default(),
                    (Some(v), _) => v.to_string(),
                    (None, Some(VarOperator::DefaultIfEmpty | VarOperator::DefaultIfUnset)) => {
                        default()
                    }
                    (None, None) => String::new(),
                    (None, Some(_)) => panic!("required ${{{name}}} was not given a value"),
                };
                out.push_str(&resolved);
            }
        }
    }
    out
}

/// What a file is, from its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind<'a> {
    Fragment(&'a str),
    TestStack(&'a str),
    Environment(&'a str),
}

impl<'a> Kind<'a> {
    pub fn of(path: &'a str) -> Kind<'a> {
        let stem = |prefix: &str| {
            path.strip_prefix(prefix)
                .and_then(|rest| rest.strip_suffix(".yml"))
        };
        if let Some(name) = stem("compose/components/") {
            Kind::Fragment(name)
        } else if let Some(name) = stem("compose/test/") {
            Kind::TestStack(name)
        } else if let Some(name) = stem("compose/environments/") {
            Kind::Environment(name)
        } else {
            panic!("unexpected compose file {path}")
        }
    }

    /// The environment whose values the file holds.
    pub fn environment(self) -> &'a str {
        match self {
            Kind::Fragment(_) | Kind::TestStack(_) => stackc::model::TEST_ENVIRONMENT,
            Kind::Environment(name) => name,
        }
    }
}

/// The services a file must hold, worked out from the model alone; the
/// green slots (profile `slots`) only when `slots` (a YAML reader sees
/// them; Compose leaves out the services of a profile not enabled).
pub fn expected_services(model: &Model, kind: Kind<'_>, slots: bool) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    match kind {
        Kind::Fragment(name) => {
            let c = model.component(name).expect("component");
            names.insert(c.name.clone());
            names.extend(c.depends_on.iter().cloned());
            for f in &c.fixtures {
                names.insert(f.target.clone());
                names.insert(f.service.clone());
            }
        }
        Kind::TestStack(name) => {
            let c = model.component(name).expect("component");
            names.insert(c.name.clone());
            names.extend(model.graph.closure(name).map(str::to_owned));
            names.extend(c.fixtures.iter().map(|f| f.service.clone()));
        }
        Kind::Environment(_) => {
            names.extend(model.components.iter().map(|c| c.name.clone()));
            let routed: Vec<&Component> = routed(model).collect();
            if !routed.is_empty() {
                names.insert(PROXY_SERVICE.to_string());
            }
            if slots {
                names.extend(
                    routed
                        .iter()
                        .map(|c| slot_service_name(&c.name, Slot::Green)),
                );
            }
        }
    }
    names
}

/// The components served through HAProxy, in the Model's order.
pub fn routed(model: &Model) -> impl Iterator<Item = &Component> {
    model.components.iter().filter(|c| !c.routes.is_empty())
}
