//! Reviewed snapshots of the Compose files of the fixture workspaces
//! (`tests/fixtures/compose/*`), under `snapshots/compose/`
//! (`<workspace>__<kind>__<name>.snap`).
//!
//! The examples' Compose files are not snapshotted: their committed
//! `examples/*/generated/` files are the one reviewed copy, which
//! tests/generated_examples.rs holds to the specs byte for byte.

use crate::workspaces;

#[test]
fn compose_files_match_their_snapshots() {
    let fixtures: Vec<_> = workspaces::all()
        .iter()
        .filter(|built| !built.label.starts_with("examples/"))
        .collect();
    assert!(!fixtures.is_empty(), "no fixture workspaces");
    for built in fixtures {
        for (path, text) in &built.files {
            let name = path
                .trim_start_matches("compose/")
                .trim_end_matches(".yml")
                .replace('/', "__");
            insta::with_settings!({
                snapshot_path => "../../snapshots/compose",
                prepend_module_to_snapshot => false,
                omit_expression => true,
                description => format!("{} {path}", built.label),
            }, {
                insta::assert_snapshot!(format!("{}__{name}", built.slug), text);
            });
        }
    }
}
