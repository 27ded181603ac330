//! The fast writer against serde-saphyr: wherever it writes, it writes the
//! same bytes.

use indexmap::IndexMap;
use proptest::prelude::*;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use super::{plain_key, plain_value, quoted_value, to_string};
use crate::emit::yaml::saphyr_to_string;

/// A YAML tree, serialized as the emitters' types are.
#[derive(Debug, Clone)]
enum Tree {
    Str(String),
    Int(i64),
    Bool(bool),
    Null,
    Map(Vec<(String, Tree)>),
    Seq(Vec<Tree>),
}

impl Serialize for Tree {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Tree::Str(text) => serializer.serialize_str(text),
            Tree::Int(n) => serializer.serialize_i64(*n),
            Tree::Bool(b) => serializer.serialize_bool(*b),
            Tree::Null => serializer.serialize_none(),
            Tree::Map(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
            Tree::Seq(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
        }
    }
}

/// Asserts the fast writer agrees with serde-saphyr on `value`, and that it
/// wrote it itself when `fast` says so.
fn agrees<T: Serialize>(value: &T, fast: bool) {
    let expected = saphyr_to_string(value).ok();
    match to_string(value) {
        Ok(text) => assert_eq!(Some(text), expected),
        Err(_) => assert!(!fast, "expected the fast path: {expected:?}"),
    }
}

const STRINGS: &[&str] = &[
    "plain",
    "yes",
    "No",
    "on",
    "OFF",
    "y",
    "n",
    "null",
    "Null",
    "~",
    "",
    "true",
    "False",
    "nan",
    "inf",
    ".inf",
    "-.nan",
    "0755",
    "1.0",
    "22:22",
    "2024-01-01",
    "0x1F",
    "1e3",
    "+1",
    "1_000",
    "<<",
    "=",
    "a: b",
    "a:b",
    "a :b",
    "a #b",
    "a#b",
    "#a",
    "- a",
    "-a",
    "?a",
    "? a",
    "--- a",
    "---",
    "...",
    "a\nb",
    "tab\there",
    "trailing ",
    " leading",
    "a:",
    "a,b",
    "[a]",
    "{a}",
    "a]",
    "&a",
    "*a",
    "!a",
    "|a",
    ">a",
    "'a",
    "\"a",
    "%a",
    "@a",
    "`a",
    "é",
    "ça",
    "wget -q -O /dev/null 'http://127.0.0.1:10010/health' || curl -fsS",
    "${STACK_UID:-0}:${STACK_GID:-0}",
    "$HOME",
    "/usr/local/etc",
    "reg.example:5000/big/c0:1.0",
    "CMD-SHELL",
    "service_healthy",
    "http://c9:10009",
    "plain value ${SECRET:-x}",
    "a\u{7f}b",
    "\u{feff}a",
    "a\u{2028}b",
    "x\"y",
    "back\\slash",
    "a b c",
    "A_B",
    "a.b-c/d",
];

#[test]
fn strings_as_values_and_keys() {
    for text in STRINGS {
        let fast = plain_value(text) || quoted_value(text);
        assert!(!(plain_value(text) && quoted_value(text)), "{text:?}");
        agrees(&IndexMap::from([("k", *text)]), fast);
        agrees(&IndexMap::from([(*text, 1)]), plain_key(text));
        agrees(&IndexMap::from([("k", vec![*text])]), fast);
    }
}

#[test]
fn shapes() {
    let service = Tree::Map(vec![
        ("image".into(), Tree::Str("reg/x:1".into())),
        ("empty_map".into(), Tree::Map(vec![])),
        ("empty_seq".into(), Tree::Seq(vec![])),
        ("none".into(), Tree::Null),
        ("flag".into(), Tree::Bool(true)),
        ("count".into(), Tree::Int(-3)),
        (
            "ports".into(),
            Tree::Seq(vec![
                Tree::Map(vec![
                    ("target".into(), Tree::Int(80)),
                    ("host_ip".into(), Tree::Str("127.0.0.1".into())),
                    (
                        "nested".into(),
                        Tree::Map(vec![("a".into(), Tree::Seq(vec![Tree::Str("x".into())]))]),
                    ),
                ]),
                Tree::Map(vec![]),
                Tree::Str("s".into()),
                Tree::Null,
            ]),
        ),
        (
            "deep".into(),
            Tree::Map(vec![(
                "deeper".into(),
                Tree::Map(vec![("deepest".into(), Tree::Seq(vec![Tree::Int(1)]))]),
            )]),
        ),
    ]);
    agrees(&service, true);
    agrees(
        &Tree::Map(vec![(
            "services".into(),
            Tree::Map(vec![("c0".into(), service)]),
        )]),
        true,
    );
    agrees(&Tree::Map(vec![]), true);
    agrees(
        &Tree::Seq(vec![Tree::Str("a".into()), Tree::Map(vec![])]),
        true,
    );
    agrees(&Tree::Seq(vec![]), true);
    // Left to serde-saphyr: nested sequences, scalars at the top.
    agrees(&Tree::Seq(vec![Tree::Seq(vec![Tree::Int(1)])]), false);
    agrees(&Tree::Str("top".into()), false);
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(STRINGS).prop_map(str::to_string),
        "[a-zA-Z0-9 :#/$._-]{0,12}",
        "[0-9][0-9a-zA-Z._:-]{0,6}",
        any::<String>(),
    ]
}

fn tree() -> impl Strategy<Value = Tree> {
    let leaf = prop_oneof![
        text().prop_map(Tree::Str),
        any::<i64>().prop_map(Tree::Int),
        any::<bool>().prop_map(Tree::Bool),
        Just(Tree::Null),
    ];
    leaf.prop_recursive(4, 32, 5, |inner| {
        prop_oneof![
            proptest::collection::vec((text(), inner.clone()), 0..5).prop_map(Tree::Map),
            proptest::collection::vec(inner, 0..5).prop_map(Tree::Seq),
        ]
    })
}

proptest! {
    #[test]
    fn any_tree_is_written_as_serde_saphyr_writes_it(tree in tree()) {
        agrees(&tree, false);
    }

    #[test]
    fn any_map_is_written_as_serde_saphyr_writes_it(
        entries in proptest::collection::vec((text(), tree()), 0..5)
    ) {
        agrees(&Tree::Map(entries), false);
    }
}
