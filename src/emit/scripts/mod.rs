//! The bash task runner (`stack`) and its shell completions.
//!
//! The scripts come from minijinja templates under `templates/scripts/`,
//! rendered from a [`ScriptContext`] built from the Model. Every spec value
//! passes through the shell-quoting formatter; see `docs/portability.md` for
//! the rules the templates follow so that the scripts run unchanged on bash
//! 3.2 and GNU, BSD and busybox userlands.

mod context;
mod script_templates;
mod shell_quote;
mod task;

pub use context::ScriptContext;
pub use shell_quote::{shell_assignment, shell_quote};

use crate::model::Model;
use script_templates::ScriptTemplates;

/// Output path → template.
const OUTPUTS: &[(&str, &str)] = &[
    ("stack", "stack.bash"),
    ("completions/stack.bash", "completion.bash"),
    ("completions/_stack", "completion.zsh"),
];

/// The task runner and its completions, as (path, contents).
pub fn emit(model: &Model) -> Vec<(String, String)> {
    let context = ScriptContext::new(model);
    // The templates are part of the binary and the context's shape is fixed
    // by its types, so a failure here is a bug in stackc, never in the spec
    // (the tests render every example and hostile models).
    let templates = ScriptTemplates::new()
        .unwrap_or_else(|error| panic!("internal error: script templates: {error:#}"));
    OUTPUTS
        .iter()
        .map(|(path, template)| {
            let text = templates
                .render(template, &context)
                .unwrap_or_else(|error| panic!("internal error: template {template}: {error:#}"));
            (path.to_string(), text)
        })
        .collect()
}
