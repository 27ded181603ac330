//! The names a `{{ }}` body refers to, checked against the template context
//! with the exact column of a bad one.

use std::ops::Range;

use super::lex::{Token, KEYWORDS};
use super::scope::Scope;
use super::Checked;
use crate::analyse::closed_set;
use crate::diagnostic::{did_you_mean, Code, Diagnostic, Diagnostics};
use crate::model::TEST_ENVIRONMENT;
use crate::syntax::ast::StringLit;

const ENV_FIELDS: &[&str] = &["name", "host", "vars"];
const STACK_FIELDS: &[&str] = &["name", "registry"];
const COMPONENT_FIELDS: &[&str] = &["name", "host", "image", "ports", "published"];

/// One step of a reference (`env`, `vars`, `"web-ui"`) and its byte range.
type Segment<'t> = (&'t str, Range<usize>);

/// Checks every reference among the tokens of one `{{ }}` body; adds the
/// components it names to `checked`.
pub fn check_tokens(
    tokens: &[(Token, Range<usize>)],
    literal: &StringLit,
    self_name: &str,
    scope: &Scope,
    diagnostics: &mut Diagnostics,
    checked: &mut Checked,
) {
    let mut check = PathCheck {
        literal,
        self_name,
        scope,
        defaulted: false,
        diagnostics,
        checked,
    };
    let mut i = 0;
    while let Some((token, range)) = tokens.get(i) {
        let previous = i.checked_sub(1).and_then(|p| tokens.get(p)).map(|t| &t.0);
        let next = tokens.get(i + 1).map(|t| &t.0);
        let Token::Ident(name) = token else {
            i += 1;
            continue;
        };
        let skip = KEYWORDS.contains(name)
            || matches!(previous, Some(Token::Punct('|' | '.')))
            || matches!(previous, Some(Token::Ident("is")))
            || matches!(next, Some(Token::Punct('(')));
        if skip {
            i += 1;
            continue;
        }
        let (path, end) = read_path(tokens, i, (name, range.clone()));
        // `| default(...)` covers a variable some environments leave out.
        check.defaulted = matches!(
            (tokens.get(end), tokens.get(end + 1)),
            (
                Some((Token::Punct('|'), _)),
                Some((Token::Ident("default" | "d"), _))
            )
        );
        check.path(&path);
        i = end;
    }
}

/// A path starting with `root` at token `start`: name (.field | ["key"])*,
/// stopping before a method call. Returns it and the index of the token
/// after it.
fn read_path<'t>(
    tokens: &'t [(Token, Range<usize>)],
    start: usize,
    root: Segment<'t>,
) -> (Vec<Segment<'t>>, usize) {
    let mut path = vec![root];
    let mut j = start + 1;
    loop {
        match (tokens.get(j), tokens.get(j + 1), tokens.get(j + 2)) {
            (Some((Token::Punct('.'), _)), Some((Token::Ident(field), r)), after) => {
                if matches!(after, Some((Token::Punct('('), _))) {
                    break;
                }
                path.push((field, r.clone()));
                j += 2;
            }
            (
                Some((Token::Punct('['), _)),
                Some((Token::Str(key), r)),
                Some((Token::Punct(']'), _)),
            ) => {
                path.push((key.as_str(), r.clone()));
                j += 3;
            }
            _ => break,
        }
    }
    (path, j)
}

/// What a path is checked against, and where findings go.
struct PathCheck<'a, 'd> {
    literal: &'a StringLit,
    self_name: &'a str,
    scope: &'a Scope<'a>,
    /// The path is followed by `| default(...)`.
    defaulted: bool,
    diagnostics: &'d mut Diagnostics,
    checked: &'d mut Checked,
}

impl PathCheck<'_, '_> {
    fn path(&mut self, path: &[Segment]) {
        let Some(&(root, ref root_range)) = path.first() else {
            return;
        };
        let rest = path.get(1..).unwrap_or(&[]);
        match root {
            "env" => self.env(rest),
            "stack" => self.stack(rest),
            "self" => {
                // `self.name` reads alike in every component; its ports do not.
                if rest
                    .first()
                    .is_some_and(|(field, _)| matches!(*field, "ports" | "published"))
                {
                    self.checked.self_dependent = true;
                }
                self.component(self.self_name, "self", rest);
            }
            "components" => self.components(rest),
            name if self.scope.components.contains_key(name) => {
                self.refer(name, root_range);
                self.component(name, name, rest);
            }
            name => {
                self.checked.self_dependent = true;
                let listed = self
                    .scope
                    .listed_dependencies
                    .get(self.self_name)
                    .is_some_and(|listed| listed.iter().any(|d| d == name));
                if !listed {
                    self.unknown_root(name, root_range);
                }
            }
        }
    }

    /// `env.FIELD`.
    fn env(&mut self, rest: &[Segment]) {
        let Some(&(name, ref range)) = rest.first() else {
            return;
        };
        if !ENV_FIELDS.contains(&name) {
            return self.fail(
                range,
                format!("`env` has no field `{name}`"),
                closed_set::help(name, ENV_FIELDS, "fields of `env`"),
            );
        }
        if name == "vars" {
            self.env_var(rest.get(1..).unwrap_or(&[]));
        } else if let Some((extra, range)) = rest.get(1) {
            self.fail(
                range,
                format!("`env.{name}` is a string; it has no field `{extra}`"),
                None,
            );
        }
    }

    /// `env.vars.NAME`: defined in every environment, or defaulted.
    fn env_var(&mut self, rest: &[Segment]) {
        let Some(&(var, ref range)) = rest.first() else {
            return;
        };
        if self.scope.in_doubt.vars.contains(var) {
            return;
        }
        let Some(defined) = self.scope.env_vars.get(var) else {
            let names: Vec<&str> = self.scope.env_vars.keys().map(String::as_str).collect();
            return self.fail(
                range,
                format!("no environment defines the variable `{var}`"),
                help_for(var, &names),
            );
        };
        let missing: Vec<&str> = self
            .scope
            .environments
            .iter()
            .filter(|e| !defined.contains(*e))
            .map(String::as_str)
            .collect();
        if !missing.is_empty() && !self.defaulted {
            let help = self.missing_var_help(var, &missing);
            self.fail(
                range,
                format!(
                    "the variable `{var}` is not defined in environment{} `{}`",
                    if missing.len() == 1 { "" } else { "s" },
                    missing.join("`, `")
                ),
                Some(help),
            );
        } else if let Some((extra, range)) = rest.get(1) {
            self.fail(
                range,
                format!("`env.vars.{var}` is a string; it has no field `{extra}`"),
                None,
            );
        }
    }

    fn missing_var_help(&self, var: &str, missing: &[&str]) -> String {
        if self.scope.implicit_test && missing.contains(&TEST_ENVIRONMENT) {
            format!("declare `environment test {{ vars {{ {var} = \"...\" }} }}` (test stacks use it), and add `{var}` to the `vars` of every environment, or write `{{{{ env.vars.{var} | default(\"...\") }}}}`")
        } else {
            format!("add `{var}` to the `vars` of every environment, or write `{{{{ env.vars.{var} | default(\"...\") }}}}`")
        }
    }

    /// `stack.FIELD`.
    fn stack(&mut self, rest: &[Segment]) {
        let Some(&(name, ref range)) = rest.first() else {
            return;
        };
        if !STACK_FIELDS.contains(&name) {
            self.fail(
                range,
                format!("`stack` has no field `{name}`"),
                closed_set::help(name, STACK_FIELDS, "fields of `stack`"),
            );
        } else if name == "registry" && !self.scope.has_registry {
            self.fail(
                range,
                "the stack sets no `registry`".into(),
                Some("add `registry = \"...\"` to the `stack` block".into()),
            );
        } else if let Some((extra, range)) = rest.get(1) {
            self.fail(
                range,
                format!("`stack.{name}` is a string; it has no field `{extra}`"),
                None,
            );
        }
    }

    /// `components["NAME"]...`.
    fn components(&mut self, rest: &[Segment]) {
        let Some(&(name, ref range)) = rest.first() else {
            return;
        };
        if self.scope.components.contains_key(name) {
            self.refer(name, range);
            self.component(
                name,
                &format!("components[\"{name}\"]"),
                rest.get(1..).unwrap_or(&[]),
            );
        } else {
            self.fail(
                range,
                format!("there is no component `{name}`"),
                help_for(name, &self.scope.component_names),
            );
        }
    }

    /// The fields of a component, `shown` as the template wrote it.
    fn component(&mut self, component: &str, shown: &str, rest: &[Segment]) {
        let Some(&(name, ref range)) = rest.first() else {
            return;
        };
        if !COMPONENT_FIELDS.contains(&name) {
            return self.fail(
                range,
                format!("`{shown}` has no field `{name}`"),
                closed_set::help(name, COMPONENT_FIELDS, "fields of a component"),
            );
        }
        if name == "ports" || name == "published" {
            self.port(component, name == "published", rest.get(1..).unwrap_or(&[]));
        } else if let Some((extra, range)) = rest.get(1) {
            self.fail(
                range,
                format!("`{shown}.{name}` is a string; it has no field `{extra}`"),
                None,
            );
        }
    }

    /// `COMPONENT.ports.NAME` (the container port), or with `published`
    /// `COMPONENT.published.NAME` (the host port it is published on).
    fn port(&mut self, component: &str, published: bool, rest: &[Segment]) {
        let Some(&(port, ref range)) = rest.first() else {
            return;
        };
        if self.scope.in_doubt.ports.contains(component) {
            return;
        }
        let shape = self.scope.components.get(component);
        let declared: &[&str] = shape.map_or(&[], |s| &s.declared);
        if !declared.contains(&port) {
            let help = closed_set::help(port, declared, &format!("ports of `{component}`"))
                .unwrap_or_else(|| format!("`{component}` declares no ports"));
            return self.fail(
                range,
                format!("`{component}` has no port `{port}`"),
                Some(help),
            );
        }
        if published && !shape.is_some_and(|s| s.published.contains(&port)) {
            return self.fail(
                range,
                format!("`{component}`'s port `{port}` is not published"),
                Some(format!(
                    "`published` holds the host ports of published ports; use `ports.{port}` for the port other components reach, or publish it"
                )),
            );
        }
        if let Some((extra, range)) = rest.get(1) {
            self.fail(
                range,
                format!("a port is a number; it has no field `{extra}`"),
                None,
            );
        }
    }

    /// A name that is none of the roots templates see.
    fn unknown_root(&mut self, name: &str, range: &Range<usize>) {
        let mut roots: Vec<&str> = vec!["env", "stack", "self", "components"];
        roots.extend(self.scope.component_names.iter().copied());
        // `web-ui` lexes as `web - ui`: point the user at `components["web-ui"]`.
        let dashed = self
            .scope
            .component_names
            .iter()
            .find(|c| c.starts_with(&format!("{name}-")));
        let help = match dashed {
            Some(full) => Some(format!(
                "names with `-` are written `components[\"{full}\"]`"
            )),
            None => help_for(name, &roots).or_else(|| {
                Some("templates see `env`, `stack`, `self` and every component by name".into())
            }),
        };
        self.fail(range, format!("`{name}` is not defined in templates"), help);
    }

    /// Notes a reference to a component (`self`'s own name included: the
    /// caller leaves it out, so the result holds for any component).
    fn refer(&mut self, name: &str, range: &Range<usize>) {
        self.checked
            .referenced
            .push((name.to_string(), range.clone()));
    }

    fn fail(&mut self, range: &Range<usize>, message: String, help: Option<String>) {
        let mut diagnostic = Diagnostic::error(Code::UnknownTemplateReference, message)
            .at(self.literal.span_of(range.clone()))
            .with_label("not in the template context");
        if let Some(help) = help {
            diagnostic = diagnostic.with_help(help);
        }
        self.diagnostics.push(diagnostic);
    }
}

fn help_for(name: &str, candidates: &[&str]) -> Option<String> {
    did_you_mean(name, candidates.iter().copied()).map(|c| format!("did you mean `{c}`?"))
}
