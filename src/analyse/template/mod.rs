//! `{{ }}` templates: checked against the context they will see, with the
//! exact column of a bad reference, then rendered once per environment.

mod lex;
mod pair;
mod path_template;
mod reference;
mod render;
mod scope;
mod shared_context;

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use std::ops::Range;

use crate::syntax::ast::StringLit;
use pair::{find_pair, find_pair_from};
pub(crate) use render::PathTemplate;
pub use render::{component_value, Rendered, Renderer};
pub use scope::{ComponentPorts, InDoubt, Scope};
pub use shared_context::SharedContext;

/// Whether a string holds template syntax (`{{`, `{%` or `{#`).
pub fn has_template(value: &str) -> bool {
    find_pair(value, *b"{{").is_some()
        || find_pair(value, *b"{%").is_some()
        || find_pair(value, *b"{#").is_some()
}

/// What [`check`] found besides its diagnostics.
#[derive(Debug, Default, Clone)]
pub struct Checked {
    /// Every component the templates name (`db.host`,
    /// `components["db"]`), the checked component's own name included,
    /// with the byte range of the name in the value.
    pub referenced: Vec<(String, Range<usize>)>,
    /// The check read something of the checked component (`self.ports`,
    /// its `depends_on`): another component writing the same text might
    /// get other diagnostics.
    pub self_dependent: bool,
}

/// Checks every reference in the string's templates, reporting what the
/// component `self_name` cannot refer to.
pub fn check(
    literal: &StringLit,
    self_name: &str,
    scope: &Scope,
    diagnostics: &mut Diagnostics,
) -> Checked {
    let value = &literal.value;
    let mut checked = Checked::default();
    let mut search_from = 0;
    while let Some(open) = find_pair_from(value, search_from, *b"{{") {
        let body_start = open + 2;
        let Some(close) = find_pair_from(value, body_start, *b"}}") else {
            diagnostics.push(
                Diagnostic::error(Code::TemplateSyntax, "`{{` is not closed with `}}`")
                    .at(literal.span_of(open..open + 2))
                    .with_help(
                        "close the expression with `}}`; write `{{ \"{{\" }}` for literal braces",
                    ),
            );
            return checked;
        };
        let tokens = lex::lex(value, body_start, close);
        reference::check_tokens(
            &tokens,
            literal,
            self_name,
            scope,
            diagnostics,
            &mut checked,
        );
        search_from = close + 2;
    }
    if let Some(at) = find_pair(value, *b"{%").or_else(|| find_pair(value, *b"{#")) {
        diagnostics.push(
            Diagnostic::error(
                Code::TemplateSyntax,
                "only `{{ }}` expressions are supported in values",
            )
            .at(literal.span_of(at..at + 2))
            .with_help(
                "use an inline condition instead: `{{ \"a\" if env.name == \"prod\" else \"b\" }}`",
            ),
        );
    }
    checked
}

/// `{{ }}` is expanded only in `env` values; anywhere else it is a mistake.
/// Returns false when it reported one.
pub fn reject_template(literal: &StringLit, diagnostics: &mut Diagnostics) -> bool {
    if let Some(at) = find_pair(&literal.value, *b"{{") {
        diagnostics.push(
            Diagnostic::error(
                Code::TemplateSyntax,
                "`{{ }}` templates are expanded only in `env` values",
            )
            .at(literal.span_of(at..at + 2))
            .with_help("move the value into the component's `env { }` block"),
        );
        return false;
    }
    true
}
