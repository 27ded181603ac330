//! Compose itself holds the analyser's checks of pass-through values
//! (`src/analyse/pass_through_values.rs`, `pass_through_forms.rs`) to
//! account: for every value `stackc check` refuses in the error fixtures
//! 181-189, `docker compose config` refuses it too, and for a valid example
//! of each, both accept it. `restart` is left out: Compose passes any
//! string on, and only the Docker engine refuses one, when it creates the
//! container.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::tools::Compose;
use crate::Failures;

/// One value: the `compose { }` body stackc reads, the YAML Compose reads
/// for it, and whether both refuse it.
struct Case {
    stackc: &'static str,
    yaml: &'static str,
    refused: bool,
}

const fn case(stackc: &'static str, yaml: &'static str, refused: bool) -> Case {
    Case {
        stackc,
        yaml,
        refused,
    }
}

const CASES: &[Case] = &[
    case("user = 1000", "user: 1000", true),
    case(r#"user = "1000""#, r#"user: "1000""#, false),
    case(r#"user = "${APP_UID}""#, r#"user: "${APP_UID}""#, false),
    case(r#"mem_limit = "lots""#, "mem_limit: lots", true),
    case(r#"mem_limit = "512m""#, "mem_limit: 512m", false),
    case(r#"shm_size = "1gi""#, "shm_size: 1gi", true),
    case(r#"shm_size = "1 GiB""#, "shm_size: 1 GiB", false),
    case(r#"shm_size = "64 megs""#, "shm_size: 64 megs", true),
    case(
        r#"stop_grace_period = "10 sec""#,
        "stop_grace_period: 10 sec",
        true,
    ),
    case(
        r#"stop_grace_period = "1m30s""#,
        "stop_grace_period: 1m30s",
        false,
    ),
    case("stop_grace_period = 10s", "stop_grace_period: 10s", false),
    case(r#"cpus = "half""#, "cpus: half", true),
    case(r#"cpus = "0.5""#, r#"cpus: "0.5""#, false),
    case(r#"cpus = "${CPUS}""#, r#"cpus: "${CPUS}""#, false),
    case(
        r#"ulimits { nofile = "many" }"#,
        "ulimits: {nofile: many}",
        true,
    ),
    case(
        r#"ulimits { nofile = "1024" }"#,
        r#"ulimits: {nofile: "1024"}"#,
        false,
    ),
    case(
        r#"extra_hosts = ["nocolon"]"#,
        "extra_hosts: [nocolon]",
        true,
    ),
    case(
        r#"extra_hosts = ["db:10.0.0.2"]"#,
        r#"extra_hosts: ["db:10.0.0.2"]"#,
        false,
    ),
    case(
        r#"pre_start = [{ image = "busybox"  user = 0 }]"#,
        "pre_start: [{image: busybox, user: 0}]",
        true,
    ),
    case(
        r#"pre_start = [{ image = "busybox"  user = "0" }]"#,
        r#"pre_start: [{image: busybox, user: "0"}]"#,
        false,
    ),
];

/// The variables Compose interpolates in the cases.
fn vars() -> Vec<(String, String)> {
    vec![
        ("APP_UID".into(), "1000".into()),
        ("CPUS".into(), "2".into()),
    ]
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("compose-values")
        .join(name);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// Whether `stackc check` refuses the component with this pass-through.
fn stackc_refuses(name: &str, body: &str) -> bool {
    let dir = scratch(name);
    let stackfile = format!(
        "stack s {{ }}\n\ncomponent web {{\n  image = \"web:1\"\n  compose {{\n    {body}\n  }}\n}}\n"
    );
    std::fs::write(dir.join("Stackfile"), stackfile).expect("write Stackfile");
    let out = Command::new(env!("CARGO_BIN_EXE_stackc"))
        .arg("check")
        .arg(&dir)
        .output()
        .expect("run stackc");
    !out.status.success()
}

/// Compose's complaint about a service holding `yaml`, if it refuses it.
fn compose_refuses(name: &str, yaml: &str) -> Option<String> {
    let file = scratch(name).join("compose.yml");
    let text = format!("services:\n  web:\n    image: web:1\n    {yaml}\n");
    std::fs::write(&file, text).expect("write probe");
    let path = file.display().to_string();
    let out = Compose::get().run(["-f", &path, "config", "--quiet"], &vars());
    (!out.status.success()).then(|| String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn compose_refuses_what_check_refuses_and_takes_the_valid_examples() {
    let mut failures = Failures::default();
    for (i, case) in CASES.iter().enumerate() {
        let name = format!("case-{i}");
        let stackc = stackc_refuses(&name, case.stackc);
        failures.check(stackc == case.refused, || {
            format!("stackc check refused `{}`: {stackc}", case.stackc)
        });
        let compose = compose_refuses(&name, case.yaml);
        failures.check(compose.is_some() == case.refused, || {
            format!("Compose on `{}`: {compose:?}", case.yaml)
        });
    }
    failures.assert_none();
}
