//! `{{ }}` templates: checked against the context they will see, with the
//! exact column of a bad reference, then rendered once per environment.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use minijinja::value::{Object, Value as JinjaValue};
use minijinja::{Environment as Jinja, UndefinedBehavior};

use crate::diagnostic::{did_you_mean, Code, Diagnostic, Diagnostics};
use crate::source::Span;
use crate::syntax::ast::StringLit;

/// What a template may refer to: the names and shapes of the context.
pub struct Scope {
    /// Component name → its port names.
    pub components: BTreeMap<String, Vec<String>>,
    /// Environment names, in order.
    pub environments: Vec<String>,
    /// Environment variable name → environments that define it.
    pub env_vars: BTreeMap<String, BTreeSet<String>>,
    pub has_registry: bool,
    /// The `test` environment was added by stackc, not declared.
    pub implicit_test: bool,
    /// Component name → the names its `depends_on` lists, known or not:
    /// a template naming an unknown dependency is already reported (E0102).
    pub listed_dependencies: BTreeMap<String, Vec<String>>,
}

const ENV_FIELDS: &[&str] = &["name", "host", "vars"];
const STACK_FIELDS: &[&str] = &["name", "registry"];
const COMPONENT_FIELDS: &[&str] = &["name", "host", "image", "ports"];
const KEYWORDS: &[&str] = &[
    "and", "or", "not", "in", "is", "if", "else", "true", "false", "none", "True", "False", "None",
    "loop",
];

pub fn has_template(value: &str) -> bool {
    value.contains("{{") || value.contains("{%") || value.contains("{#")
}

/// Checks every reference in the string's templates. Returns the
/// components it refers to (other than through `self`), with their spans.
pub fn check(
    literal: &StringLit,
    self_name: &str,
    scope: &Scope,
    diagnostics: &mut Diagnostics,
) -> Vec<(String, Span)> {
    let value = &literal.value;
    let mut referenced = Vec::new();
    let mut search_from = 0;
    while let Some(open) = value
        .get(search_from..)
        .and_then(|r| r.find("{{"))
        .map(|i| i + search_from)
    {
        let body_start = open + 2;
        let Some(close) = value
            .get(body_start..)
            .and_then(|r| r.find("}}"))
            .map(|i| i + body_start)
        else {
            diagnostics.push(
                Diagnostic::error(Code::TemplateSyntax, "`{{` is not closed with `}}`")
                    .at(literal.span_of(open..open + 2))
                    .with_help(
                        "close the expression with `}}`; write `{{ \"{{\" }}` for literal braces",
                    ),
            );
            return referenced;
        };
        let tokens = lex(value, body_start, close);
        check_tokens(
            &tokens,
            literal,
            self_name,
            scope,
            diagnostics,
            &mut referenced,
        );
        search_from = close + 2;
    }
    if let Some(at) = value.find("{%").or_else(|| value.find("{#")) {
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
    referenced
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Str(String),
    Punct(char),
    Other,
}

/// Tokens of one `{{ }}` body with their byte ranges in `value`.
fn lex(value: &str, start: usize, end: usize) -> Vec<(Token, std::ops::Range<usize>)> {
    let mut tokens = Vec::new();
    let text = value.get(start..end).unwrap_or("");
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let from = start + at;
        if c.is_whitespace() {
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let mut to = at + c.len_utf8();
            while let Some(&(i, n)) = chars.peek() {
                if n.is_ascii_alphanumeric() || n == '_' {
                    to = i + n.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            tokens.push((Token::Ident(text[at..to].to_string()), from..start + to));
        } else if c == '"' || c == '\'' {
            let mut to = text.len();
            let mut content = String::new();
            let mut escaped = false;
            for (i, n) in chars.by_ref() {
                if escaped {
                    content.push(n);
                    escaped = false;
                } else if n == '\\' {
                    escaped = true;
                } else if n == c {
                    to = i + 1;
                    break;
                } else {
                    content.push(n);
                }
            }
            tokens.push((Token::Str(content), from..start + to));
        } else if matches!(c, '.' | '[' | ']' | '(' | ')' | '|') {
            tokens.push((Token::Punct(c), from..from + 1));
        } else {
            tokens.push((Token::Other, from..from + c.len_utf8()));
        }
    }
    tokens
}

fn check_tokens(
    tokens: &[(Token, std::ops::Range<usize>)],
    literal: &StringLit,
    self_name: &str,
    scope: &Scope,
    diagnostics: &mut Diagnostics,
    referenced: &mut Vec<(String, Span)>,
) {
    let mut i = 0;
    while let Some((token, range)) = tokens.get(i) {
        let previous = i.checked_sub(1).and_then(|p| tokens.get(p)).map(|t| &t.0);
        let next = tokens.get(i + 1).map(|t| &t.0);
        let Token::Ident(name) = token else {
            i += 1;
            continue;
        };
        let skip = KEYWORDS.contains(&name.as_str())
            || matches!(previous, Some(Token::Punct('|' | '.')))
            || matches!(previous, Some(Token::Ident(p)) if p == "is")
            || matches!(next, Some(Token::Punct('(')));
        if skip {
            i += 1;
            continue;
        }
        // A path: name (.field | ["key"])*, stopping before a method call.
        let mut path = vec![(name.clone(), range.clone())];
        let mut j = i + 1;
        loop {
            match (tokens.get(j), tokens.get(j + 1), tokens.get(j + 2)) {
                (Some((Token::Punct('.'), _)), Some((Token::Ident(field), r)), after) => {
                    if matches!(after, Some((Token::Punct('('), _))) {
                        break;
                    }
                    path.push((field.clone(), r.clone()));
                    j += 2;
                }
                (
                    Some((Token::Punct('['), _)),
                    Some((Token::Str(key), r)),
                    Some((Token::Punct(']'), _)),
                ) => {
                    path.push((key.clone(), r.clone()));
                    j += 3;
                }
                _ => break,
            }
        }
        // `| default(...)` covers a variable some environments leave out.
        let defaulted = matches!(
            (tokens.get(j), tokens.get(j + 1)),
            (Some((Token::Punct('|'), _)), Some((Token::Ident(filter), _))) if filter == "default" || filter == "d"
        );
        let context = PathContext {
            literal,
            self_name,
            scope,
            defaulted,
        };
        check_path(&path, &context, diagnostics, referenced);
        i = j;
    }
}

/// What a path is checked against.
struct PathContext<'a> {
    literal: &'a StringLit,
    self_name: &'a str,
    scope: &'a Scope,
    /// The path is followed by `| default(...)`.
    defaulted: bool,
}

fn check_path(
    path: &[(String, std::ops::Range<usize>)],
    context: &PathContext,
    diagnostics: &mut Diagnostics,
    referenced: &mut Vec<(String, Span)>,
) {
    let PathContext {
        literal,
        self_name,
        scope,
        defaulted,
    } = *context;
    let Some((root, root_range)) = path.first() else {
        return;
    };
    let at = |range: &std::ops::Range<usize>| literal.span_of(range.clone());
    let mut fail = |range: &std::ops::Range<usize>, message: String, help: Option<String>| {
        let mut diagnostic = Diagnostic::error(Code::UnknownTemplateReference, message)
            .at(at(range))
            .with_label("not in the template context");
        if let Some(help) = help {
            diagnostic = diagnostic.with_help(help);
        }
        diagnostics.push(diagnostic);
    };
    let field = |index: usize| path.get(index);
    match root.as_str() {
        "env" => {
            let Some((name, range)) = field(1) else {
                return;
            };
            if !ENV_FIELDS.contains(&name.as_str()) {
                return fail(
                    range,
                    format!("`env` has no field `{name}`"),
                    help_for(name, ENV_FIELDS),
                );
            }
            if name == "vars" {
                let Some((var, range)) = field(2) else { return };
                match scope.env_vars.get(var) {
                    None => {
                        let names: Vec<&str> = scope.env_vars.keys().map(String::as_str).collect();
                        fail(
                            range,
                            format!("no environment defines the variable `{var}`"),
                            help_for(var, &names),
                        )
                    }
                    Some(defined) => {
                        let missing: Vec<&str> = scope
                            .environments
                            .iter()
                            .filter(|e| !defined.contains(*e))
                            .map(String::as_str)
                            .collect();
                        if !missing.is_empty() && !defaulted {
                            fail(
                                range,
                                format!(
                                    "the variable `{var}` is not defined in environment{} `{}`",
                                    if missing.len() == 1 { "" } else { "s" },
                                    missing.join("`, `")
                                ),
                                Some(
                                    if scope.implicit_test
                                        && missing.contains(&crate::model::TEST_ENVIRONMENT)
                                    {
                                        format!("declare `environment test {{ vars {{ {var} = \"...\" }} }}` (test stacks use it), and add `{var}` to the `vars` of every environment, or write `{{{{ env.vars.{var} | default(\"...\") }}}}`")
                                    } else {
                                        format!("add `{var}` to the `vars` of every environment, or write `{{{{ env.vars.{var} | default(\"...\") }}}}`")
                                    },
                                ),
                            );
                        } else if let Some((extra, range)) = field(3) {
                            fail(
                                range,
                                format!("`env.vars.{var}` is a string; it has no field `{extra}`"),
                                None,
                            );
                        }
                    }
                }
            } else if let Some((extra, range)) = field(2) {
                fail(
                    range,
                    format!("`env.{name}` is a string; it has no field `{extra}`"),
                    None,
                );
            }
        }
        "stack" => {
            let Some((name, range)) = field(1) else {
                return;
            };
            if !STACK_FIELDS.contains(&name.as_str()) {
                fail(
                    range,
                    format!("`stack` has no field `{name}`"),
                    help_for(name, STACK_FIELDS),
                );
            } else if name == "registry" && !scope.has_registry {
                fail(
                    range,
                    "the stack sets no `registry`".into(),
                    Some("add `registry = \"...\"` to the `stack` block".into()),
                );
            } else if let Some((extra, range)) = field(2) {
                fail(
                    range,
                    format!("`stack.{name}` is a string; it has no field `{extra}`"),
                    None,
                );
            }
        }
        "self" => check_component(
            self_name,
            "self",
            path.get(1..).unwrap_or(&[]),
            scope,
            &mut fail,
        ),
        "components" => {
            let Some((name, range)) = field(1) else {
                return;
            };
            if scope.components.contains_key(name) {
                if name != self_name {
                    referenced.push((name.clone(), at(range)));
                }
                check_component(
                    name,
                    &format!("components[\"{name}\"]"),
                    path.get(2..).unwrap_or(&[]),
                    scope,
                    &mut fail,
                );
            } else {
                let names: Vec<&str> = scope.components.keys().map(String::as_str).collect();
                fail(
                    range,
                    format!("there is no component `{name}`"),
                    help_for(name, &names),
                );
            }
        }
        name if scope.components.contains_key(name) => {
            if name != self_name {
                referenced.push((name.to_string(), at(root_range)));
            }
            check_component(name, name, path.get(1..).unwrap_or(&[]), scope, &mut fail);
        }
        name if scope
            .listed_dependencies
            .get(self_name)
            .is_some_and(|listed| listed.iter().any(|d| d == name)) => {}
        name => {
            let mut roots: Vec<&str> = vec!["env", "stack", "self", "components"];
            roots.extend(scope.components.keys().map(String::as_str));
            // `web-ui` lexes as `web - ui`: point the user at `components["web-ui"]`.
            let dashed = scope
                .components
                .keys()
                .find(|c| c.starts_with(&format!("{name}-")));
            let help = match dashed {
                Some(full) => Some(format!(
                    "names with `-` are written `components[\"{full}\"]`"
                )),
                None => help_for(name, &roots).or_else(|| {
                    Some("templates see `env`, `stack`, `self` and every component by name".into())
                }),
            };
            fail(
                root_range,
                format!("`{name}` is not defined in templates"),
                help,
            );
        }
    }
}

fn check_component(
    component: &str,
    shown: &str,
    rest: &[(String, std::ops::Range<usize>)],
    scope: &Scope,
    fail: &mut impl FnMut(&std::ops::Range<usize>, String, Option<String>),
) {
    let Some((name, range)) = rest.first() else {
        return;
    };
    if !COMPONENT_FIELDS.contains(&name.as_str()) {
        return fail(
            range,
            format!("`{shown}` has no field `{name}`"),
            help_for(name, COMPONENT_FIELDS),
        );
    }
    if name == "ports" {
        let Some((port, range)) = rest.get(1) else {
            return;
        };
        let ports: Vec<&str> = scope
            .components
            .get(component)
            .map(|p| p.iter().map(String::as_str).collect())
            .unwrap_or_default();
        if !ports.contains(&port.as_str()) {
            let help = help_for(port, &ports).or_else(|| {
                Some(if ports.is_empty() {
                    format!("`{component}` declares no ports")
                } else {
                    format!("`{component}` declares `{}`", ports.join("`, `"))
                })
            });
            return fail(range, format!("`{component}` has no port `{port}`"), help);
        }
        if let Some((extra, range)) = rest.get(2) {
            fail(
                range,
                format!("a port is a number; it has no field `{extra}`"),
                None,
            );
        }
    } else if let Some((extra, range)) = rest.get(1) {
        fail(
            range,
            format!("`{shown}.{name}` is a string; it has no field `{extra}`"),
            None,
        );
    }
}

fn help_for(name: &str, candidates: &[&str]) -> Option<String> {
    did_you_mean(name, candidates.iter().copied()).map(|c| format!("did you mean `{c}`?"))
}

/// Renders templates with one shared context per environment.
pub struct Renderer {
    jinja: Jinja<'static>,
}

impl Default for Renderer {
    fn default() -> Self {
        let mut jinja = Jinja::new();
        jinja.set_undefined_behavior(UndefinedBehavior::Strict);
        jinja.set_keep_trailing_newline(true);
        Renderer { jinja }
    }
}

/// The template context of one component: `self` plus the shared context.
#[derive(Debug)]
struct ComponentContext {
    shared: JinjaValue,
    this: JinjaValue,
}

impl Object for ComponentContext {
    fn get_value(self: &Arc<Self>, key: &JinjaValue) -> Option<JinjaValue> {
        if key.as_str() == Some("self") {
            return Some(self.this.clone());
        }
        self.shared.get_item(key).ok().filter(|v| !v.is_undefined())
    }
}

impl Renderer {
    /// Renders `source` (the protected value of `literal`) for one context.
    pub fn render(
        &self,
        source: &str,
        literal: &StringLit,
        shared: &JinjaValue,
        this: &JinjaValue,
        environment: &str,
    ) -> Result<String, Diagnostic> {
        let context = JinjaValue::from_object(ComponentContext {
            shared: shared.clone(),
            this: this.clone(),
        });
        self.jinja.render_str(source, context).map_err(|error| {
            let detail = error.detail().unwrap_or("").to_string();
            let message = if detail.is_empty() {
                format!("this template cannot be rendered for environment `{environment}`: {}", error.kind())
            } else {
                format!("this template cannot be rendered for environment `{environment}`: {detail}")
            };
            Diagnostic::error(Code::TemplateSyntax, message)
                .at(literal.span)
                .with_help("templates are minijinja expressions over `env`, `stack`, `self` and the components")
        })
    }
}

/// Builds `{ name, host, image, ports }` for one component.
pub fn component_value(name: &str, image: &str, ports: &[(String, u16)]) -> JinjaValue {
    let ports: BTreeMap<String, JinjaValue> = ports
        .iter()
        .map(|(n, p)| (n.clone(), JinjaValue::from(*p)))
        .collect();
    let mut map = BTreeMap::new();
    map.insert("name".to_string(), JinjaValue::from(name));
    map.insert("host".to_string(), JinjaValue::from(name));
    map.insert("image".to_string(), JinjaValue::from(image));
    map.insert("ports".to_string(), JinjaValue::from(ports));
    JinjaValue::from(map)
}
