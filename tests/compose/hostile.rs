//! The hostile fixture (`tests/fixtures/compose/hostile`): strings a YAML
//! writer easily gets wrong read back exactly, in PyYAML and in Compose.

use serde_json::{json, Value};

use crate::workspaces;
use crate::{compose_json, pyyaml};

/// (variable, the exact string the spec gives it in the `test` environment)
const HOSTILE: &[(&str, &str)] = &[
    ("YES", "yes"),
    ("ON", "on"),
    ("NO", "No"),
    ("OFF", "OFF"),
    ("Y", "y"),
    ("OCTAL", "0755"),
    ("FLOAT", "1.0"),
    ("SEXAGESIMAL", "22:22"),
    ("TIME", "12:30"),
    ("DATE", "2024-01-01"),
    ("NULL", "null"),
    ("TILDE", "~"),
    ("EMPTY", ""),
    ("DOLLAR", "costs $5, ${NOT_A_REFERENCE} stays"),
    ("QUOTES", "say \"hi\" and 'bye'"),
    ("NEWLINE", "line one\nline two\n"),
    ("LEADING", "  leading space"),
    ("TRAILING", "trailing space "),
    ("NON_ASCII", "café ☕ été 東京"),
    ("COMMENT", "a #not-a-comment"),
    ("COLON", "key: value"),
    ("DASH", "- item"),
    ("FLOW", "{ not: a map }, [nor, a list]"),
    ("TAB", "a\tb"),
    ("BACKSLASH", "C:\\path\\n"),
    ("ALIAS", "*alias"),
    ("ANCHOR", "&anchor"),
    ("TAG", "!tag"),
    ("DOCUMENT", "--- not a document"),
];

/// Compose's own spelling of a value in `config` output: `$` doubled.
fn escaped(value: &str) -> String {
    value.replace('$', "$$")
}

#[test]
fn hostile_values_read_back_exactly() {
    let built = workspaces::all()
        .iter()
        .find(|b| b.label == "tests/fixtures/compose/hostile")
        .expect("the hostile fixture");
    let documents = pyyaml(built);
    for file in [
        "compose/test/yes.yml",
        "compose/components/yes.yml",
        "compose/environments/test.yml",
    ] {
        let yaml = &documents[file]["services"]["yes"]["environment"];
        let compose = compose_json(built, &[file], None);
        let compose = &compose["services"]["yes"]["environment"];
        for (name, original) in HOSTILE {
            // The Model holds the original string...
            let model = built
                .component("yes")
                .env
                .iter()
                .find(|v| v.name == *name)
                .and_then(|v| v.value("test"))
                .map(|t| t.display());
            assert_eq!(
                model.as_deref(),
                Some(*original),
                "{name}: the fixture changed"
            );
            // ...both readers get it back: PyYAML as Compose's escaped text,
            // Compose with its `$$` escape, which the container sees as `$`.
            assert_eq!(
                yaml[name],
                json!(escaped(original)),
                "PyYAML, {file} {name}"
            );
            assert_eq!(
                compose[name],
                json!(escaped(original)),
                "Compose, {file} {name}"
            );
        }
        // A run-time reference stays one for Compose to interpolate.
        assert_eq!(
            yaml["RUNTIME"],
            json!("${HOSTILE_HOME:-/home/user} and ${HOSTILE_REQUIRED:?set it}"),
        );
        assert_eq!(
            compose["RUNTIME"],
            json!("/home/user and stackc-test-HOSTILE_REQUIRED"),
        );
    }
    // Service names and label keys that YAML 1.1 would read as booleans/null.
    let test_stack = &documents["compose/test/off.yml"]["services"];
    let names: Vec<&String> = test_stack.as_object().expect("services").keys().collect();
    assert_eq!(names, ["null", "off", "off-fixtures-null", "yes"]);
    let labels = &documents["compose/test/yes.yml"]["services"]["yes"]["labels"];
    assert_eq!(labels, &json!({"on": "yes", "0755": "22:22", "null": "~"}));
    let environments = &documents["compose/environments/prod.yml"]["services"]["yes"];
    assert_eq!(environments["environment"]["OFF"], Value::from("off"));
}
