//! `stackc fmt` on every spec file the repository holds — the examples, the
//! error fixtures that parse, and the formatter's own corpus (tests/fmt/):
//! formatting is idempotent, keeps the syntax tree and every comment, and
//! `check` finds the same Model (and the same diagnostics) before and after.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use stackc::compile::compile;
use stackc::format::{format_source, is_formatted, shape};
use stackc::source::FileId;
use stackc::syntax::parse;

const ROOTS: &[&str] = &["examples", "tests/errors", "tests/fmt"];

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn is_spec(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == "Stackfile")
        || path.extension().is_some_and(|e| e == "stack")
}

/// Every spec file under `dir`, sorted.
fn spec_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.map(|e| e.expect("entry").path()).collect();
    paths.sort();
    for path in paths {
        let kind = fs::symlink_metadata(&path).expect("metadata").file_type();
        if kind.is_dir() {
            spec_files(&path, out);
        } else if kind.is_file() && is_spec(&path) {
            out.push(path);
        }
    }
}

/// Every folder holding a `Stackfile` directly below a root: the workspaces.
fn workspaces() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for root in ROOTS {
        let Ok(entries) = fs::read_dir(repository().join(root)) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("entry").path();
            if path.join("Stackfile").is_file() {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn fmt_is_idempotent_and_keeps_the_tree_on_every_spec_file() {
    let mut files = Vec::new();
    for root in ROOTS {
        spec_files(&repository().join(root), &mut files);
    }
    let corpus = files
        .iter()
        .filter(|f| f.starts_with(repository().join("tests/fmt")))
        .count();
    assert!(
        corpus >= 3,
        "the formatter's corpus in tests/fmt/ is missing"
    );

    let mut formatted_files = 0;
    for path in &files {
        let Ok(text) = fs::read_to_string(path) else {
            continue; // a fixture that is not UTF-8 on purpose
        };
        let Ok(before) = parse(FileId(0), &text) else {
            continue; // a fixture with a syntax error on purpose
        };
        let once = format_source(FileId(0), &text).expect("parses");
        let twice = format_source(FileId(0), &once).unwrap_or_else(|d| {
            panic!(
                "{}: formatted text does not parse: {d:?}\n{once}",
                path.display()
            )
        });
        assert_eq!(once, twice, "{}: not idempotent", path.display());
        assert!(is_formatted(&once, &twice));
        let after = parse(FileId(0), &once).expect("parses");
        assert_eq!(
            shape(&before),
            shape(&after),
            "{}: the tree changed",
            path.display()
        );
        formatted_files += 1;
    }
    eprintln!("formatted {formatted_files} of {} spec files", files.len());
}

#[test]
fn check_finds_the_same_model_after_fmt_in_every_workspace() {
    let workspaces = workspaces();
    assert!(
        workspaces
            .iter()
            .any(|w| w.starts_with(repository().join("tests/fmt"))),
        "the formatter's corpus in tests/fmt/ is missing"
    );
    let mut models = 0;
    for workspace in workspaces {
        let tmp = tempfile::tempdir().expect("temp dir");
        let copy = tmp.path().join("ws");
        copy_tree(&workspace, &copy);
        let Ok(before) = compile(&copy) else {
            continue; // a fixture whose entry cannot be read on purpose
        };
        let output = Command::new(env!("CARGO_BIN_EXE_stackc"))
            .args(["fmt", "."])
            .current_dir(&copy)
            .output()
            .expect("stackc runs");
        assert!(
            matches!(output.status.code(), Some(0 | 1)),
            "{}: {output:?}",
            workspace.display()
        );
        let after = compile(&copy).expect("still loads");
        assert_eq!(
            before.model,
            after.model,
            "{}: the model changed",
            workspace.display()
        );
        let messages = |c: &stackc::compile::Compilation| -> Vec<String> {
            let mut list: Vec<String> = c
                .diagnostics
                .iter()
                .map(|d| format!("{} {}", d.code.as_str(), d.message))
                .collect();
            list.sort();
            list
        };
        assert_eq!(
            messages(&before),
            messages(&after),
            "{}: diagnostics changed",
            workspace.display()
        );
        if before.model.is_some() {
            models += 1;
        }
        let recheck = Command::new(env!("CARGO_BIN_EXE_stackc"))
            .args(["fmt", "--check", "."])
            .current_dir(&copy)
            .output()
            .expect("stackc runs");
        if output.status.code() == Some(0) {
            assert_eq!(
                recheck.status.code(),
                Some(0),
                "{}: {recheck:?}",
                workspace.display()
            );
        }
    }
    assert!(models > 0, "no workspace produced a model to compare");
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        let kind = entry.file_type().expect("type");
        if kind.is_dir() {
            copy_tree(&entry.path(), &target);
        } else if kind.is_file() {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

#[test]
fn the_corpus_formats_as_pinned() {
    let mut files = Vec::new();
    spec_files(&repository().join("tests/fmt"), &mut files);
    for path in files {
        let text = fs::read_to_string(&path).expect("read");
        let formatted = format_source(FileId(0), &text).expect("parses");
        let name = path
            .strip_prefix(repository().join("tests/fmt"))
            .expect("below tests/fmt")
            .to_string_lossy()
            .replace('/', "__");
        insta::with_settings!({
            snapshot_path => "../snapshots/format",
            prepend_module_to_snapshot => false,
            input_file => &path,
        }, {
            insta::assert_snapshot!(format!("corpus__{name}"), formatted);
        });
    }
}

/// Spec files that parse, as bases for relayout.
fn parsing_files() -> Vec<String> {
    let mut files = Vec::new();
    for root in ["examples", "tests/fmt", "tests/errors"] {
        spec_files(&repository().join(root), &mut files);
    }
    files
        .iter()
        .filter_map(|path| fs::read_to_string(path).ok())
        .filter(|text| parse(FileId(0), text).is_ok())
        .collect()
}

/// `text` with every run of blanks between tokens replaced by a choice of
/// spaces, tabs, line breaks, blank lines and new comments (a run ending a
/// comment keeps a line break, so the comment stays one).
fn relayout(text: &str, choices: &[u8]) -> String {
    const LAYOUTS: &[&str] = &[
        " ",
        "\n",
        "\n\n\n",
        "\t",
        " # note\n",
        "\n  # own line\n  ",
        "  ",
        "\r\n\r\n",
    ];
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    let mut choice = choices.iter().cycle();
    let mut after_comment = false;
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                out.push(c);
                while let Some(s) = chars.next() {
                    out.push(s);
                    if s == '\\' {
                        if let Some(escaped) = chars.next() {
                            out.push(escaped);
                        }
                    } else if s == '"' {
                        break;
                    }
                }
                after_comment = false;
            }
            '#' => {
                out.push(c);
                while let Some(&s) = chars.peek() {
                    if s == '\n' {
                        break;
                    }
                    out.push(s);
                    chars.next();
                }
                after_comment = true;
            }
            ' ' | '\t' | '\r' | '\n' => {
                while matches!(chars.peek(), Some(' ' | '\t' | '\r' | '\n')) {
                    chars.next();
                }
                let layout = LAYOUTS[usize::from(*choice.next().unwrap_or(&0)) % LAYOUTS.len()];
                if after_comment && !layout.contains('\n') {
                    out.push('\n');
                } else {
                    out.push_str(layout);
                }
                after_comment = false;
            }
            _ => {
                out.push(c);
                after_comment = false;
            }
        }
    }
    out
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// Any layout of a valid file formats to a fixed point with the same
    /// tree and comments.
    #[test]
    fn any_layout_formats_to_a_fixed_point(
        pick in 0usize..1000,
        choices in proptest::collection::vec(0u8..8, 1..64),
    ) {
        static FILES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
        let files = FILES.get_or_init(parsing_files);
        proptest::prop_assert!(!files.is_empty());
        let text = relayout(&files[pick % files.len()], &choices);
        let Ok(before) = parse(FileId(0), &text) else {
            return Err(proptest::test_runner::TestCaseError::fail(format!("relayout broke the file:\n{text}")));
        };
        let once = format_source(FileId(0), &text).expect("parses");
        let after = parse(FileId(0), &once)
            .map_err(|d| proptest::test_runner::TestCaseError::fail(format!("{d:?}\n{once}")))?;
        proptest::prop_assert_eq!(shape(&before), shape(&after), "input:\n{}\noutput:\n{}", text, once);
        let twice = format_source(FileId(0), &once).expect("parses");
        proptest::prop_assert_eq!(&once, &twice, "input:\n{}", text);
    }
}
