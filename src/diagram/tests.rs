use super::*;
use crate::compile::compile;

fn model(stackfile: &str) -> Model {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Stackfile"), stackfile).unwrap();
    let compilation = compile(dir.path()).unwrap();
    match compilation.model {
        Some(model) => model,
        None => panic!("{:?}", compilation.diagnostics),
    }
}

const STACK: &str = r#"
stack shop { }
component web-ui { depends_on = [api] }
component api {
  depends_on = [db, cache]
  fixtures db { image = "shop/api-fixtures" }
}
component db { }
component cache { }
"#;

#[test]
fn dot_and_mermaid() {
    let model = model(STACK);
    insta::with_settings!({snapshot_path => "../../snapshots/graph", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("shop_dot", dot(&model));
        insta::assert_snapshot!("shop_mermaid", mermaid(&model));
    });
}

#[test]
fn names_are_quoted() {
    assert_eq!(super::dot::quote_for_test("a\"b\\c"), "\"a\\\"b\\\\c\"");
}
