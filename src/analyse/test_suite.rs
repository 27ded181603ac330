//! A component's `test NAME { }` blocks: its test suites.

use super::closed_set;
use super::fields::{Fields, Schema};
use super::names::check_name;
use super::paths::relative_path;
use super::template::reject_template;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{Runner, TestSuite};
use crate::syntax::ast::{Block, Ident};

const TEST: Schema = Schema {
    what: "a test suite",
    attributes: &["runner", "path", "command"],
    blocks: &[],
};

/// The suite `name`; its runner is `None` when not given or unknown (an
/// unknown one is reported with the closest known name).
pub fn test_suite(name: &Ident, block: &Block, diagnostics: &mut Diagnostics) -> Option<TestSuite> {
    check_name(name, "test suite", diagnostics);
    let fields = Fields::read(&block.items, block.span(), &TEST, diagnostics);
    let runner = fields
        .name("runner", diagnostics)
        .and_then(|runner| known_runner(&runner, diagnostics));
    let path = fields
        .string("path", diagnostics)
        .and_then(|s| relative_path(s, "test path", diagnostics).map(|_| s.value.to_string()));
    let command = fields.string("command", diagnostics).map(|s| {
        reject_template(s, diagnostics);
        s.value.to_string()
    });
    Some(TestSuite {
        name: name.name.to_string(),
        runner,
        path,
        command,
    })
}

fn known_runner(runner: &Ident, diagnostics: &mut Diagnostics) -> Option<Runner> {
    let known = Runner::from_name(&runner.name);
    if known.is_none() {
        let mut diagnostic = Diagnostic::error(
            Code::OutOfRange,
            format!("`{}` is not a test runner stackc knows", runner.name),
        )
        .at(runner.span)
        .with_label("unknown runner");
        let names = Runner::ALL.map(Runner::as_str);
        if let Some(help) = closed_set::help(&runner.name, &names, "runners") {
            diagnostic = diagnostic.with_help(format!("{help}; or give the suite a `command`"));
        }
        diagnostics.push(diagnostic);
    }
    known
}
