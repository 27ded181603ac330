//! Analyser tests over small in-memory workspaces written to a temp folder.

use super::env_values::MINIJINJA_ONLY;
use crate::compile::{compile, Compilation};
use crate::diagnostic::Diagnostic;
use crate::model::{HealthCheck, Model, TextPart};

fn workspace(files: &[(&str, &str)]) -> (tempfile::TempDir, Compilation) {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in files {
        let full = dir.path().join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(full, text).expect("write");
    }
    let compilation = compile(dir.path()).expect("loads");
    (dir, compilation)
}

/// The model of a workspace holding only `stackfile`; panics on an error
/// (shared with the block analysers' tests).
pub(super) fn model(stackfile: &str) -> Model {
    let (_dir, compilation) = workspace(&[("Stackfile", stackfile)]);
    match compilation.model {
        Some(model) => model,
        None => panic!("errors: {:#?}", compilation.diagnostics),
    }
}

/// The codes of every diagnostic of a workspace holding only `stackfile`,
/// in the order they are printed (shared with the block analysers' tests).
pub(super) fn codes(stackfile: &str) -> Vec<&'static str> {
    each_diagnostic(stackfile, |d| d.code.as_str())
}

/// The message of every diagnostic of a workspace holding only
/// `stackfile`, in the order they are printed.
pub(super) fn messages(stackfile: &str) -> Vec<String> {
    each_diagnostic(stackfile, |d| d.message.clone())
}

/// `read` of every diagnostic of a workspace holding only `stackfile`, in
/// the order they are printed.
fn each_diagnostic<T>(stackfile: &str, read: impl Fn(&Diagnostic) -> T) -> Vec<T> {
    let (_dir, compilation) = workspace(&[("Stackfile", stackfile)]);
    compilation
        .diagnostics
        .sorted()
        .iter()
        .map(|d| read(d))
        .collect()
}

const NEWS: &str = r#"
stack news { registry = "reg.example:5000" }
environment test { }
environment dev { host = "${DOCKER_HOST_IP:-10.0.0.1}" vars { LOG = "debug" } }
toggle fast { default = false  dev = true  components = [api] }
component api {
  ports = { http = 8080 }
  depends_on = [db]
  health { http = "/health" }
  env {
    URL = "postgres://{{ db.host }}:{{ db.ports.sql }}/{{ env.name }}"
    HOST = "{{ env.host }}"
    PRICE = "\$5 ${CURRENCY:-EUR}"
    COUNT = 3
  }
}
component db { image = "postgres:16" ports = { sql = { container = 5432  publish = false } } health { tcp = sql } }
"#;

#[test]
fn resolves_templates_per_environment() {
    let model = model(NEWS);
    let api = model.component("api").expect("api");
    let url = api.env.iter().find(|v| v.name == "URL").expect("URL");
    assert_eq!(
        url.value("test").map(|t| t.display()),
        Some("postgres://db:5432/test".into())
    );
    assert_eq!(
        url.value("dev").map(|t| t.display()),
        Some("postgres://db:5432/dev".into())
    );
    let host = api.env.iter().find(|v| v.name == "HOST").expect("HOST");
    let dev_host = host.value("dev").expect("dev");
    assert!(
        matches!(dev_host.parts.as_slice(), [TextPart::Variable { name, .. }] if name == "DOCKER_HOST_IP")
    );
    let price = api.env.iter().find(|v| v.name == "PRICE").expect("PRICE");
    assert_eq!(
        price.value("test").map(|t| t.to_compose()),
        Some("$$5 ${CURRENCY:-EUR}".into())
    );
    let count = api.env.iter().find(|v| v.name == "COUNT").expect("COUNT");
    assert_eq!(count.value("dev").map(|t| t.display()), Some("3".into()));
}

#[test]
fn a_template_written_twice_renders_for_each_component_and_environment() {
    // The same source in two components, reading `self` in one environment
    // only and `env` in the other branch: nothing rendered once may be
    // reused where the component or environment changes the text.
    let spec = r#"
stack s { }
environment dev { }
environment prod { }
component a { env { X = "{{ 'same' if env.name == 'dev' else self.name }}"  Y = "{{ b.host }}" } depends_on = [b] }
component b { env { X = "{{ 'same' if env.name == 'dev' else self.name }}"  Y = "{{ stack.name }}" } }
component c { env { X = "{{ 'same' if env.name == 'dev' else self.name }}"  Y = "{{ stack.name }}" } }
"#;
    let model = model(spec);
    let value = |component: &str, variable: &str, env: &str| {
        model
            .component(component)
            .and_then(|c| c.env.iter().find(|v| v.name == variable))
            .and_then(|v| v.value(env))
            .map(|t| t.display())
    };
    for (component, prod) in [("a", "a"), ("b", "b"), ("c", "c")] {
        assert_eq!(value(component, "X", "dev").as_deref(), Some("same"));
        assert_eq!(value(component, "X", "prod").as_deref(), Some(prod));
    }
    for env in ["dev", "prod"] {
        assert_eq!(value("a", "Y", env).as_deref(), Some("b"));
        assert_eq!(value("b", "Y", env).as_deref(), Some("s"));
        assert_eq!(value("c", "Y", env).as_deref(), Some("s"));
    }
}

#[test]
fn toggles_reach_their_components() {
    let model = model(NEWS);
    let api = model.component("api").expect("api");
    let fast = api
        .env
        .iter()
        .find(|v| v.name == "FEATURE_FAST")
        .expect("toggle");
    assert_eq!(fast.value("dev").map(|t| t.display()), Some("true".into()));
    assert_eq!(
        fast.value("test").map(|t| t.display()),
        Some("false".into())
    );
    let db = model.component("db").expect("db");
    assert!(db.env.iter().all(|v| v.name != "FEATURE_FAST"));
}

#[test]
fn registry_images_ports_health_and_order() {
    let model = model(NEWS);
    assert_eq!(model.graph.order, ["db", "api"]);
    let api = model.component("api").expect("api");
    assert_eq!(api.image.display(), "reg.example:5000/news/api");
    assert_eq!(
        model.component("db").map(|d| d.image.display()),
        Some("reg.example:5000/postgres:16".to_string())
    );
    let db = model.component("db").expect("db");
    assert_eq!(db.ports[0].published, None);
    assert!(
        matches!(&api.health.as_ref().expect("health").check, HealthCheck::Http { path, port } if path == "/health" && port.container == 8080)
    );
    assert_eq!(model.environments.len(), 2);
}

#[test]
fn implicit_test_environment() {
    let model = model("stack s { }\ncomponent a { }\n");
    assert_eq!(model.environments.len(), 1);
    assert_eq!(model.environments[0].name, "test");
    assert!(!model.environments[0].declared);
}

#[test]
fn every_error_is_reported() {
    let found = codes(
        "stack s { }\ncomponent a { depends_on = [b, zz] }\ncomponent b { depends_on = [a] }\ncomponent a { }\n",
    );
    assert_eq!(found, ["E0103", "E0102", "E0101"]);
}

#[test]
fn escaped_dollar_stays_literal_without_warning() {
    let (_dir, compilation) = workspace(&[(
        "Stackfile",
        "stack s { }\ncomponent a { env { A = \"\\${NOT}\" B = \"$HOME\" } }\n",
    )]);
    let warnings: Vec<_> = compilation
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(warnings, ["W0001"]);
    let model = compilation.model.expect("warnings only");
    let a = &model.components[0].env[0];
    assert_eq!(
        a.value("test").map(|t| t.to_compose()),
        Some("$${NOT}".into())
    );
}

#[test]
fn templates_outside_env_are_rejected() {
    assert_eq!(
        codes("stack s { }\ncomponent a { image = \"x/{{ env.name }}\" }\n"),
        ["E0112"]
    );
}

#[test]
fn component_outside_closure_warns() {
    let (_dir, compilation) = workspace(&[(
        "Stackfile",
        "stack s { }\ncomponent a { env { B = \"{{ b.host }}\" } }\ncomponent b { }\n",
    )]);
    let found: Vec<_> = compilation
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(found, ["W0002"]);
}

#[test]
fn includes_sorted_each_once() {
    let (_dir, compilation) = workspace(&[
        (
            "Stackfile",
            "stack s { }\ninclude \"parts/*.stack\"\ninclude \"parts/a.stack\"\n",
        ),
        (
            "parts/b.stack",
            "component b { }\ninclude \"../Stackfile\"\n",
        ),
        ("parts/a.stack", "component a { }\n"),
    ]);
    let model = compilation.model.expect("valid");
    assert_eq!(
        model.sources,
        ["Stackfile", "parts/a.stack", "parts/b.stack"]
    );
}

#[test]
fn include_escaping_root_is_refused() {
    assert_eq!(codes("stack s { }\ninclude \"../*.stack\"\n"), ["E0003"]);
}

#[test]
fn literal_dollars_survive_vars_and_hosts_in_templates() {
    let model = model(
        "stack s { registry = \"reg:5000\" }\nenvironment test { host = \"${H:-a}\" vars { V = \"\\${X}\" } }\ncomponent a { env { V = \"{{ env.vars.V }}\" H = \"{{ env.host }}\" I = \"{{ self.image }}\" } }\n",
    );
    let env = &model.components[0].env;
    let value = |name: &str| {
        env.iter()
            .find(|v| v.name == name)
            .and_then(|v| v.value("test"))
            .map(|t| t.to_compose())
    };
    assert_eq!(value("V"), Some("$${X}".into()));
    assert_eq!(value("H"), Some("${H:-a}".into()));
    assert_eq!(value("I"), Some("reg:5000/s/a".into()));
}

#[test]
fn default_filter_covers_a_variable_missing_in_some_environments() {
    let model = model(
        "stack s { }\nenvironment test { }\nenvironment dev { vars { P = \"9229\" } }\ncomponent a { env { P = \"{{ env.vars.P | default('0') }}\" } }\n",
    );
    let p = &model.components[0].env[0];
    assert_eq!(p.value("test").map(|t| t.display()), Some("0".into()));
    assert_eq!(p.value("dev").map(|t| t.display()), Some("9229".into()));
}

#[test]
fn reserved_private_use_character_is_refused() {
    assert_eq!(
        codes("stack s { }\ncomponent a { env { A = \"x\\u{E000}\" } }\n"),
        ["E0113"]
    );
}

#[test]
fn nul_in_a_string_is_refused() {
    assert_eq!(
        codes("stack s { }\ncomponent a { env { A = \"x\\u{0}\" } }\n"),
        ["E0001"]
    );
}

#[test]
fn environment_cannot_take_a_test_stack_project_name() {
    assert_eq!(
        codes("stack s { }\nenvironment test-a { }\ncomponent a { }\n"),
        ["E0101"]
    );
}

#[test]
fn images_take_run_time_tags_and_keep_the_registry_rule() {
    let model = model(
        "stack s { registry = \"reg:5000\" }\ncomponent a { image = \"team/a:${VERSION:-latest}\" }\ncomponent b { image = \"${REGISTRY}/b:1\" }\n",
    );
    let image = |name: &str| model.component(name).map(|c| c.image.to_compose());
    assert_eq!(
        image("a"),
        Some("reg:5000/team/a:${VERSION:-latest}".into())
    );
    // A leading reference may carry a registry of its own: no prefix.
    assert_eq!(image("b"), Some("${REGISTRY}/b:1".into()));
    assert_eq!(
        codes("stack s { }\ncomponent a { image = \"team/a:${VERSION\" }\n"),
        ["E0113"]
    );
    assert_eq!(
        codes("stack s { }\ncomponent a { image = \"team/a:$VERSION\" }\n"),
        ["E0106", "W0001"]
    );
}

#[test]
fn env_numbers_are_kept_as_written() {
    let model = model("stack s { }\ncomponent a { env { PIN = 0123  NEG = -007  N = 5 } }\n");
    let value = |name: &str| {
        model.components[0]
            .env
            .iter()
            .find(|v| v.name == name)
            .and_then(|v| v.value("test"))
            .map(|t| t.display())
    };
    assert_eq!(value("PIN").as_deref(), Some("0123"));
    assert_eq!(value("NEG").as_deref(), Some("-007"));
    assert_eq!(value("N").as_deref(), Some("5"));
}

#[test]
fn host_defaults_to_a_bound_ipv4_address() {
    let model = model(
        "stack s { }\nenvironment a { host_ip = \"10.1.2.3\" }\nenvironment b { host_ip = \"0.0.0.0\" }\nenvironment c { host_ip = \"::1\"  host = \"[::1]\" }\nenvironment d { host_ip = \"10.1.2.3\"  host = \"a.example\" }\nenvironment e { host_ip = \"${BIND_IP:-127.0.0.1}\" }\ncomponent x { image = \"x:1\" }\n",
    );
    let host = |name: &str| model.environment(name).map(|e| e.host.display());
    assert_eq!(host("a").as_deref(), Some("10.1.2.3"));
    assert_eq!(host("b").as_deref(), Some("127.0.0.1"));
    assert_eq!(host("c").as_deref(), Some("[::1]"));
    assert_eq!(host("d").as_deref(), Some("a.example"));
    // A run-time address: `host` follows the same variable.
    assert_eq!(host("e").as_deref(), Some("${BIND_IP:-127.0.0.1}"));
    assert_eq!(host("test").as_deref(), Some("127.0.0.1"));
    assert_eq!(
        model
            .environment("c")
            .and_then(|e| e.host_ip.as_ref())
            .map(|t| t.display())
            .as_deref(),
        Some("::1")
    );
}

#[test]
fn an_ipv6_host_ip_needs_a_host() {
    for host_ip in ["::1", "::", "fd00::5", "${BIND_IP:-::1}"] {
        assert_eq!(
            codes(&format!(
                "stack s {{ }}\nenvironment lab {{ host_ip = \"{host_ip}\" }}\n"
            )),
            ["E0111"],
            "{host_ip}"
        );
    }
}

#[test]
fn an_environment_string_of_128_kib_is_refused() {
    let long = "x".repeat(128 * 1024);
    assert_eq!(
        codes(&format!(
            "stack s {{ }}\ncomponent a {{ env {{ BIG = \"{long}\" }} }}\n"
        )),
        ["E0108"]
    );
    let fits = "x".repeat(128 * 1024 - 1 - "OK=".len());
    assert!(codes(&format!(
        "stack s {{ }}\ncomponent a {{ env {{ OK = \"{fits}\" }} }}\n"
    ))
    .is_empty());
}

#[test]
fn a_63_byte_component_name_is_the_longest() {
    let name = "a".repeat(63);
    assert!(codes(&format!(
        "stack s {{ }}\ncomponent {name} {{ image = \"x:1\" }}\n"
    ))
    .is_empty());
    assert_eq!(
        codes(&format!(
            "stack s {{ }}\ncomponent {name}b {{ image = \"x:1\" }}\n"
        )),
        ["E0106"]
    );
}

/// Plain-path templates are written without minijinja (`Native` in
/// `env_values.rs`); the Model must be what minijinja's rendering gives,
/// for every path form, with a registry and without.
#[test]
fn native_rendering_agrees_with_minijinja() {
    let components = r#"
environment test { vars { LOG = "warn"  ODD = "" } }
environment dev { host = "${DOCKER_HOST_IP:-10.0.0.1}"  vars { LOG = "debug"  ODD = "a \${X} ${Y:-z} b" } }
component db {
  image = "postgres:16"
  ports = { sql = 5432  admin = { container = 8080  publish = false } }
}
component api {
  depends_on = [db]
  ports = { http = 3000 }
  env {
    SELF = "{{ self.name }}/{{ self.host }}/{{ self.image }}:{{ self.ports.http }}"
    ENV = "{{ env.name }} {{ env.host }} {{ env.vars.LOG }} [{{ env.vars.ODD }}]"
    STACK = "{{ stack.name }}REGISTRY"
    DB = "{{ db.host }}:{{ db.ports.sql }} {{ components.db.image }} {{ db.published.sql }} {{ db.ports.admin }}"
    MIXED = "x={{ db.ports.sql }}${HOME:-/root}\${LIT}{{ env.vars.LOG }}"
    FALLBACK = "{{ env.vars.LOG | upper }}"
  }
}
"#;
    for (stack, registry) in [
        (
            "stack shop { registry = \"reg.example:5000\" }",
            " {{ stack.registry }}",
        ),
        ("stack shop { }", ""),
    ] {
        let spec = format!("{stack}\n{}", components.replace("REGISTRY", registry));
        let native = serde_json::to_string(&model(&spec)).expect("serializes");
        MINIJINJA_ONLY.with(|only| only.set(true));
        let jinja = serde_json::to_string(&model(&spec));
        MINIJINJA_ONLY.with(|only| only.set(false));
        assert_eq!(native, jinja.expect("serializes"), "{stack}");
        assert!(native.contains("api/api/"), "{native}");
    }
    // Paths that do not resolve: minijinja's diagnostics, whichever way.
    let broken = format!(
        "stack shop {{ }}\n{}",
        components.replace("REGISTRY", "").replace(
            "{{ env.vars.LOG | upper }}",
            "{{ db.published.admin }}{{ env.vars.NONE }}{{ nobody.host }}"
        )
    );
    let diagnostics = || {
        let (_dir, compilation) = workspace(&[("Stackfile", &broken)]);
        format!("{:?}", compilation.diagnostics.sorted())
    };
    let native = diagnostics();
    MINIJINJA_ONLY.with(|only| only.set(true));
    let jinja = diagnostics();
    MINIJINJA_ONLY.with(|only| only.set(false));
    assert_eq!(native, jinja);
    assert!(native.contains("is not published"), "{native}");
}

#[test]
fn check_counts_what_the_model_holds_and_reports_the_same() {
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut seen = 0;
    for entry in std::fs::read_dir(&examples).expect("examples") {
        let path = entry.expect("entry").path();
        let compilation = compile(&path).expect("loads");
        let checked = crate::compile::check(&path).expect("loads");
        let model = compilation.model.expect("the examples have no error");
        let summary = checked.summary.expect("the examples have no error");
        assert_eq!(summary.components, model.components.len(), "{path:?}");
        assert_eq!(summary.environments, model.environments.len(), "{path:?}");
        assert_eq!(summary.files, model.sources.len(), "{path:?}");
        assert_eq!(
            format!("{:?}", checked.diagnostics.sorted()),
            format!("{:?}", compilation.diagnostics.sorted())
        );
        seen += 1;
    }
    assert!(seen >= 3, "{seen} examples");
    // With an error: no summary, and the same diagnostics as the Model's.
    let broken = NEWS.replace("depends_on = [db]", "depends_on = [db, nobody]");
    let (dir, compilation) = workspace(&[("Stackfile", &broken)]);
    let checked = crate::compile::check(dir.path()).expect("loads");
    assert!(compilation.model.is_none() && checked.summary.is_none());
    assert_eq!(
        format!("{:?}", checked.diagnostics.sorted()),
        format!("{:?}", compilation.diagnostics.sorted())
    );
    assert!(checked.diagnostics.has_errors());
}
