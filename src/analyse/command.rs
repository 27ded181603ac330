//! A component's `command`: a shell line (`"a && b"`) or a program and its
//! arguments (`["a", "b"]`), as a Dockerfile's `CMD` takes them.

use super::fields::{expect_string, wrong_type};
use super::template::reject_template;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::Command;
use crate::syntax::ast::{Value, ValueKind};

const FORMS: &str = "write `command = \"serve --port 8080\"` (run by `/bin/sh -c`) or `command = [\"serve\", \"--port\", \"8080\"]` (run as is)";

/// The command `value` gives; `None` after reporting a value of another
/// type, an empty one, or a template.
pub fn command(value: &Value, diagnostics: &mut Diagnostics) -> Option<Command> {
    match &value.kind {
        ValueKind::String(line) => {
            if !reject_template(line, diagnostics) {
                return None;
            }
            if line.value.trim().is_empty() {
                diagnostics.push(empty(value));
                return None;
            }
            Some(Command::Shell(line.value.to_string()))
        }
        ValueKind::List(items) => {
            let before = diagnostics.error_count();
            let mut argv: Vec<String> = Vec::new();
            for item in items {
                if let Some(word) = expect_string(item, diagnostics) {
                    reject_template(word, diagnostics);
                    argv.push(word.value.to_string());
                }
            }
            if diagnostics.error_count() > before {
                return None;
            }
            if argv.first().is_none_or(|program| program.is_empty()) {
                diagnostics.push(empty(value));
                return None;
            }
            Some(Command::Exec(argv))
        }
        // `wrong_type` says where a relative value belongs.
        ValueKind::Relative(_) => {
            diagnostics.push(wrong_type(value, "a string or a list of strings"));
            None
        }
        _ => {
            diagnostics.push(wrong_type(value, "a string or a list of strings").with_help(FORMS));
            None
        }
    }
}

fn empty(value: &Value) -> Diagnostic {
    Diagnostic::error(Code::OutOfRange, "the command is empty")
        .at(value.span)
        .with_help(format!(
            "{FORMS}; leave `command` out to run the image's own"
        ))
}
