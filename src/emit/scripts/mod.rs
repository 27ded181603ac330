//! The bash task runner (`stack`) and its shell completions.
//!
//! The scripts come from minijinja templates under `templates/scripts/`,
//! rendered from a [`ScriptContext`] built from the Model. `stack.bash.j2`
//! is the frame (prelude, the stack's data, Compose, health waits, runners,
//! hooks); each task family's functions are in `tasks/<family>.bash.j2`
//! ([`family::FAMILIES`]), and the dispatch, `help` and the completions are
//! generated from the task table ([`task::TASKS`]). Every spec value passes
//! through the shell-quoting formatter; see `docs/portability.md` for the
//! rules the templates follow so that the scripts run unchanged on bash 3.2
//! and GNU, BSD and busybox userlands.

mod closure;
mod context;
pub mod family;
mod script_templates;
mod swarm_context;
pub mod task;

pub use context::ScriptContext;

use std::io::{self, Write};
use std::sync::{Arc, OnceLock};

use super::BuildCache;
use super::Target;
use crate::model::Model;
use crate::output::{Artifact, FileMode, Layout, Root};
use script_templates::ScriptTemplates;

/// The task runner target.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scripts;

/// Output path → template, mode.
const OUTPUTS: &[(&str, &str, FileMode)] = &[
    ("stack", "stack.bash", FileMode::Executable),
    (
        "completions/stack.bash",
        "completion.bash",
        FileMode::Regular,
    ),
    ("completions/_stack", "completion.zsh", FileMode::Regular),
];

impl Target for Scripts {
    fn name(&self) -> &'static str {
        "scripts"
    }

    /// The scripts say where the workspace is at run time (they look for the
    /// Stackfile), so `layout` plays no part.
    fn artifacts<'m>(
        &self,
        model: &'m Model,
        _layout: &Layout,
        _cache: &BuildCache<'m>,
    ) -> Vec<Artifact<'m>> {
        // Built on the first render, then shared by the three files.
        let context: Arc<OnceLock<ScriptContext>> = Arc::new(OnceLock::new());
        OUTPUTS
            .iter()
            .map(|&(path, template, mode)| {
                let context = Arc::clone(&context);
                Artifact::streamed(Root::Output, path, mode, move |out| {
                    render(
                        template,
                        context.get_or_init(|| ScriptContext::new(model)),
                        out,
                    )
                })
            })
            .collect()
    }
}

/// The task runner and its completions, rendered, as (path, contents): for
/// tests.
pub fn emit(model: &Model) -> Vec<(String, String)> {
    super::render_all(Scripts.artifacts(model, &Layout::default(), &BuildCache::new(model)))
}

/// Renders `template` into `out`, as it renders (the `stack` script of a
/// large workspace is over 100 MB: it is never held whole). The templates
/// are part of the binary and the context's shape is fixed by its types,
/// so a failure other than `out`'s is a bug in stackc, never in the spec
/// (the tests render every example and hostile models).
///
/// Errors: `out`'s, unchanged.
fn render(template: &str, context: &ScriptContext, out: &mut dyn Write) -> io::Result<()> {
    static TEMPLATES: OnceLock<ScriptTemplates> = OnceLock::new();
    let templates = TEMPLATES.get_or_init(|| {
        ScriptTemplates::new()
            .unwrap_or_else(|error| panic!("internal error: script templates: {error:#}"))
    });
    let mut out = KeepError { out, error: None };
    let result = templates.render_to(template, context, &mut out);
    if let Some(error) = out.error {
        return Err(error);
    }
    result.unwrap_or_else(|error| panic!("internal error: template {template}: {error:#}"));
    Ok(())
}

/// Keeps the first error of the writer it wraps, which minijinja only
/// reports as a message.
struct KeepError<'w> {
    out: &'w mut dyn Write,
    error: Option<io::Error>,
}

impl Write for KeepError<'_> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        match self.out.write(data) {
            Ok(written) => Ok(written),
            Err(error) => {
                let kind = error.kind();
                self.error.get_or_insert(error);
                Err(io::Error::from(kind))
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
