//! The table of Compose service keys that the analyser checks every
//! pass-through key against (`src/analyse/compose_keys.rs`) lists the keys
//! in `tests/fixtures/compose/schema/`, which a unit test holds the table
//! to. Here Compose itself holds those lists to its schema: every listed key
//! is a key of a service (and every container key a key of a `pre_start`
//! hook), and no other key of a service is one of a hook.

use std::path::{Path, PathBuf};

use crate::tools::Compose;
use crate::Failures;

const SCHEMA: &str = "tests/fixtures/compose/schema";

fn listed(file: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(SCHEMA)
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn scratch() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("compose-schema");
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// Compose's complaint about `services.a.<at>`, when it finds the key
/// unknown ("false schema"), for a file holding `body` under service `a`.
fn unknown_key_error(name: &str, body: &str, at: &str) -> Option<String> {
    let file = scratch().join(format!("{name}.yml"));
    let text = format!("services:\n  a:\n    image: busybox\n{body}");
    std::fs::write(&file, text).expect("write probe");
    let path = file.display().to_string();
    let out = Compose::get().run(["-f", &path, "config", "--quiet"], &[]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    stderr
        .contains(&format!("services.a.{at} false schema"))
        .then_some(stderr)
}

#[test]
fn compose_takes_every_listed_key_and_no_other() {
    let services = listed("service-keys.txt");
    let containers = listed("container-keys.txt");
    assert!(services.len() > 90, "{} service keys", services.len());
    let mut failures = Failures::default();
    for key in &services {
        let error = unknown_key_error(
            &format!("service-{key}"),
            &format!("    {key}: null\n"),
            key,
        );
        failures.check(error.is_none(), || {
            format!("`{key}` is not a service key: {error:?}")
        });
        let in_hook = unknown_key_error(
            &format!("hook-{key}"),
            &format!("    pre_start:\n      - {key}: null\n"),
            &format!("pre_start.0.{key}"),
        );
        let container = containers.contains(key);
        failures.check(in_hook.is_none() == container, || {
            format!("`{key}`: listed as a container key: {container}; Compose: {in_hook:?}")
        });
    }
    for key in &containers {
        failures.check(services.contains(key), || {
            format!("container key `{key}` is not listed as a service key")
        });
    }
    // The probe tells an unknown key from a known one.
    failures.check(
        unknown_key_error("unknown", "    not_a_key: null\n", "not_a_key").is_some(),
        || "Compose did not refuse `not_a_key`".into(),
    );
    failures.assert_none();
}
