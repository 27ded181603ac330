//! The import as a whole: unit tests of whole files, and the property that
//! no input makes it panic.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::{import, Memory, Outcome, Request};
use crate::source::SourceMap;

fn run(files: &[(&str, &str)]) -> Outcome {
    let memory = Memory(
        files
            .iter()
            .map(|(p, t)| (format!("/w/{p}"), t.to_string()))
            .collect::<BTreeMap<_, _>>(),
    );
    let inputs: Vec<String> = files
        .iter()
        .take(1)
        .map(|(p, _)| format!("/w/{p}"))
        .collect();
    let shown = |p: &str| p.trim_start_matches("/w/").to_string();
    let request = Request {
        files: &inputs,
        root: "/w",
        shown: &shown,
    };
    import(&request, &memory, &mut SourceMap::new())
}

fn component(outcome: &Outcome, name: &str) -> String {
    outcome
        .workspace
        .as_ref()
        .and_then(|w| {
            w.files
                .iter()
                .find(|(p, _)| *p == format!("components/{name}.stack"))
        })
        .map(|(_, t)| t.clone())
        .unwrap_or_default()
}

fn codes(outcome: &Outcome) -> Vec<&'static str> {
    outcome
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect()
}

#[test]
fn fig_files_are_services_at_the_top_level() {
    let out = run(&[(
        "fig.yml",
        "web:\n  image: nginx\n  links: [db]\ndb:\n  image: postgres\n",
    )]);
    assert!(component(&out, "web").contains("depends_on = [db]"));
    assert!(component(&out, "db").contains("image = \"postgres\""));
    assert!(codes(&out).is_empty(), "{:?}", out.diagnostics);
}

#[test]
fn anchors_and_merge_keys_are_resolved_and_extensions_dropped() {
    let out = run(&[(
        "compose.yaml",
        "x-common: &common\n  restart: always\nservices:\n  web:\n    <<: *common\n    image: nginx\n",
    )]);
    let web = component(&out, "web");
    assert!(web.contains("restart = \"always\""), "{web}");
    assert!(codes(&out).is_empty(), "{:?}", out.diagnostics);
}

#[test]
fn extends_in_the_same_file() {
    let out = run(&[(
        "compose.yaml",
        "services:\n  base:\n    image: b\n    environment: {A: '1'}\n  web:\n    extends: base\n    environment: {B: '2'}\n",
    )]);
    let web = component(&out, "web");
    assert!(web.contains("image = \"b\""), "{web}");
    assert!(
        web.contains("A = \"1\"") && web.contains("B = \"2\""),
        "{web}"
    );
}

#[test]
fn a_missing_dependency_is_reported_not_written() {
    let out = run(&[(
        "compose.yaml",
        "services:\n  web:\n    image: n\n    depends_on: [db]\n",
    )]);
    assert_eq!(codes(&out), ["W0007"]);
    assert!(!component(&out, "web").contains("depends_on"));
}

#[test]
fn the_stack_is_named_after_the_folder_or_name() {
    let out = run(&[("compose.yaml", "name: My_Shop.1\nservices: {}\n")]);
    assert_eq!(out.workspace.map(|w| w.stack).as_deref(), Some("my_shop1"));
    let out = run(&[("compose.yaml", "services: {}\n")]);
    assert_eq!(out.workspace.map(|w| w.stack).as_deref(), Some("w"));
    let out = run(&[(
        "compose.yaml",
        "name: 01-shop\nservices:\n  1app: {image: x}\n",
    )]);
    assert_eq!(out.workspace.map(|w| w.stack).as_deref(), Some("shop"));
}

#[test]
fn the_stack_name_is_interpolated_and_else_the_folder_written_to() {
    // As Compose with PROJECT unset: the default.
    let out = run(&[("compose.yaml", "name: ${PROJECT:-Edge_Two}\nservices: {}\n")]);
    assert!(codes(&out).is_empty(), "{:?}", out.diagnostics);
    assert_eq!(out.workspace.map(|w| w.stack).as_deref(), Some("edge_two"));
    // No default: reported, and the folder names it.
    let out = run(&[("compose.yaml", "name: ${PROJECT}\nservices: {}\n")]);
    assert_eq!(codes(&out), ["W0006"]);
    assert_eq!(out.workspace.map(|w| w.stack).as_deref(), Some("w"));
    // Without `name:`, the folder the workspace is written to (`--into`),
    // not the first file's.
    let out = run_all(&[("repo-a/compose.yaml", "services: {}\n")]);
    assert_eq!(out.workspace.map(|w| w.stack).as_deref(), Some("w"));
}

#[test]
fn not_compose_is_an_error() {
    assert_eq!(codes(&run(&[("c.yaml", "- a\n- b\n")])), ["E0141"]);
    assert_eq!(codes(&run(&[("c.yaml", "web: 1\n")])), ["E0141"]);
    assert_eq!(codes(&run(&[("c.yaml", "a: [\n")])), ["E0140"]);
}

fn run_all(files: &[(&str, &str)]) -> Outcome {
    let memory = Memory(
        files
            .iter()
            .map(|(p, t)| (format!("/w/{p}"), t.to_string()))
            .collect::<BTreeMap<_, _>>(),
    );
    let inputs = vec![format!(
        "/w/{}",
        files.first().map(|f| f.0).unwrap_or_default()
    )];
    let shown = |p: &str| p.trim_start_matches("/w/").to_string();
    let request = Request {
        files: &inputs,
        root: "/w",
        shown: &shown,
    };
    import(&request, &memory, &mut SourceMap::new())
}

fn stackfile(outcome: &Outcome) -> String {
    outcome
        .workspace
        .as_ref()
        .and_then(|w| w.files.iter().find(|(p, _)| p == "Stackfile"))
        .map(|(_, t)| t.clone())
        .unwrap_or_default()
}

#[test]
fn secrets_configs_and_networks_become_blocks() {
    let out = run_all(&[
        (
            "app/compose.yaml",
            "services:\n  web:\n    image: n\n    secrets: [pw, {source: pw, target: /run/x}]\n    configs: [conf]\n\
             secrets:\n  pw:\n    file: ./pw.txt\n\
             configs:\n  conf:\n    content: 'a $$b ${C}'\n\
             networks:\n  back:\n    internal: true\n    ipam:\n      config:\n        - subnet: 10.0.0.0/24\n",
        ),
    ]);
    let text = stackfile(&out);
    assert!(
        text.contains("secret pw {\n  file = \"app/pw.txt\"\n}"),
        "{text}"
    );
    assert!(text.contains("content = \"a \\$b ${C}\""), "{text}");
    assert!(
        text.contains("internal = true") && text.contains("subnet   = \"10.0.0.0/24\""),
        "{text}"
    );
    let web = component(&out, "web");
    assert!(
        web.contains("secrets = [pw, { source = \"pw\"  target = \"/run/x\" }]"),
        "{web}"
    );
    assert!(web.contains("configs = [conf]"), "{web}");
    assert!(codes(&out).is_empty(), "{:?}", out.diagnostics);
}

#[test]
fn includes_and_extends_across_files() {
    let out = run_all(&[
        (
            "compose.yaml",
            "include:\n  - path: db/compose.yaml\n    project_directory: x\n\
             services:\n  web:\n    extends: {file: base.yaml, service: base}\n    depends_on: [db]\n",
        ),
        ("db/compose.yaml", "services:\n  db:\n    image: pg\n    volumes: [./data:/d, ../../x:/x]\n"),
        ("base.yaml", "services:\n  base:\n    image: b\n    container_name: nope\n"),
    ]);
    let web = component(&out, "web");
    assert!(
        web.contains("image      = \"b\"") && web.contains("depends_on = [db]"),
        "{web}"
    );
    let db = component(&out, "db");
    assert!(db.contains("volumes = [\"./db/data:/d\"]"), "{db}");
    // `project_directory`, the base's `container_name`, the path above the root.
    assert_eq!(codes(&out), ["W0005", "W0008", "W0005"]);
}

#[test]
fn a_build_not_carried_without_an_image_is_an_error() {
    // A context outside DIR, a context with no Dockerfile: E0145 beside the
    // report of why the build is left out, and nothing written.
    let out = run_all(&[(
        "compose.yaml",
        "services:\n  web:\n    build: ../shared\n  api:\n    build: ./nodock\n",
    )]);
    assert_eq!(codes(&out), ["W0008", "E0145", "W0005", "E0145"]);
    assert!(out.workspace.is_none());
    // With an `image`, or a build that is carried, there is no error.
    let out = run_all(&[
        (
            "compose.yaml",
            "services:\n  web:\n    image: web:1\n    build: ../shared\n  api:\n    build: ./api\n",
        ),
        ("api/Dockerfile", "FROM scratch\n"),
    ]);
    assert_eq!(codes(&out), ["W0008", "W0006"]);
    assert!(component(&out, "api").contains("build = \"api\""));
    // Through `extends`: the base's build is not carried, and neither gives
    // an image (the base's build is reported where it is written, once,
    // when the first service that reads it is converted).
    let out = run_all(&[(
        "compose.yaml",
        "services:\n  base:\n    image: b\n  web:\n    extends: other\n  other:\n    build: ../x\n",
    )]);
    assert_eq!(codes(&out), ["W0008", "E0145", "E0145"]);
}

#[test]
fn a_huge_health_deadline_is_cut_and_reported() {
    let out = run(&[(
        "compose.yaml",
        "services:\n  web:\n    image: x\n    healthcheck: {test: 'true', interval: 1h, timeout: 10s, retries: 100000000000}\n",
    )]);
    assert!(out.internal.is_none(), "{:?}", out.internal);
    let web = component(&out, "web");
    assert!(web.contains("timeout  = 2562047h"), "{web}");
    assert_eq!(codes(&out), ["W0006"]);
}

#[test]
fn what_check_refuses_is_taken_out_and_reported() {
    let out = run(&[(
        "compose.yaml",
        "services:\n  base:\n    image: nginx\n    ports: ['8080:80']\n  child:\n    extends: base\n    command: ''\n    depends_on: [child, base]\n    networks:\n      default:\n        aliases: [base, web]\n",
    )]);
    let child = component(&out, "child");
    // The inherited published port stays with `base`.
    assert!(
        child.contains("ports      = { http = { container = 80  publish = false } }"),
        "{child}"
    );
    assert!(component(&out, "base").contains("publish = 8080"));
    assert!(!child.contains("command"), "{child}");
    assert!(child.contains("depends_on = [base]"), "{child}");
    assert!(child.contains("aliases = [\"web\"]"), "{child}");
    let messages: Vec<String> = out.diagnostics.iter().map(|d| d.message.clone()).collect();
    assert_eq!(
        codes(&out),
        ["W0005", "W0005", "W0005", "W0006"],
        "{messages:?}"
    );
    assert!(messages
        .iter()
        .any(|m| m.starts_with("host port 8080 is published by `base`")));
    assert!(messages
        .iter()
        .any(|m| m.starts_with("`child` depends on itself")));
    assert!(messages
        .iter()
        .any(|m| m.starts_with("the network alias `base`")));
}

#[test]
fn reset_and_override_tags_and_a_disabled_check_under_extends() {
    // As `docker compose config` reads it (Docker Compose v5.6.1): the
    // child publishes 8081 only, has no environment and no health check.
    let out = run(&[(
        "compose.yaml",
        "services:\n  base:\n    image: nginx\n    ports: ['8080:80']\n    environment: {A: '1'}\n    healthcheck: {test: 'true', timeout: 10s}\n    restart: always\n\
         \x20 child:\n    extends: base\n    ports: !override ['8081:80']\n    environment: !reset {}\n    restart: !reset null\n    healthcheck: {disable: true}\n",
    )]);
    let child = component(&out, "child");
    assert_eq!(
        child,
        "component child {\n  image = \"nginx\"\n  ports = { http = { container = 80  publish = 8081 } }\n}\n"
    );
    let messages: Vec<&str> = out.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(codes(&out), ["W0006"], "{messages:?}");
    assert!(
        messages
            .iter()
            .all(|m| m.ends_with("the health check of the service it extends is not inherited")),
        "{messages:?}"
    );
    // `test: [NONE]` turns it off as well.
    let out = run(&[(
        "compose.yaml",
        "services:\n  base:\n    image: b\n    healthcheck: {test: 'true'}\n  child:\n    extends: base\n    healthcheck: {test: [NONE]}\n",
    )]);
    assert!(!component(&out, "child").contains("health"));
}

/// Each report as `CODE message`, and its help.
fn reports(outcome: &Outcome) -> Vec<(String, String)> {
    outcome
        .diagnostics
        .iter()
        .map(|d| {
            (
                format!("{} {}", d.code.as_str(), d.message),
                d.help.clone().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn a_link_alias_is_a_network_alias_of_the_linked_service() {
    let out = run(&[(
        "compose.yaml",
        "services:\n  app:\n    image: a\n    links: [\"db:database\", \"cache:kv\", \"db:pg\", \"cache:db\"]\n  \
         db:\n    image: p\n  \
         cache:\n    image: m\n    networks: [back]\n",
    )]);
    let app = component(&out, "app");
    assert!(app.contains("depends_on = [db, cache]"), "{app}");
    let db = component(&out, "db");
    assert!(
        db.contains("networks = { default = { aliases = [\"database\", \"pg\"] } }"),
        "{db}"
    );
    // Merged with the networks the service names, in the map form.
    let cache = component(&out, "cache");
    assert!(
        cache.contains("networks = { back = { }  default = { aliases = [\"kv\"] } }"),
        "{cache}"
    );
    // `db` is a component's name: the analyser would refuse it (E0119).
    let reports = reports(&out);
    assert_eq!(reports.len(), 1, "{reports:?}");
    assert!(
        reports.first().is_some_and(|(m, _)| m.starts_with(
            "W0005 the link alias `db` is not imported: it is the component `db`'s name"
        )),
        "{reports:?}"
    );
}

#[test]
fn a_link_alias_adds_to_the_aliases_a_service_has() {
    let out = run(&[(
        "compose.yaml",
        "services:\n  app:\n    image: a\n    links: [\"db:database\", \"db:store\"]\n  \
         db:\n    image: p\n    networks:\n      default:\n        aliases: [store]\n",
    )]);
    let db = component(&out, "db");
    assert!(db.contains("aliases = [\"store\", \"database\"]"), "{db}");
    assert!(codes(&out).is_empty(), "{:?}", out.diagnostics);
}

#[test]
fn a_network_entry_without_settings_is_an_empty_map() {
    let out = run(&[(
        "compose.yaml",
        "services:\n  db:\n    image: p\n    networks:\n      back: {aliases: [pg]}\n      default:\n",
    )]);
    let db = component(&out, "db");
    assert!(
        db.contains("networks = { back = { aliases = [\"pg\"] }  default = { } }"),
        "{db}"
    );
    assert!(codes(&out).is_empty(), "{:?}", out.diagnostics);
}

#[test]
fn a_base_two_services_extend_is_reported_once() {
    let out = run_all(&[
        (
            "compose.yaml",
            "services:\n  a:\n    extends: {file: base.yaml, service: base}\n  \
             b:\n    extends: {file: base.yaml, service: base}\n",
        ),
        (
            "base.yaml",
            "services:\n  base:\n    image: b\n    container_name: nope\n",
        ),
    ]);
    assert_eq!(codes(&out), ["W0005"]);
}

#[test]
fn port_settings_the_language_lacks_are_reported() {
    let out = run(&[(
        "compose.yaml",
        "services:\n  web:\n    image: n\n    ports:\n      - {target: 80, published: 8080, mode: host, app_protocol: http}\n      - {target: 81, published: 81, mode: ingress, publish: 82}\n",
    )]);
    let web = component(&out, "web");
    assert!(
        web.contains("ports = { http = { container = 80  publish = 8080 }  p81 = 81 }"),
        "{web}"
    );
    let reports = reports(&out);
    let messages: Vec<&str> = reports.iter().map(|(m, _)| m.as_str()).collect();
    assert_eq!(
        messages,
        [
            "W0005 the port's `mode: host` is not imported",
            "W0005 the port's `app_protocol: http` is not imported",
            "W0005 `publish` is not a key of a port",
        ]
    );
    assert!(
        reports
            .first()
            .is_some_and(|(_, help)| help.contains("on one Docker host")),
        "{reports:?}"
    );
}

#[test]
fn a_port_published_on_a_reference_takes_its_default() {
    let out = run(&[(
        "compose.yaml",
        "services:\n  web:\n    image: n\n    ports: [\"${APP_PORT:-8080}:80\", \"${ADMIN}:9000\", {target: 81, published: \"${P-8181}\"}]\n",
    )]);
    let web = component(&out, "web");
    for port in [
        "http  = { container = 80  publish = 8080 }",
        "p9000 = { container = 9000  publish = false }",
        "p81   = { container = 81  publish = 8181 }",
    ] {
        assert!(web.contains(port), "{port}\n{web}");
    }
    let reports = reports(&out);
    assert_eq!(reports.len(), 3, "{reports:?}");
    assert!(
        reports.iter().all(|(m, _)| m.starts_with("W0006")),
        "{reports:?}"
    );
    assert!(
        reports
            .first()
            .is_some_and(|(m, help)| m.contains("`${APP_PORT:-8080}`")
                && m.contains("published on 8080, the default; the variable no longer changes it")
                && help.contains("`publish`")),
        "{reports:?}"
    );
    assert!(
        reports.get(1).is_some_and(
            |(m, _)| m.contains("`${ADMIN}`, which has no default; it is imported unpublished")
        ),
        "{reports:?}"
    );
}

#[test]
fn a_port_that_cannot_be_read_is_named_in_its_report() {
    let out = run(&[(
        "compose.yaml",
        "services:\n  web:\n    image: n\n    ports: [\"-8080:80\", \"x:80\"]\n",
    )]);
    let messages: Vec<String> = reports(&out).into_iter().map(|(m, _)| m).collect();
    assert_eq!(
        messages,
        [
            "W0005 port `-8080:80` not imported: a port number is missing",
            "W0005 port `x:80` not imported: `x` is not a port number (1-65535)",
        ]
    );
}

#[test]
fn a_published_port_on_its_own_number_is_written_without_publish() {
    let out = run(&[(
        "compose.yaml",
        "services:\n  dns:\n    image: n\n    ports: [\"53:53/udp\", \"53:53/tcp\", \"127.0.0.1:9000:9000\"]\n",
    )]);
    let dns = component(&out, "dns");
    assert!(
        dns.contains("dns   = { container = 53  protocol = [\"tcp\", \"udp\"] }"),
        "{dns}"
    );
    assert!(
        dns.contains("p9000 = { container = 9000  host_ip = \"127.0.0.1\" }"),
        "{dns}"
    );
    assert!(!dns.contains("publish = true"), "{dns}");
}

#[test]
fn dependency_settings_the_language_lacks_are_reported() {
    let out = run(&[(
        "compose.yaml",
        "services:\n  web:\n    image: n\n    depends_on:\n      \
         db: {condition: service_started, restart: true}\n      \
         cache: {condition: service_started, required: false}\n  \
         db:\n    image: p\n  \
         cache:\n    image: m\n",
    )]);
    let web = component(&out, "web");
    assert!(web.contains("depends_on = [db, cache]"), "{web}");
    let messages: Vec<String> = reports(&out).into_iter().map(|(m, _)| m).collect();
    assert_eq!(
        messages,
        [
            "W0005 `restart: true` (restart this service when `db` restarts) is not imported",
            "W0006 `required: false`: `cache` is imported as a dependency every environment starts",
        ]
    );
}

#[test]
fn a_secret_reference_mode_is_reported_with_why() {
    let out = run(&[(
        "compose.yaml",
        "services:\n  web:\n    image: n\n    secrets: [{source: pw, target: pw, mode: 0400}]\nsecrets:\n  pw:\n    file: ./pw.txt\n",
    )]);
    let reports = reports(&out);
    assert_eq!(reports.len(), 1, "{reports:?}");
    assert!(
        reports.first().is_some_and(|(m, help)| m
            == "W0005 `mode` of a secret reference is not imported: stackc refuses it"
            && help.contains("the file's own owner and mode")),
        "{reports:?}"
    );
    let web = component(&out, "web");
    assert!(
        web.contains("secrets = [{ source = \"pw\"  target = \"pw\" }]"),
        "{web}"
    );
}

/// Imports every file given (all are inputs), with the messages rendered.
fn run_inputs(files: &[(&str, &str)]) -> (Outcome, Vec<String>) {
    let memory = Memory(
        files
            .iter()
            .map(|(p, t)| (format!("/w/{p}"), t.to_string()))
            .collect::<BTreeMap<_, _>>(),
    );
    let inputs: Vec<String> = files.iter().map(|(p, _)| format!("/w/{p}")).collect();
    let shown = |p: &str| p.trim_start_matches("/w/").to_string();
    let request = Request {
        files: &inputs,
        root: "/w",
        shown: &shown,
    };
    let mut sources = SourceMap::new();
    let out = import(&request, &memory, &mut sources);
    let rendered = out
        .diagnostics
        .iter()
        .map(|d| {
            crate::diagnostic::render_human(d, &sources, crate::diagnostic::ColorChoice::Never)
        })
        .collect();
    (out, rendered)
}

#[test]
fn a_conflict_shows_the_first_key_that_differs() {
    let (out, rendered) = run_inputs(&[
        (
            "a/compose.yml",
            "services:\n  db:\n    image: postgres:15\n    environment: {A: '1'}\n",
        ),
        (
            "b/compose.yml",
            "services:\n  db:\n    environment: {A: '1'}\n    image: postgres:16\n",
        ),
    ]);
    assert_eq!(codes(&out), ["E0142"]);
    let text = rendered.join("\n");
    assert!(
        text.contains("the service `db` is declared differently in two files: `image` is `\"postgres:16\"` here and `\"postgres:15\"` in the other"),
        "{text}"
    );
    assert!(text.contains("--> b/compose.yml:4:5"), "{text}");
    assert!(text.contains("::: a/compose.yml:3:5"), "{text}");
    // Word for word the same, but `./init` is `a/init` in one and `b/init`
    // in the other.
    let same =
        "services:\n  db:\n    image: pg\n    volumes: ['./init:/docker-entrypoint-initdb.d']\n";
    let (out, rendered) = run_inputs(&[("a/compose.yml", same), ("b/compose.yml", same)]);
    assert_eq!(codes(&out), ["E0142"]);
    let text = rendered.join("\n");
    assert!(
        text.contains("`volumes` is `[\"./b/init:/docker-entrypoint-initdb.d\"]` here and `[\"./a/init:/docker-entrypoint-initdb.d\"]` in the other"),
        "{text}"
    );
    assert!(
        text.contains("resolve against each file's folder"),
        "{text}"
    );
}

#[test]
fn ordinary_files_get_no_spurious_reports() {
    // `driver: local` is Compose's default: no report.
    let out = run(&[(
        "compose.yaml",
        "services:\n  es:\n    image: e\n    volumes: [esdata:/d]\nvolumes:\n  esdata:\n    driver: local\n",
    )]);
    assert!(codes(&out).is_empty(), "{:?}", out.diagnostics);
    let out = run(&[(
        "compose.yaml",
        "services:\n  es:\n    image: e\nvolumes:\n  esdata:\n    driver: nfs\n",
    )]);
    assert_eq!(codes(&out), ["W0005"]);
    // An external secret or config: one report, at its name.
    let text = "services:\n  web:\n    image: n\nsecrets:\n  pw:\n    external: true\nconfigs:\n  conf:\n    external: true\n    name: x\n";
    let out = run(&[("compose.yaml", text)]);
    assert_eq!(codes(&out), ["W0005", "W0005"]);
    let places: Vec<usize> = out
        .diagnostics
        .iter()
        .filter_map(|d| d.span.map(|s| s.start as usize))
        .collect();
    assert_eq!(
        places,
        [
            text.find("pw:").unwrap_or(0),
            text.find("conf:").unwrap_or(0)
        ]
    );
}

/// Arbitrary YAML values, with Compose's own keys among the odd ones, so
/// that the importer's deeper paths are reached.
fn yaml_value() -> impl Strategy<Value = serde_json::Value> {
    let key = prop_oneof![
        prop::sample::select(vec![
            "services",
            "version",
            "name",
            "include",
            "image",
            "build",
            "ports",
            "environment",
            "depends_on",
            "links",
            "healthcheck",
            "test",
            "command",
            "extends",
            "service",
            "file",
            "volumes",
            "labels",
            "deploy",
            "replicas",
            "networks",
            "profiles",
            "net",
            "x-a",
            "<<",
            "target",
            "published",
            "interval",
            "retries",
            "context",
            "env_file",
            "path",
            "mode",
            "app_protocol",
            "restart",
            "required",
        ])
        .prop_map(str::to_string),
        ".{0,8}",
    ];
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        "[0-9:./a-z$-{}]{0,12}".prop_map(serde_json::Value::from),
        ".{0,12}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
            prop::collection::btree_map(key.clone(), inner, 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    // Never a panic, and never a file that does not parse (`internal`).
    #[test]
    fn never_panics_on_arbitrary_yaml(value in yaml_value()) {
        let text = serde_json::to_string_pretty(&value).unwrap_or_default();
        let out = run(&[("compose.yaml", &text)]);
        prop_assert!(out.internal.is_none(), "{:?}\n{text}", out.internal);
    }

    #[test]
    fn never_panics_on_arbitrary_text(text in ".{0,200}") {
        let out = run(&[("compose.yaml", &text)]);
        prop_assert!(out.internal.is_none(), "{:?}\n{text}", out.internal);
    }

    // Huge numbers and durations are bounded before they are written.
    #[test]
    fn huge_numbers_are_bounded(
        interval in prop::sample::select(vec!["1h", "1s", "2562047h", "2562048h", "99999999999h", "1e3h", "0.5ms"]),
        retries in any::<i64>(),
        start in prop::sample::select(vec!["0s", "2562047h", "1ms"]),
        number in any::<i64>(),
        float in any::<f64>(),
    ) {
        let text = format!(
            "services:\n  web:\n    image: x\n    healthcheck: {{test: 'true', interval: {interval}, retries: {retries}, start_period: {start}}}\n    pids_limit: {number}\n    cpus: {float:e}\n    shm_size: {number}\n    stop_grace_period: {interval}\n"
        );
        let out = run(&[("compose.yaml", &text)]);
        prop_assert!(out.internal.is_none(), "{:?}\n{text}", out.internal);
    }

    #[test]
    fn never_panics_on_services_of_arbitrary_values(value in yaml_value(), name in "[a-zA-Z0-9._-]{1,8}") {
        let services = serde_json::json!({ "services": { name: value, "db": { "image": "x" } } });
        let text = serde_json::to_string(&services).unwrap_or_default();
        let out = run(&[("compose.yaml", &text)]);
        prop_assert!(out.internal.is_none(), "{:?}\n{text}", out.internal);
    }
}

#[test]
fn extends_merges_as_compose_merges() {
    // Each rule as `docker compose config` gives it (tests/import/corpus/
    // 34-extends-merge is the round trip).
    let out = run(&[
        (
            "compose.yaml",
            "services:\n  base:\n    image: web:1\n    volumes: [./a:/data, ./logs:/logs]\n    labels: {tier: web, team: core}\n    cap_add: [NET_ADMIN]\n    expose: ['9000']\n    logging: {driver: json-file, options: {max-size: 10m, max-file: '3'}}\n    deploy: {resources: {limits: {cpus: '0.5', memory: 256M}}}\n    healthcheck: {test: [CMD, 'true'], interval: 30s, timeout: 10s}\n    build: {context: ./app, args: {A: '1'}}\n  child:\n    extends: base\n    volumes: [./logs2:/logs]\n    labels: {tier: api}\n    cap_add: [SYS_TIME]\n    expose: ['9001']\n    logging: {options: {max-file: '5'}}\n    deploy: {resources: {limits: {memory: 512M}}}\n    healthcheck: {interval: 10s}\n    build: {args: {B: '2'}}\n",
        ),
        ("app/Dockerfile", "FROM scratch\n"),
    ]);
    let child = component(&out, "child");
    for text in [
        "volumes = [\"./a:/data\", \"./logs2:/logs\"]",
        "labels  = { tier = \"api\"  team = \"core\" }",
        "cap_add = [\"NET_ADMIN\", \"SYS_TIME\"]",
        "expose  = [\"9000\", \"9001\"]",
        "options = { max-size = \"10m\"  max-file = \"5\" }",
        "limits = { cpus = \"0.5\"  memory = \"512M\" }",
        "command  = \"true\"",
        "interval = 10s",
        "args = { A = \"1\"  B = \"2\" }",
    ] {
        assert!(child.contains(text), "{text} not in\n{child}");
    }
    // No wrong report: the check has a test, the build a Dockerfile.
    assert!(codes(&out).is_empty(), "{:?}", codes(&out));
}

#[test]
fn go_templates_are_literal_in_env_and_left_out_elsewhere() {
    let out = run(&[(
        "compose.yaml",
        "services:\n  web:\n    image: x\n    command: ['--format', '{{json .}}']\n    environment: {GREETING: 'Hello {{ .Name }}'}\n    logging: {driver: json-file, options: {tag: '{{.Name}}', max-file: '2'}}\n",
    )]);
    let web = component(&out, "web");
    assert!(
        web.contains("GREETING = \"Hello {{ \\\"{\\\" }}{ .Name }}\""),
        "{web}"
    );
    assert!(!web.contains("command"), "{web}");
    assert!(web.contains("options = { max-file = \"2\" }"), "{web}");
    assert_eq!(codes(&out), ["W0005", "W0005"]);
}

#[test]
fn checks_without_a_probe_timeout_are_reported_once_per_file() {
    let out = run(&[(
        "compose.yaml",
        "services:\n  a:\n    image: x\n    healthcheck: {test: 'true'}\n  b:\n    image: x\n    healthcheck: {test: 'true', interval: 5s}\n  c:\n    image: x\n    healthcheck: {test: 'true', timeout: 3s}\n",
    )]);
    let messages: Vec<&str> = out.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(codes(&out), ["W0006"], "{messages:?}");
    assert!(
        messages
            .iter()
            .all(|m| m.contains("(`a`, `b`)") && m.contains("30s")),
        "{messages:?}"
    );
}
