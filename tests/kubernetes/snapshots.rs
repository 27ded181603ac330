//! Every Kubernetes file of the fixture, as reviewed text, and the list of
//! files itself.

use crate::fixture::{files, ARGO_KINDS, CORE_KINDS};

#[test]
fn every_file_is_as_reviewed() {
    for (path, text) in files() {
        let name = path
            .trim_start_matches("kubernetes/")
            .replacen('/', "__", 1)
            .trim_end_matches(".yaml")
            .replace('.', "-");
        insta::with_settings!({
            snapshot_path => "../../snapshots/kubernetes",
            prepend_module_to_snapshot => false,
        }, {
            insta::assert_snapshot!(name, text);
        });
    }
}

/// The same objects in every Kubernetes environment, each of a known kind;
/// none for the `test` environment, which runs on Compose.
#[test]
fn the_files_are_the_expected_objects() {
    let prod: Vec<&str> = files()
        .iter()
        .filter_map(|(path, _)| path.strip_prefix("kubernetes/prod/"))
        .collect();
    let staging: Vec<&str> = files()
        .iter()
        .filter_map(|(path, _)| path.strip_prefix("kubernetes/staging/"))
        .collect();
    assert_eq!(prod, staging);
    assert_eq!(files().len(), prod.len() * 2, "only prod and staging");
    let mut sorted = prod.clone();
    sorted.sort_unstable();
    assert_eq!(
        sorted,
        [
            "admin.deployment.yaml",
            "admin.ingress.yaml",
            "admin.service.yaml",
            "api-canary.service.yaml",
            "api-stable.service.yaml",
            "api.analysistemplate.yaml",
            "api.configmap.yaml",
            "api.ingress.yaml",
            "api.rollout.yaml",
            "api.service.yaml",
            "db.configmap.yaml",
            "db.deployment.yaml",
            "db.service.yaml",
            "search-canary.service.yaml",
            "search-stable.service.yaml",
            "search.analysistemplate.yaml",
            "search.ingress.yaml",
            "search.rollout.yaml",
            "search.service.yaml",
            "web-preview.service.yaml",
            "web.analysistemplate.yaml",
            "web.ingress.yaml",
            "web.rollout.yaml",
            "web.service.yaml",
            "worker.configmap.yaml",
            "worker.deployment.yaml",
        ]
    );
    for name in prod {
        assert!(
            CORE_KINDS
                .iter()
                .chain(&ARGO_KINDS)
                .any(|k| name.ends_with(k)),
            "{name}: a kind no check covers"
        );
    }
}
