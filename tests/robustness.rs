//! No input makes stackc panic. Arbitrary text, soups of the language's own
//! tokens, generated well-formed files, mutated examples and arbitrary bytes
//! on disk go through parse + analyse (+ emit when a model comes out), and
//! every diagnostic is rendered. 11,000 cases in all.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use proptest::prelude::*;

use stackc::analyse::analyse;
use stackc::compile::compile;
use stackc::diagnostic::{render_human, render_json, ColorChoice, Diagnostics};
use stackc::load::Workspace;
use stackc::source::SourceMap;
use stackc::syntax::parse;

/// The files of one example: (path relative to its root, text), load order.
type Files = Vec<(String, String)>;

fn examples() -> &'static [Files] {
    static EXAMPLES: OnceLock<Vec<Files>> = OnceLock::new();
    EXAMPLES.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples");
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
            .expect("examples/")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.join("Stackfile").is_file())
            .collect();
        dirs.sort();
        let files: Vec<Files> = dirs
            .iter()
            .map(|dir| {
                let compilation = compile(dir).expect("the example loads");
                compilation
                    .workspace
                    .sources
                    .files()
                    .map(|(_, f)| (f.path.clone(), f.text.to_string()))
                    .collect()
            })
            .collect();
        assert!(files.len() >= 3, "the examples are missing");
        files
    })
}

/// Parses and analyses files held in memory, as the loader would have
/// (a file that does not parse contributes its diagnostic, not a document),
/// then renders everything and emits the model if there is one.
fn check_in_memory(files: &[(String, String)]) {
    let mut sources = SourceMap::new();
    let mut documents = Vec::new();
    let mut diagnostics = Diagnostics::new();
    for (path, text) in files {
        let file = sources.add(path.clone(), PathBuf::from(path), text.clone());
        match parse(file, text) {
            Ok(document) => documents.push((file, document)),
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    let workspace = Workspace {
        root: "/workspace".into(),
        sources,
        documents,
    };
    let (model, analysis) = analyse(&workspace);
    let analysis_has_errors = analysis.has_errors();
    diagnostics.extend(analysis);
    render_all(&diagnostics, &workspace.sources);
    if let Some(model) = model {
        assert!(!analysis_has_errors, "a model despite errors");
        serde_json::to_string(&model).expect("the model serializes");
        let _ = stackc::emit::emit_all(&model);
    }
}

fn render_all(diagnostics: &Diagnostics, sources: &SourceMap) {
    for diagnostic in diagnostics.sorted() {
        assert!(!render_human(diagnostic, sources, ColorChoice::Never).is_empty());
        assert!(!render_human(diagnostic, sources, ColorChoice::Always).is_empty());
        assert!(!render_json(diagnostic, sources).is_empty());
    }
}

/// Pieces of the language, so random sequences get past the parser often.
const TOKENS: &[&str] = &[
    "stack",
    "news",
    "component",
    "api",
    "web",
    "redis",
    "web-ui",
    "environment",
    "test",
    "dev",
    "prod",
    "toggle",
    "include",
    "\"*.stack\"",
    "\"../x\"",
    "{",
    "}",
    "[",
    "]",
    ",",
    "=",
    "<",
    "<=",
    "\n",
    "#c\n",
    "image",
    "build",
    "ports",
    "http",
    "admin",
    "depends_on",
    "health",
    "port",
    "tcp",
    "command",
    "interval",
    "timeout",
    "env",
    "vars",
    "host",
    "fixtures",
    "route",
    "path",
    "deploy",
    "strategy",
    "canary",
    "blue_green",
    "steps",
    "kpi",
    "error_rate",
    "response_time",
    "min_requests",
    "failures",
    "compose",
    "restart",
    "default",
    "variable",
    "components",
    "runner",
    "mocha",
    "container",
    "publish",
    "registry",
    "true",
    "false",
    "0",
    "8080",
    "-1",
    "70000",
    "99999999999999999999",
    "0s",
    "30s",
    "300ms",
    "1h",
    "0%",
    "1%",
    "100%",
    "150%",
    "0.5%",
    "\"\"",
    "\"/health\"",
    "\"{{ env.name }}\"",
    "\"{{ api.host }}\"",
    "\"{{ api.ports.http }}\"",
    "\"{{ components[\\\"web-ui\\\"].host }}\"",
    "\"{{ self.nope }}\"",
    "\"{{\"",
    "\"}}\"",
    "\"{% if %}\"",
    "\"${HOME}\"",
    "\"${A:-b}\"",
    "\"${\"",
    "\"$\"",
    "\"\\$x\"",
    "\"\\u{e9}\"",
    "\"${A:?}\"",
    "\"{{ env.vars.X | default('y') }}\"",
];

/// Attribute and block names: every key of the schema, and some that are not.
const KEYS: &[&str] = &[
    "image",
    "build",
    "ports",
    "depends_on",
    "health",
    "env",
    "fixtures",
    "test",
    "route",
    "deploy",
    "kpi",
    "compose",
    "http",
    "tcp",
    "command",
    "port",
    "interval",
    "timeout",
    "runner",
    "path",
    "host",
    "strategy",
    "steps",
    "error_rate",
    "response_time",
    "min_requests",
    "failures",
    "container",
    "publish",
    "default",
    "variable",
    "components",
    "registry",
    "vars",
    "restart",
    "labels",
    "environment",
    "LOG_LEVEL",
    "NODE_ENV",
    "dev",
    "test",
    "prod",
    "imgae",
];
/// Labels and bare names.
const NAMES: &[&str] = &[
    "api",
    "web",
    "redis",
    "db",
    "web-ui",
    "Api",
    "test",
    "dev",
    "prod",
    "self",
    "env",
    "http",
    "admin",
    "canary",
    "blue_green",
    "mocha",
    "go",
    "_x",
    "a-",
];
/// Leaf values: every literal form, and strings full of templates and references.
const VALUES: &[&str] = &[
    "api",
    "web",
    "redis",
    "web-ui",
    "http",
    "admin",
    "canary",
    "recreate",
    "mocha",
    "false",
    "true",
    "0",
    "1",
    "8080",
    "6379",
    "65536",
    "-5",
    "0s",
    "2s",
    "90s",
    "300ms",
    "1h",
    "0%",
    "1%",
    "50%",
    "100%",
    "101%",
    "0.5%",
    "\"\"",
    "\"/health\"",
    "\"services/api\"",
    "\"../up\"",
    "\"/abs\"",
    "\"newsroom/api:1.2\"",
    "\"bad image\"",
    "\"{{ env.name }}\"",
    "\"{{ api.host }}:{{ api.ports.http }}\"",
    "\"{{ components[\\\"web-ui\\\"].ports.http }}\"",
    "\"{{ self.name }}-{{ stack.name }}-{{ stack.registry }}\"",
    "\"{{ env.vars.LOG_LEVEL }}\"",
    "\"{{ redis.prot }}\"",
    "\"{{ nope }}\"",
    "\"{{ env.name | upper }}\"",
    "\"{{\"",
    "\"{% if x %}y{% endif %}\"",
    "\"{{ 1 / 0 }}\"",
    "\"{{ api.ports.http + 1 }}\"",
    "\"${HOME}\"",
    "\"${A:-b}\"",
    "\"${A?}\"",
    "\"${\"",
    "\"${}\"",
    "\"$HOME\"",
    "\"\\$HOME\"",
    "\"\\u{E000}{X}\"",
    "\"\u{e000}\"",
];
const OPERATORS: &[&str] = &["=", "=", "=", "<", "<="];

fn value() -> impl Strategy<Value = String> {
    let leaf = prop::sample::select(VALUES).prop_map(str::to_string);
    leaf.prop_recursive(2, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..4).prop_map(|v| {
                let entries: Vec<String> = v.iter().map(|(k, v)| format!("{k} = {v}")).collect();
                format!("{{ {} }}", entries.join("  "))
            }),
        ]
    })
}

/// An attribute, or a block of items, nested up to three deep.
fn item() -> impl Strategy<Value = String> {
    let attribute = (
        prop::sample::select(KEYS),
        prop::sample::select(OPERATORS),
        value(),
    )
        .prop_map(|(key, op, value)| format!("{key} {op} {value}"));
    attribute.prop_recursive(3, 32, 6, |inner| {
        (
            prop::sample::select(KEYS),
            prop::option::of(prop::sample::select(NAMES)),
            prop::collection::vec(inner, 0..6),
        )
            .prop_map(|(kind, label, items)| {
                format!(
                    "{kind} {} {{\n{}\n}}",
                    label.unwrap_or(""),
                    items.join("\n")
                )
            })
    })
}

/// A file of top-level blocks, mostly components, that always parses.
fn structured_file() -> impl Strategy<Value = String> {
    let kinds = &[
        "component",
        "component",
        "component",
        "environment",
        "toggle",
        "stack",
    ][..];
    let block = (
        prop::sample::select(kinds),
        prop::sample::select(NAMES),
        prop::collection::vec(item(), 0..8),
    )
        .prop_map(|(kind, name, items)| format!("{kind} {name} {{\n{}\n}}", items.join("\n")));
    prop::collection::vec(block, 0..8).prop_map(|blocks| blocks.join("\n"))
}

fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..60).prop_map(|tokens| tokens.join(" "))
}

/// One edit of a file's bytes; positions are taken modulo the length.
#[derive(Debug, Clone)]
enum Mutation {
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Swap(usize, usize),
    Duplicate(usize, usize),
    /// The word (name, number, unit) around a position becomes another;
    /// mostly keeps the file parsing, so the analyser sees the change.
    ReplaceWord(usize, &'static str),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let insertion = prop_oneof![
        prop::sample::select(TOKENS).prop_map(|t| t.as_bytes().to_vec()),
        prop::collection::vec(any::<u8>(), 1..4),
    ];
    prop_oneof![
        (any::<usize>(), insertion).prop_map(|(at, bytes)| Mutation::Insert(at, bytes)),
        (any::<usize>(), 1..40usize).prop_map(|(at, n)| Mutation::Delete(at, n)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Swap(a, b)),
        (any::<usize>(), 1..200usize).prop_map(|(at, n)| Mutation::Duplicate(at, n)),
        (any::<usize>(), prop::sample::select(NAMES))
            .prop_map(|(at, w)| Mutation::ReplaceWord(at, w)),
        (any::<usize>(), prop::sample::select(VALUES))
            .prop_map(|(at, w)| Mutation::ReplaceWord(at, w)),
        (any::<usize>(), prop::sample::select(KEYS))
            .prop_map(|(at, w)| Mutation::ReplaceWord(at, w)),
    ]
}

fn apply(bytes: &mut Vec<u8>, mutation: &Mutation) {
    let len = bytes.len();
    match mutation {
        Mutation::Insert(at, insert) => {
            let at = at % (len + 1);
            bytes.splice(at..at, insert.iter().copied());
        }
        Mutation::Delete(at, n) if len > 0 => {
            let at = at % len;
            bytes.drain(at..(at + n).min(len));
        }
        Mutation::Swap(a, b) if len > 0 => bytes.swap(a % len, b % len),
        Mutation::Duplicate(at, n) if len > 0 => {
            let at = at % len;
            let slice = bytes[at..(at + n).min(len)].to_vec();
            bytes.splice(at..at, slice);
        }
        Mutation::ReplaceWord(at, word) if len > 0 => {
            let is_word =
                |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'%' | b'.');
            let at = at % len;
            let start = bytes[..at]
                .iter()
                .rposition(|b| !is_word(b))
                .map_or(0, |i| i + 1);
            let end = bytes[at..]
                .iter()
                .position(|b| !is_word(b))
                .map_or(len, |i| at + i);
            bytes.splice(start..end, word.bytes());
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text(text in any::<String>()) {
        check_in_memory(&[("Stackfile".to_string(), text)]);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_500, ..ProptestConfig::default() })]

    #[test]
    fn structured_files(stack in prop::bool::ANY, file in structured_file()) {
        let prefix = if stack { "stack s { registry = \"r.example:5000\" }\n" } else { "" };
        let text = format!("{prefix}{file}");
        prop_assert!(parse(stackc::source::FileId(0), &text).is_ok(), "does not parse:\n{}", text);
        check_in_memory(&[("Stackfile".to_string(), text)]);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1_500, ..ProptestConfig::default() })]

    #[test]
    fn token_soups(
        prefix in prop::sample::select(&["", "stack s { }\n", "stack s { }\ncomponent a { }\n"][..]),
        soup in token_soup(),
    ) {
        check_in_memory(&[("Stackfile".to_string(), format!("{prefix}{soup}"))]);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4_500, ..ProptestConfig::default() })]

    #[test]
    fn mutated_examples(
        example in any::<prop::sample::Index>(),
        file in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let mut files = example.get(examples()).clone();
        let index = file.index(files.len());
        let mut bytes = files[index].1.clone().into_bytes();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        files[index].1 = String::from_utf8_lossy(&bytes).into_owned();
        check_in_memory(&files);
    }
}

/// Writes `entry` (and an included file) to disk and compiles it, so the
/// loader's own paths (UTF-8, includes) are exercised too.
fn check_on_disk(dir: &Path, entry: &[u8], included: &[u8]) {
    std::fs::create_dir_all(dir.join("services")).expect("folder");
    std::fs::write(dir.join("Stackfile"), entry).expect("write");
    std::fs::write(dir.join("services/a.stack"), included).expect("write");
    let compilation = compile(dir).expect("the entry exists");
    render_all(&compilation.diagnostics, &compilation.workspace.sources);
    if let Some(model) = compilation.model {
        let _ = stackc::emit::emit_all(&model);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn bytes_on_disk(
        entry in prop::collection::vec(any::<u8>(), 0..200),
        included in prop::collection::vec(any::<u8>(), 0..200),
    ) {
        let tmp = tempfile::tempdir().expect("temp dir");
        let mut entry_text = b"stack s { }\ninclude \"services/*.stack\"\n".to_vec();
        entry_text.extend(entry);
        check_on_disk(tmp.path(), &entry_text, &included);
    }
}
