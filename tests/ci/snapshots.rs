//! Every CI file of every case, as reviewed text.

use crate::models::cases;

#[test]
fn every_ci_file_is_as_reviewed() {
    for case in cases() {
        for (path, text) in case.files() {
            let file = path.trim_start_matches('.').replace(['/', '.'], "-");
            insta::with_settings!({
                snapshot_path => "../../snapshots/ci",
                prepend_module_to_snapshot => false,
            }, {
                insta::assert_snapshot!(format!("{}__{file}", case.name), text);
            });
        }
    }
}
