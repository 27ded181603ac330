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
            "opensearch.configmap.yaml",
            "opensearch.deployment.yaml",
            "opensearch.service.yaml",
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

/// A port served on TCP and UDP is two entries, `NAME` and `NAME-udp`, in
/// the container and the Service; a UDP-only port keeps its name; TCP is
/// left to Kubernetes' default. Variable names with `.` and `-` are kept.
#[test]
fn udp_ports_are_entries_of_their_own_and_dotted_names_are_kept() {
    let text = |name: &str| {
        files()
            .iter()
            .find(|(path, _)| path == &format!("kubernetes/prod/{name}"))
            .map(|(_, text)| text.as_str())
            .unwrap_or_else(|| panic!("no {name}"))
    };
    let service = text("opensearch.service.yaml");
    for entry in [
        "    - name: dns\n      port: 53\n      targetPort: dns\n",
        "    - name: dns-udp\n      protocol: UDP\n      port: 53\n      targetPort: dns-udp\n",
        "    - name: syslog\n      protocol: UDP\n      port: 514\n      targetPort: syslog\n",
    ] {
        assert!(service.contains(entry), "no {entry:?} in:\n{service}");
    }
    let deployment = text("opensearch.deployment.yaml");
    for entry in [
        "            - name: dns\n              containerPort: 53\n            - name: dns-udp\n              containerPort: 53\n              protocol: UDP\n",
        "            - name: discovery.type\n",
        "            - name: my-var\n",
        "            - name: admin.password\n              valueFrom:\n                secretKeyRef:\n                  name: opensearch-secrets\n                  key: admin.password\n",
    ] {
        assert!(deployment.contains(entry), "no {entry:?} in:\n{deployment}");
    }
    let config_map = text("opensearch.configmap.yaml");
    assert!(
        config_map.contains("  discovery.type: single-node\n"),
        "{config_map}"
    );
}
