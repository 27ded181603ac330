//! No input makes stackc panic. Arbitrary text, soups of the language's own
//! tokens, mutated examples and arbitrary bytes on disk go through parse +
//! analyse (+ emit when a model comes out), and every diagnostic is rendered.
//! 10,500 cases in all.

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
                    .map(|(_, f)| (f.path.clone(), f.text.clone()))
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
        root: PathBuf::from("/workspace"),
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
    "stack", "news", "component", "api", "web", "redis", "web-ui", "environment", "test", "dev",
    "prod", "toggle", "include", "\"*.stack\"", "\"../x\"", "{", "}", "[", "]", ",", "=", "<",
    "<=", "\n", "#c\n", "image", "build", "ports", "http", "admin", "depends_on", "health",
    "port", "tcp", "command", "interval", "timeout", "env", "vars", "host", "fixtures", "route",
    "path", "deploy", "strategy", "canary", "blue_green", "steps", "kpi", "error_rate",
    "response_time", "min_requests", "failures", "compose", "restart", "default", "variable",
    "components", "runner", "mocha", "container", "publish", "registry", "true", "false", "0",
    "8080", "-1", "70000", "99999999999999999999", "0s", "30s", "300ms", "1h", "0%", "1%",
    "100%", "150%", "0.5%", "\"\"", "\"/health\"", "\"{{ env.name }}\"", "\"{{ api.host }}\"",
    "\"{{ api.ports.http }}\"", "\"{{ components[\\\"web-ui\\\"].host }}\"", "\"{{ self.nope }}\"",
    "\"{{\"", "\"}}\"", "\"{% if %}\"", "\"${HOME}\"", "\"${A:-b}\"", "\"${\"", "\"$\"",
    "\"\\$x\"", "\"\\u{e9}\"", "\"${A:?}\"", "\"{{ env.vars.X | default('y') }}\"",
];

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
    #![proptest_config(ProptestConfig { cases: 3_000, ..ProptestConfig::default() })]

    #[test]
    fn token_soups(
        prefix in prop::sample::select(&["", "stack s { }\n", "stack s { }\ncomponent a { }\n"][..]),
        soup in token_soup(),
    ) {
        check_in_memory(&[("Stackfile".to_string(), format!("{prefix}{soup}"))]);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 5_000, ..ProptestConfig::default() })]

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
