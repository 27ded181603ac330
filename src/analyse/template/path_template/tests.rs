//! The direct rendering against minijinja's: whenever it gives a text, it
//! is the text minijinja renders; it gives one for every plain dotted name
//! that is defined.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;
use crate::analyse::template::render::environment;

/// A context shaped like the real one: components, `env`, `stack`, `self`.
fn context() -> JinjaValue {
    let map = |entries: &[(&str, JinjaValue)]| {
        JinjaValue::from(
            entries
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect::<BTreeMap<String, JinjaValue>>(),
        )
    };
    let db = map(&[
        ("name", JinjaValue::from("db")),
        ("host", JinjaValue::from("db")),
        ("ports", map(&[("sql", JinjaValue::from(5432u16))])),
        ("published", map(&[])),
    ]);
    // Components may be named like minijinja's words (`none`, `range`):
    // in an expression the word wins.
    map(&[
        ("none", db.clone()),
        ("range", db.clone()),
        ("True", db.clone()),
        ("db", db.clone()),
        ("self", db.clone()),
        ("components", map(&[("db", db)])),
        (
            "env",
            map(&[
                ("name", JinjaValue::from("prod")),
                (
                    "vars",
                    map(&[("LOG", JinjaValue::from("warn \u{e000} {{ x }}"))]),
                ),
            ]),
        ),
        ("stack", map(&[("name", JinjaValue::from("shop"))])),
    ])
}

fn minijinja(source: &str) -> Result<String, String> {
    environment()
        .template_from_str(source)
        .and_then(|t| t.render(context()))
        .map_err(|e| e.to_string())
}

fn direct(source: &str) -> Option<String> {
    let context = context();
    PathTemplate::parse(source)?.render(|name| {
        let value = context.get_attr(name).ok()?;
        (!value.is_undefined()).then_some(value)
    })
}

const NAMES: &[&str] = &[
    "db",
    "self",
    "env",
    "stack",
    "components",
    "name",
    "host",
    "ports",
    "sql",
    "vars",
    "LOG",
    "published",
    "missing",
    "none",
    "true",
    "range",
    "loop",
    "debug",
    "namespace",
    "_x",
    "0",
];

const GLUE: &[&str] = &[
    ".",
    " ",
    "",
    "-",
    "+",
    "|upper",
    " if true else ",
    "[",
    "]",
    "'",
    "\n",
    "~",
    "(",
    ")",
];

const TEXT: &[&str] = &[
    "", "http://", ":", "/", "}}", "{", "}", " ", "\n", "é", "$", "{%", "{#",
];

fn template() -> impl Strategy<Value = String> {
    let expression = proptest::collection::vec(
        (
            proptest::sample::select(NAMES),
            proptest::sample::select(GLUE),
        ),
        0..5,
    )
    .prop_map(|parts| {
        parts
            .into_iter()
            .map(|(n, g)| format!("{n}{g}"))
            .collect::<String>()
    });
    proptest::collection::vec(
        (
            proptest::sample::select(TEXT),
            proptest::sample::select(&["{{", "{{ ", "{{-", "{{\n"][..]),
            expression,
            proptest::sample::select(&["}}", " }}", "-}}", " }}\n"][..]),
        ),
        0..4,
    )
    .prop_map(|pieces| {
        pieces
            .into_iter()
            .map(|(t, o, e, c)| format!("{t}{o}{e}{c}"))
            .collect()
    })
}

fn dotted() -> impl Strategy<Value = String> {
    proptest::sample::select(
        &[
            "db.host",
            "db.ports.sql",
            "self.name",
            "env.name",
            "env.vars.LOG",
            "stack.name",
            "components.db.host",
            "db",
        ][..],
    )
    .prop_map(str::to_string)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn renders_as_minijinja_does(source in template()) {
        if let Some(text) = direct(&source) {
            prop_assert_eq!(Ok(text), minijinja(&source), "{:?}", source);
        }
    }

    #[test]
    fn renders_every_defined_dotted_name(
        pieces in proptest::collection::vec(
            (proptest::sample::select(TEXT), dotted(), proptest::sample::select(&[" ", "", "\n"][..])),
            1..4,
        )
    ) {
        let source: String = pieces
            .iter()
            .filter(|(text, _, _)| !text.starts_with("{%") && !text.starts_with("{#") && *text != "{")
            .map(|(text, path, space)| format!("{text}{{{{{space}{path}{space}}}}}"))
            .collect();
        let text = direct(&source);
        prop_assert!(text.is_some(), "{:?}", source);
        prop_assert_eq!(text.ok_or(String::new()), minijinja(&source), "{:?}", source);
    }
}

#[test]
fn leaves_everything_else_to_minijinja() {
    for source in [
        "{{ db.host | upper }}",
        "{{- db.host }}",
        "{{ db.host -}}",
        "{{ none }}",
        "{{ missing }}",
        "{{ db.missing }}",
        "{{ db.ports.0 }}",
        "{% if true %}x{% endif %}",
        "{{ db.host",
        "{{ 'a' }}",
    ] {
        assert_eq!(direct(source), None, "{source}");
    }
    for source in [
        "{{ none.host }}",
        "{{ True.host }}",
        "{{ range.host }}",
        "{{ self.name }}",
        "{{ components.db.ports.sql }}",
    ] {
        if let Some(text) = direct(source) {
            assert_eq!(Ok(text), minijinja(source), "{source}");
        }
    }
    assert_eq!(
        direct("postgres://{{ db.host }}:{{db.ports.sql}}/{{ env.name }}").as_deref(),
        Some("postgres://db:5432/prod")
    );
}
