//! Every Argo Rollouts object (`Rollout`, `AnalysisTemplate`) holds only
//! fields of the field reference of the Argo Rollouts version stackc
//! targets (`tests/kubernetes/argo-rollouts-VERSION-fields.yaml`, checked
//! by `check_argo.py`, which closes every object so that any unknown field
//! fails), its pod template only fields of Kubernetes' own `PodTemplateSpec`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use stackc::emit::kubernetes::ARGO_ROLLOUTS_VERSION;

use crate::core_schemas::VERSIONS;
use crate::fixture::{written, ARGO_KINDS};
use crate::tools::python;

/// The Argo Rollouts version of the field reference; the emitter records
/// the same.
const ARGO_VERSION: &str = "v1.7.2";

fn reference() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/kubernetes")
        .join(format!("argo-rollouts-{ARGO_VERSION}-fields.yaml"))
}

/// `check_argo.py` on `paths`, pod templates checked against Kubernetes
/// `version`.
fn check(version: &str, paths: &[PathBuf]) -> Output {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/kubernetes/check_argo.py");
    Command::new(python())
        .arg(script)
        .arg(reference())
        .arg(version)
        .args(paths)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", python().display()))
}

#[test]
fn the_reference_is_the_targeted_version() {
    assert_eq!(ARGO_ROLLOUTS_VERSION, ARGO_VERSION);
    assert!(reference().is_file(), "{}", reference().display());
}

#[test]
fn every_argo_object_has_only_known_fields() {
    let (_dir, paths) = written(&ARGO_KINDS);
    assert_eq!(paths.len(), 12, "Argo Rollouts objects of the fixture");
    for version in [VERSIONS[0], VERSIONS[2]] {
        let out = check(version, &paths);
        assert!(
            out.status.success(),
            "Kubernetes {version}:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The check can fail: a misspelt field anywhere (the strategy, the pod
/// template, a metric) and a field of the wrong type are refused, each
/// reported.
#[test]
fn an_unknown_field_fails() {
    let (_dir, paths) = written(&[".rollout.yaml", ".analysistemplate.yaml"]);
    let find = |end: &str| {
        paths
            .iter()
            .find(|p| p.ends_with(end))
            .unwrap_or_else(|| panic!("no {end}"))
            .clone()
    };
    let rollout = find("prod/api.rollout.yaml");
    let blue_green = find("prod/web.rollout.yaml");
    let template = find("prod/api.analysistemplate.yaml");
    let edit = |path: &Path, from: &str, to: &str| {
        let text = std::fs::read_to_string(path).expect("read");
        assert!(text.contains(from), "{}: no {from}", path.display());
        std::fs::write(path, text.replacen(from, to, 1)).expect("write");
    };
    edit(&rollout, "stableIngress:", "stableIngres:");
    edit(&rollout, "periodSeconds:", "periodSecond:");
    edit(
        &blue_green,
        "autoPromotionEnabled: true",
        "autoPromotionEnabled: yes please",
    );
    edit(&template, "inconclusiveLimit:", "inconclusiveLimits:");
    let out = check(VERSIONS[1], &[rollout, blue_green, template]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "passed:\n{report}");
    for expected in [
        "'stableIngres' was unexpected",
        "'periodSecond' was unexpected",
        "autoPromotionEnabled: 'yes please' is not of type 'boolean'",
        "'inconclusiveLimits' was unexpected",
    ] {
        assert!(report.contains(expected), "{expected} not in:\n{report}");
    }
}
