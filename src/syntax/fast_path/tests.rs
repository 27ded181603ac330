//! The fast path against the grammar: for any text, it returns exactly what
//! pest's parse, lowered, returns when that succeeds, and gives up when it
//! fails. The only files it may leave to pest although they parse are those
//! with a byte-order mark after blank space.

use proptest::prelude::*;

use super::*;
use crate::syntax::line_breaks::odd_line_break;
use crate::syntax::nesting::too_deep;
use crate::syntax::parser::parse_with_pest;

const FILE: FileId = FileId(0);

/// Fails unless the fast path and pest agree on `text`.
fn agree(text: &str) -> Result<(), TestCaseError> {
    // `parse` refuses these before either parser runs.
    if odd_line_break(FILE, text).is_some() {
        return Ok(());
    }
    // The nesting check runs only when the fast path gives up: it must
    // never take a file that check refuses.
    if too_deep(FILE, text).is_some() {
        prop_assert!(parse_fast(FILE, text).is_none(), "{:?}", text);
        return Ok(());
    }
    let pest = parse_with_pest(FILE, text).ok();
    let fast = parse_fast(FILE, text);
    let late_mark = text.char_indices().any(|(at, c)| c == '\u{FEFF}' && at > 0);
    if late_mark && fast.is_none() {
        return Ok(());
    }
    prop_assert_eq!(fast, pest, "{:?}", text);
    Ok(())
}

/// Pieces of the language and of the mistakes people make in it.
const FRAGMENTS: &[&str] = &[
    "component",
    "c1",
    "api-2",
    "_x",
    "include",
    "includes",
    "stable",
    "true",
    "false",
    "truex",
    "sec",
    "\"a\"",
    "\"\\u{41}\"",
    "\"\\u{D800}\"",
    "\"\\u{}\"",
    "\"\\q\"",
    "\"a\\\"b\"",
    "\"\\$x {{ a }}\"",
    "\"é\"",
    "\"\\u{0}\"",
    "\"",
    "\\",
    "{",
    "}",
    "[",
    "]",
    ",",
    "=",
    "<",
    "<=",
    "+",
    "-",
    "5",
    "-5",
    "05",
    "5ms",
    "5m",
    "5s",
    "5h",
    "5msx",
    "5mx",
    "5%",
    "0.5%",
    "0.1234%",
    "5.",
    "5.5",
    "5.%",
    ".",
    "a.b",
    "a.",
    "a.b.c",
    "99999999999999999999",
    "2562048h",
    "\u{FEFF}",
    "#",
    "é",
    "@",
    ":",
];

const SEPARATORS: &[&str] = &[
    "", " ", "\n", "\t", "  ", "# note\n", "#x", "\r\n", " # c\n",
];

fn soup() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        (
            proptest::sample::select(FRAGMENTS),
            proptest::sample::select(SEPARATORS),
        ),
        0..24,
    )
    .prop_map(|pieces| pieces.into_iter().map(|(f, s)| format!("{f}{s}")).collect())
}

/// Blank space and comments that never run into the next token.
fn separator() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(&[" ", "\n", "\t", "  ", "# note\n", "\r\n", " # c\n"][..])
}

fn name() -> impl Strategy<Value = String> {
    proptest::sample::select(
        &[
            "api", "c1", "db-2", "_x", "true", "include", "stable", "sec",
        ][..],
    )
    .prop_map(str::to_string)
}

fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        name(),
        proptest::sample::select(
            &[
                "\"a b\"",
                "\"\\\"q\\\" \\u{e9}\"",
                "\"{{ c1.host }}\"",
                "8080",
                "-3",
                "0",
                "300ms",
                "2s",
                "5m",
                "1h",
                "0.5%",
                "12.125%",
                "1%",
                "true",
                "false",
            ][..]
        )
        .prop_map(str::to_string),
    ]
}

/// Values as the grammar writes them, with blank space and comments wherever
/// pest skips them.
fn value() -> impl Strategy<Value = String> {
    let relative = (
        name(),
        separator(),
        prop_oneof![Just("+"), Just("-")],
        separator(),
        scalar(),
    )
        .prop_map(|(base, s1, op, s2, amount)| format!("{base}{s1}{op}{s2}{amount}"));
    let leaf = prop_oneof![4 => scalar(), 1 => relative];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            (
                proptest::collection::vec((inner.clone(), separator()), 0..4),
                proptest::bool::ANY
            )
                .prop_map(|(values, trailing)| {
                    let listed: Vec<String> =
                        values.into_iter().map(|(v, s)| format!("{v}{s}")).collect();
                    let comma = if trailing && !listed.is_empty() {
                        ","
                    } else {
                        ""
                    };
                    format!("[{}{comma}]", listed.join(","))
                }),
            proptest::collection::vec((name(), separator(), inner, separator()), 0..4).prop_map(
                |entries| {
                    let written: Vec<String> = entries
                        .into_iter()
                        .map(|(k, s1, v, s2)| format!(" {k}{s1}={s1}{v}{s2}"))
                        .collect();
                    format!("{{{} }}", written.concat())
                }
            ),
        ]
    })
}

fn items() -> impl Strategy<Value = String> {
    let attribute = (
        prop_oneof![
            name(),
            Just("a.b".to_string()),
            Just("p99.rate".to_string())
        ],
        separator(),
        prop_oneof![Just("="), Just("<"), Just("<=")],
        separator(),
        value(),
    )
        .prop_map(|(k, s1, op, s2, v)| format!("{k}{s1}{op}{s2}{v}\n"));
    let include = separator().prop_map(|s| format!("include{s}\"x/*.stack\"\n"));
    let leaf = prop_oneof![4 => attribute, 1 => include];
    leaf.prop_recursive(3, 32, 5, |inner| {
        (
            name(),
            proptest::option::of(name()),
            separator(),
            proptest::collection::vec(inner, 0..5),
        )
            .prop_map(|(kind, label, s, body)| {
                let label = label.map(|l| format!(" {l}")).unwrap_or_default();
                format!("{kind}{label}{s}{{{s}{}}}\n", body.concat())
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn agrees_with_pest_on_any_mix_of_pieces(text in soup()) {
        agree(&text)?;
    }

    #[test]
    fn agrees_with_pest_on_files_that_parse(
        files in proptest::collection::vec(items(), 0..6),
        mark in proptest::bool::ANY,
    ) {
        let text = format!("{}{}", if mark { "\u{FEFF}" } else { "" }, files.concat());
        // Most of these parse (`agree` then needs the fast path to take
        // them); a number before a block named like a unit does not.
        agree(&text)?;
    }
}

/// Fails unless reading `text` in two parts, the second from `second_part`
/// on, gives what one pass gives (whether the guess is right or not).
fn parts_agree(text: &str, second_part: usize) -> Result<(), TestCaseError> {
    let whole = parse_in_parts(FILE, text, None);
    let parts = parse_in_parts(FILE, text, Some(second_part));
    prop_assert_eq!(parts, whole, "{:?} from {}", text, second_part);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn two_parts_read_as_one_pass_from_any_line(
        files in proptest::collection::vec(items(), 1..6),
        comment in proptest::bool::ANY,
    ) {
        let text = files.join(if comment { "# between\n" } else { "" });
        let lines = std::iter::once(0).chain(text.match_indices('\n').map(|(at, _)| at + 1));
        for line in lines {
            parts_agree(&text, line)?;
        }
    }

    #[test]
    fn two_parts_read_as_one_pass_from_anywhere(text in soup(), at in 0usize..400) {
        parts_agree(&text, at.min(text.len()))?;
    }
}

#[test]
fn the_second_part_starts_on_a_line_that_begins_with_a_name() {
    let text = format!(
        "{}\n  inner = 1\n# note\ncomponent b {{}}\n",
        "x".repeat(40)
    );
    let start = second_part_start(&text).map(|at| &text[at..]);
    assert_eq!(start, Some("component b {}\n"));
    assert_eq!(second_part_start("a = 1\n  b = 2\n"), None);
}

#[test]
fn leaves_nesting_past_the_limit_to_the_nesting_check() {
    use crate::syntax::nesting::MAX_NESTING;
    for (open, close) in [("[", "]"), ("{ a = ", " }"), ("b {", "}")] {
        for levels in [
            MAX_NESTING - 1,
            MAX_NESTING,
            MAX_NESTING + 1,
            MAX_NESTING + 40,
        ] {
            let value = format!("{}1{}", open.repeat(levels), close.repeat(levels));
            let text = if open == "b {" {
                format!("{}{}", open.repeat(levels), close.repeat(levels))
            } else {
                format!("x = {value}")
            };
            if let Err(failure) = agree(&text) {
                panic!("{open} x {levels}: {failure}");
            }
            let accepted = parse_fast(FILE, &text).is_some();
            assert_eq!(accepted, levels <= MAX_NESTING, "{open} x {levels}");
        }
    }
}

#[test]
fn agrees_with_pest_on_every_example_and_fixture() {
    let mut seen = 0;
    for folder in ["examples", "tests"] {
        for entry in walk(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(folder)) {
            let Ok(text) = std::fs::read_to_string(&entry) else {
                continue;
            };
            if let Err(failure) = agree(&text) {
                panic!("{}: {failure}", entry.display());
            }
            seen += 1;
        }
    }
    assert!(seen > 100, "only {seen} spec files found");
}

/// Every `Stackfile` and `.stack` file under `folder`.
fn walk(folder: std::path::PathBuf) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut folders = vec![folder];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "stack")
                || path.file_name().is_some_and(|n| n == "Stackfile")
            {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}
