//! Lowers one `component` block: its attributes here, each nested block by
//! the module named after it. Rules across components are in `cross.rs`.

use super::build::build;
use super::cluster::{self, ClusterDraft};
use super::command::command;
use super::deploy::deploy;
use super::env::{env, EnvSource};
use super::fields::{self, Fields, Schema};
use super::file_objects::Kind;
use super::file_references::{self, FileReferencesDraft};
use super::fixtures::{fixture, Owner};
use super::health::health;
use super::images::{default_image_problem, image};
use super::kpi::kpi;
use super::labels;
use super::names::{check_name, is_valid_name};
use super::pass_through::PassThrough;
use super::pass_through_scope::PassScope;
use super::ports::{self, DeclaredPorts};
use super::route::route;
use super::test_suite::test_suite;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{Build, Command, Deploy, Fixture, Health, Kpi, Route, TestSuite};
use crate::source::FileId;
use crate::syntax::ast::{Block, Ident, ValueKind};
use camino::Utf8Path;

const COMPONENT: Schema = Schema {
    what: "a component",
    attributes: &[
        "image",
        "build",
        "command",
        "ports",
        "depends_on",
        cluster::ATTRIBUTES[0],
        cluster::ATTRIBUTES[1],
        file_references::ATTRIBUTES[0],
        file_references::ATTRIBUTES[1],
    ],
    blocks: &[
        "health",
        "env",
        "fixtures",
        "test",
        "route",
        "deploy",
        "kpi",
        "resources",
        "compose",
    ],
};

/// Names templates use for their own context.
const RESERVED: &[&str] = &["env", "stack", "self", "components"];

/// One component after local checks; names of other components are still
/// unresolved (they are checked once every component is known).
pub struct ComponentDraft<'a> {
    pub name: &'a Ident,
    /// The `component` block, for rules that relate its blocks (`routing`).
    pub block: &'a Block,
    pub file: FileId,
    /// As written, or `STACK/NAME`; the registry is prefixed later.
    pub image: String,
    pub build: Option<Build>,
    pub command: Option<Command>,
    pub ports: DeclaredPorts,
    pub depends_on: Vec<Ident>,
    /// Every name `depends_on` lists, quoted ones included (a mistake
    /// already reported): templates naming one are not reported again.
    pub listed: Vec<String>,
    /// `depends_on` had an error: the dependencies the spec meant are not
    /// known, so rules that rely on them (a template naming a component
    /// outside them, fixtures loaded into one) say nothing more.
    pub depends_on_invalid: bool,
    pub health: Option<Health>,
    pub env: Vec<(&'a Ident, EnvSource<'a>)>,
    /// Each loader with the label naming its target.
    pub fixtures: Vec<(Fixture, Ident)>,
    pub tests: Vec<TestSuite>,
    pub routes: Vec<Route>,
    pub deploy: Option<Deploy>,
    pub kpi: Option<Kpi>,
    /// `replicas`, `resources`, `placement` and `secrets`.
    pub cluster: ClusterDraft,
    /// `secrets` and `configs` as written, and what they resolve to.
    pub references: FileReferencesDraft,
    pub compose: PassThrough,
}

/// Where a component is declared: its file, that file's text (literals
/// are read as written) and the workspace root (build contexts are
/// checked on disk).
#[derive(Clone, Copy)]
pub struct Origin<'a> {
    pub file: FileId,
    pub text: &'a str,
    pub root: &'a Utf8Path,
    /// The declared secrets and configs (a refused pass-through `secrets`
    /// says whether to declare one or list it).
    pub declared: &'a [(Kind, &'a str)],
}

/// Checks the component `name` declared by `block` at `origin`, in a stack
/// named `stack`.
pub fn lower<'a>(
    name: &'a Ident,
    origin: Origin<'a>,
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
    let fields = Fields::read(&block.items, block.span(), &COMPONENT, diagnostics);
    let mut draft = attributes(name, block, origin, &fields, stack, diagnostics);
    single_blocks(&mut draft, &fields, origin, diagnostics);
    named_blocks(&mut draft, &fields, origin, stack, diagnostics);
    draft
}

/// The draft with the component's attributes and no blocks yet.
fn attributes<'a>(
    name: &'a Ident,
    block: &'a Block,
    origin: Origin,
    fields: &Fields,
    stack: &str,
    diagnostics: &mut Diagnostics,
) -> ComponentDraft<'a> {
    let given = fields.string("image", diagnostics);
    let image = given
        .and_then(|s| image(s, diagnostics))
        .unwrap_or_else(|| format!("{stack}/{}", name.name));
    // With a name already reported, its default image says nothing new.
    if given.is_none() && is_valid_name(stack) && is_valid_name(&name.name) {
        check_default_image(name, &image, diagnostics);
    }
    let build = fields
        .value("build", diagnostics)
        .and_then(|v| build(v, origin.root, diagnostics));
    let command = fields
        .value("command", diagnostics)
        .and_then(|v| command(v, diagnostics));
    let mut ports = ports::declared(fields, diagnostics);
    ports.invalid |= fields.misspelt("ports");
    let errors_before = diagnostics.error_count();
    let (depends_on, listed) = dependencies(fields, diagnostics);
    ComponentDraft {
        name,
        block,
        file: origin.file,
        image,
        build,
        command,
        ports,
        depends_on,
        listed,
        depends_on_invalid: diagnostics.error_count() > errors_before
            || fields.misspelt("depends_on"),
        health: None,
        env: Vec::new(),
        fixtures: Vec::new(),
        tests: Vec::new(),
        routes: Vec::new(),
        deploy: None,
        kpi: None,
        cluster: ClusterDraft::default(),
        references: file_references::read(fields, diagnostics),
        compose: PassThrough::default(),
    }
}

/// The dependencies named, each once, and every name listed (quoted ones
/// too, which are reported).
/// Reports a default image (`STACK/NAME`) Docker would refuse.
fn check_default_image(name: &Ident, image: &str, diagnostics: &mut Diagnostics) {
    if let Some(problem) = default_image_problem(image) {
        diagnostics.push(
            Diagnostic::error(
                Code::InvalidName,
                format!("the default image `{image}` is not one Docker takes"),
            )
            .at(name.span)
            .with_label(problem)
            .with_help("give the component an `image`, or a name that ends in a letter or digit, without `___`"),
        );
    }
}

fn dependencies(fields: &Fields, diagnostics: &mut Diagnostics) -> (Vec<Ident>, Vec<String>) {
    let listed = match fields.attribute("depends_on").map(|a| &a.value.kind) {
        Some(ValueKind::List(items)) => items
            .iter()
            .filter_map(|item| match &item.kind {
                ValueKind::Ident(name) => Some(name.to_string()),
                ValueKind::String(s) => Some(s.value.to_string()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
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
    (out, listed)
}

/// The blocks a component has at most one of, without a label.
fn single_blocks<'a>(
    draft: &mut ComponentDraft<'a>,
    fields: &Fields<'a>,
    origin: Origin<'a>,
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
        draft.env = env(block, origin.text, diagnostics);
    }
    if let Some(block) = single("deploy", diagnostics) {
        draft.deploy = deploy(block, diagnostics);
    }
    if let Some(block) = single("kpi", diagnostics) {
        draft.kpi = kpi(block, diagnostics);
    }
    draft.cluster = cluster::cluster(fields, single("resources", diagnostics), diagnostics);
    if let Some(block) = single("compose", diagnostics) {
        let routed = fields.blocks.iter().any(|b| b.kind.name == "route");
        let scope = PassScope::service(
            &draft.name.name,
            !draft.ports.ports.is_empty(),
            routed,
            origin.declared,
        );
        draft.compose = PassThrough::lower(block, &scope, diagnostics);
    }
}

/// The blocks a component may have several of, each named by its label:
/// `fixtures DEPENDENCY`, `test NAME`, `route NAME`.
fn named_blocks<'a>(
    draft: &mut ComponentDraft<'a>,
    fields: &Fields<'a>,
    origin: Origin,
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
            diagnostics.push(block_defined_twice(kind, label, first, draft.name));
            continue;
        }
        seen.push((kind, label));
        let component = &draft.name.name;
        match kind {
            "fixtures" => {
                let owner = Owner {
                    component,
                    stack,
                    root: origin.root,
                };
                if let Some(fixture) = fixture(owner, label, block, diagnostics) {
                    draft.fixtures.push((fixture, label.clone()));
                }
            }
            "test" => draft.tests.extend(test_suite(label, block, diagnostics)),
            _ => draft
                .routes
                .extend(route(label, block, &draft.ports, diagnostics)),
        }
    }
    // Grown one at a time, each list held room for four: they live as long
    // as the draft and the Model.
    draft.fixtures.shrink_to_fit();
    draft.tests.shrink_to_fit();
    draft.routes.shrink_to_fit();
}

/// A `kind` block named `label` twice in component `component`.
fn block_defined_twice(kind: &str, label: &Ident, first: &Ident, component: &Ident) -> Diagnostic {
    let what = match kind {
        "fixtures" => format!("fixtures for `{}` are", label.name),
        "test" => format!("test suite `{}` is", label.name),
        _ => format!("route `{}` is", label.name),
    };
    fields::defined_twice(
        format!("{what} defined twice in component `{}`", component.name),
        label.span,
        Some(first.span),
    )
    .with_help("rename or remove one of them")
}
