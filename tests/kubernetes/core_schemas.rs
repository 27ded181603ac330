//! Every object of Kubernetes' own API passes `kubernetes-validate
//! --strict` (no field the schema does not know) for each version of
//! [`VERSIONS`], all bundled by kubernetes-validate 1.37.0.

use std::path::PathBuf;

use crate::fixture::{written, CORE_KINDS};
use crate::tools::kubernetes_validate;

/// The oldest Kubernetes release with upstream support when the target was
/// written, a middle one, and the newest kubernetes-validate bundles.
pub const VERSIONS: [&str; 3] = ["1.29.0", "1.31.0", "1.37.0"];

/// `kubernetes-validate --strict -k VERSION` on `paths`: its exit status
/// must be 0 and each file reported as passed (a file of a kind it has no
/// schema for only gets a warning, so the report is read too).
fn validate(version: &str, paths: &[PathBuf]) -> Result<(), String> {
    let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let mut args = vec!["--strict", "-k", version];
    args.extend(shown.iter().map(String::as_str));
    let out = kubernetes_validate(&args);
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let unpassed: Vec<&String> = shown
        .iter()
        .filter(|path| !report.contains(&format!("INFO {path} passed for resource")))
        .collect();
    if out.status.success() && unpassed.is_empty() && !report.contains("WARN") {
        Ok(())
    } else {
        Err(format!(
            "Kubernetes {version}: not passed: {unpassed:?}\n{report}"
        ))
    }
}

#[test]
fn every_core_object_passes_strict_validation() {
    let (_dir, paths) = written(&CORE_KINDS);
    assert_eq!(paths.len(), 46, "core objects of the fixture");
    let failures: Vec<String> = VERSIONS
        .iter()
        .filter_map(|version| validate(version, &paths).err())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The check can fail: an unknown field, and a wrong type, are refused.
#[test]
fn strict_validation_refuses_a_broken_object() {
    let (dir, paths) = written(&[".deployment.yaml", ".ingress.yaml"]);
    let deployment = paths
        .iter()
        .find(|p| p.ends_with("prod/db.deployment.yaml"));
    let ingress = paths.iter().find(|p| p.ends_with("prod/api.ingress.yaml"));
    let (Some(deployment), Some(ingress)) = (deployment, ingress) else {
        panic!("fixture files missing under {}", dir.path().display());
    };
    let text = std::fs::read_to_string(deployment).expect("read");
    std::fs::write(
        deployment,
        text.replace("minReadySeconds", "minReadySecond"),
    )
    .expect("write");
    let text = std::fs::read_to_string(ingress).expect("read");
    std::fs::write(
        ingress,
        text.replace("pathType: Prefix", "pathType: [Prefix]"),
    )
    .expect("write");
    for path in [deployment, ingress] {
        let result = validate(VERSIONS[0], std::slice::from_ref(path));
        assert!(result.is_err(), "{} passed", path.display());
    }
}
