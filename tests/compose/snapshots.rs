//! Reviewed snapshots of every workspace's Compose files, under
//! `snapshots/compose/` (`<workspace>__<kind>__<name>.snap`).

use crate::workspaces;

#[test]
fn compose_files_match_their_snapshots() {
    for built in workspaces::all() {
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
