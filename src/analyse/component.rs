//! Lowers one `component` block: its attributes here, each nested block by
//! the module named after it. Rules across components are in `cross.rs`.

use super::deploy::deploy;
use super::env::{env, EnvSource};
use super::fields::{Fields, Schema};
use super::fixtures::fixture;
use super::health::health;
use super::images::image;
use super::kpi::kpi;
use super::labels;
use super::names::check_name;
use super::pass_through::PassThrough;
use super::pass_through_scope::PassScope;
use super::paths::relative_path;
use super::ports::{self, DeclaredPorts};
use super::route::route;
use super::test_suite::test_suite;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{Deploy, Fixture, Health, Kpi, Route, TestSuite};
use crate::source::FileId;
use crate::syntax::ast::{Block, Ident};

const COMPONENT: Schema = Schema {
    what: "a component",
    attributes: &["image", "build", "ports", "depends_on"],
    blocks: &[
        "health", "env", "fixtures", "test", "route", "deploy", "kpi", "compose",
    ],
};

/// Names templates use for their own context.
const RESERVED: &[&str] = &["env", "stack", "self", "components"];

/// One component after local checks; names of other components are still
/// unresolved (they are checked once every component is known).
pub struct ComponentDraft<'a> {
    pub name: &'a Ident,
    pub file: FileId,
    /// As written, or `STACK/NAME`; the registry is prefixed later.
    pub image: String,
    pub build: Option<String>,
    pub ports: DeclaredPorts,
    pub depends_on: Vec<Ident>,
    pub health: Option<Health>,
    pub env: Vec<(&'a Ident, EnvSource<'a>)>,
    /// Each loader with the label naming its target.
    pub fixtures: Vec<(Fixture, Ident)>,
    pub tests: Vec<TestSuite>,
    pub routes: Vec<Route>,
    pub deploy: Option<Deploy>,
    pub kpi: Option<Kpi>,
    pub compose: PassThrough,
}

/// Checks the component `name` declared by `block` in `file`, in a stack
/// named `stack`.
pub fn lower<'a>(
    name: &'a Ident,
    file: FileId,
    block: &'a Block,
    stack: &str,
    diagnostics: &mut Diagnostics,
) -> ComponentDraft<'a> {
    if check_name(name, "component", diagnostics) && RESERVED.contains(&name.name.as_str()) {
        diagnostics.push(
            Diagnostic::error(Code::InvalidName, format!("`{}` is reserved", name.name))
                .at(name.span)
                .with_help("templates use `env`, `stack`, `self` and `components` for themselves; choose another name"),
        );
    }
    let fields = Fields::read(&block.items, block.span, &COMPONENT, diagnostics);
    let mut draft = attributes(name, file, &fields, stack, diagnostics);
    single_blocks(&mut draft, &fields, diagnostics);
    named_blocks(&mut draft, &fields, stack, diagnostics);
    draft
}

/// The draft with the component's attributes and no blocks yet.
fn attributes<'a>(
    name: &'a Ident,
    file: FileId,
    fields: &Fields,
    stack: &str,
    diagnostics: &mut Diagnostics,
) -> ComponentDraft<'a> {
    let image = fields
        .string("image", diagnostics)
        .and_then(|s| image(s, diagnostics))
        .unwrap_or_else(|| format!("{stack}/{}", name.name));
    let build = fields
        .string("build", diagnostics)
        .and_then(|s| relative_path(s, "build context", diagnostics));
    let ports = ports::declared(fields, diagnostics);
    let depends_on = dependencies(fields, diagnostics);
    ComponentDraft {
        name,
        file,
        image,
        build,
        ports,
        depends_on,
        health: None,
        env: Vec::new(),
        fixtures: Vec::new(),
        tests: Vec::new(),
        routes: Vec::new(),
        deploy: None,
        kpi: None,
        compose: PassThrough::default(),
    }
}

fn dependencies(fields: &Fields, diagnostics: &mut Diagnostics) -> Vec<Ident> {
    let mut out: Vec<Ident> = Vec::new();
    for dep in fields.names("depends_on", diagnostics) {
        if let Some(first) = out.iter().find(|d| d.name == dep.name) {
            diagnostics.push(
                Diagnostic::error(
                    Code::Duplicate,
                    format!("`{}` is listed twice in `depends_on`", dep.name),
                )
                .at(dep.span)
                .also(first.span, "first listed here"),
            );
        } else {
            out.push(dep);
        }
    }
    out
}

/// The blocks a component has at most one of, without a label.
fn single_blocks<'a>(
    draft: &mut ComponentDraft<'a>,
    fields: &Fields<'a>,
    diagnostics: &mut Diagnostics,
) {
    let single = |kind: &str, diagnostics: &mut Diagnostics| {
        let block = labels::at_most_once(&fields.blocks, kind, diagnostics)?;
        labels::forbidden(block, diagnostics);
        Some(block)
    };
    if let Some(block) = single("health", diagnostics) {
        draft.health = health(block, &draft.ports, diagnostics);
    }
    if let Some(block) = single("env", diagnostics) {
        draft.env = env(block, diagnostics);
    }
    if let Some(block) = single("deploy", diagnostics) {
        draft.deploy = deploy(block, diagnostics);
    }
    if let Some(block) = single("kpi", diagnostics) {
        draft.kpi = kpi(block, diagnostics);
    }
    if let Some(block) = single("compose", diagnostics) {
        let scope = PassScope::service(&draft.name.name, !draft.ports.ports.is_empty());
        draft.compose = PassThrough::lower(block, &scope, diagnostics);
    }
}

/// The blocks a component may have several of, each named by its label:
/// `fixtures DEPENDENCY`, `test NAME`, `route NAME`.
fn named_blocks<'a>(
    draft: &mut ComponentDraft<'a>,
    fields: &Fields<'a>,
    stack: &str,
    diagnostics: &mut Diagnostics,
) {
    let mut seen: Vec<(&str, &Ident)> = Vec::new();
    for block in &fields.blocks {
        let kind = block.kind.name.as_str();
        let example = match kind {
            "fixtures" => "fixtures DEPENDENCY { image = \"...\" }",
            "test" => "test NAME { runner = mocha }",
            "route" => "route NAME { host = \"example.com\" }",
            _ => continue,
        };
        let Some(label) = labels::required(block, example, diagnostics) else {
            continue;
        };
        if let Some((_, first)) = seen
            .iter()
            .find(|(k, l)| *k == kind && l.name == label.name)
        {
            diagnostics.push(defined_twice(kind, label, first, draft.name));
            continue;
        }
        seen.push((kind, label));
        let component = &draft.name.name;
        match kind {
            "fixtures" => {
                if let Some(fixture) = fixture(component, label, block, stack, diagnostics) {
                    draft.fixtures.push((fixture, label.clone()));
                }
            }
            "test" => draft.tests.extend(test_suite(label, block, diagnostics)),
            _ => draft
                .routes
                .extend(route(label, block, &draft.ports, diagnostics)),
        }
    }
}

/// A `kind` block named `label` twice in component `component`.
fn defined_twice(kind: &str, label: &Ident, first: &Ident, component: &Ident) -> Diagnostic {
    let what = match kind {
        "fixtures" => format!("fixtures for `{}` are", label.name),
        "test" => format!("test suite `{}` is", label.name),
        _ => format!("route `{}` is", label.name),
    };
    Diagnostic::error(
        Code::Duplicate,
        format!("{what} defined twice in component `{}`", component.name),
    )
    .at(label.span)
    .with_label("defined again here")
    .also(first.span, "first defined here")
    .with_help("rename or remove one of them")
}
