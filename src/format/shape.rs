//! The meaning of a file, without its layout: what `fmt` must keep.

use crate::syntax::ast::{Document, Item, Value, ValueKind};

/// The tree without spans or raw text: what formatting must keep.
pub fn shape(document: &Document) -> String {
    fn value(v: &Value, out: &mut String) {
        match &v.kind {
            ValueKind::String(s) => out.push_str(&format!("{:?}", s.value)),
            ValueKind::List(values) => {
                out.push('[');
                for v in values {
                    value(v, out);
                    out.push(',');
                }
                out.push(']');
            }
            ValueKind::Map(entries) => {
                out.push('{');
                for e in entries {
                    out.push_str(&format!("{:?}=", e.key.name));
                    value(&e.value, out);
                    out.push(';');
                }
                out.push('}');
            }
            ValueKind::Relative(relative) => {
                let operator = relative.operator.as_str();
                out.push_str(&format!("({} {operator} ", relative.base.name));
                value(&relative.amount, out);
                out.push(')');
            }
            other => out.push_str(&format!("{other:?}")),
        }
    }
    fn items(list: &[Item], out: &mut String) {
        for item in list {
            match item {
                Item::Include(i) => out.push_str(&format!("include {:?};", i.pattern.value)),
                Item::Attribute(a) => {
                    out.push_str(&format!("{} {} ", a.key.name, a.operator.as_str()));
                    value(&a.value, out);
                    out.push(';');
                }
                Item::Block(b) => {
                    let label = b.label.as_ref().map(|l| l.name.as_str());
                    out.push_str(&format!("{} {label:?} {{", b.kind.name));
                    items(&b.items, out);
                    out.push('}');
                }
            }
        }
    }
    let mut out = String::new();
    items(&document.items, &mut out);
    for comment in &document.comments {
        out.push_str(&format!("\n{}", comment.text));
    }
    out
}
