//! The same service in several files (a component's fig.yml and its
//! dependency's own): merged when the two say the same, an error naming
//! both places, the first key that differs and both its values when they
//! do not.

use crate::diagnostic::{Code, Diagnostic};

use super::component::{Body, Component};
use super::lang_value::LangValue;
use super::report::{Place, Reporter};
use super::yaml::{Node, Value};

/// The components so far, in the order first seen.
#[derive(Debug, Default)]
pub struct Merged {
    components: Vec<Component>,
}

impl Merged {
    /// Adds a component, or checks it against the one of the same name.
    pub fn add(&mut self, component: Component, report: &mut Reporter) {
        match self.components.iter().find(|c| c.name == component.name) {
            None => self.components.push(component),
            Some(first) if first.body == component.body => {}
            Some(first) => report.push(conflict(first, &component)),
        }
    }

    /// The merged components.
    pub fn into_components(self) -> Vec<Component> {
        self.components
    }
}

/// E0142 at the first key that differs, with both values.
fn conflict(first: &Component, second: &Component) -> Diagnostic {
    let name = &second.name;
    let Some(difference) = first_difference(&first.body, &second.body) else {
        return Diagnostic::error(
            Code::ImportConflict,
            format!("the service `{name}` is declared differently in two files"),
        )
        .at(second.place.span())
        .with_label("declared here")
        .also(first.place.span(), "and differently here")
        .with_help("make the two declarations the same, or import only one of the files");
    };
    let Difference {
        key,
        what,
        one,
        two,
    } = difference;
    let (first_at, first_node) = key_at(first, &key);
    let (second_at, second_node) = key_at(second, &key);
    // Word for word the same, yet different once read: relative paths,
    // which each file resolves against its own folder.
    let same_text = match (first_node, second_node) {
        (Some(a), Some(b)) => same_yaml(a, b),
        _ => false,
    };
    let help = if same_text {
        format!("both files write `{key}` alike, but its relative paths resolve against each file's folder, so they name different folders; declare `{name}` in one file only (import the other without it), or make both paths name one folder")
    } else {
        "make the two declarations the same, or import only one of the files".to_string()
    };
    Diagnostic::error(
        Code::ImportConflict,
        format!(
            "the service `{name}` is declared differently in two files: {what} is {two} here and {one} in the other",
        ),
    )
    .at(second_at.span())
    .with_label(format!("{two} here"))
    .also(first_at.span(), format!("{one} here"))
    .with_help(help)
}

/// Where the service writes `key` (`depends_on` may be `links`), and its
/// value; the service's name when the key is not its own (`extends`).
fn key_at<'a>(c: &'a Component, key: &str) -> (Place, Option<&'a Node>) {
    c.keys
        .iter()
        .find(|(k, ..)| k == key || (key == "depends_on" && k == "links"))
        .map_or((c.place, None), |(_, place, node)| (*place, Some(node)))
}

/// The first Compose key whose value differs, how to name it (`image`,
/// `environment` `DB_HOST`) and the two values, as the workspace writes them.
struct Difference {
    key: String,
    what: String,
    one: String,
    two: String,
}

fn first_difference(a: &Body, b: &Body) -> Option<Difference> {
    let shown = |v: Option<String>| v.map_or("absent".to_string(), |t| format!("`{t}`"));
    let text = |v: &Option<LangValue>| v.as_ref().map(LangValue::text);
    let whole = |key: &str, one: Option<String>, two: Option<String>| {
        (one != two).then(|| Difference {
            key: key.to_string(),
            what: format!("`{key}`"),
            one: shown(one),
            two: shown(two),
        })
    };
    let ports = |b: &Body| {
        (!b.ports.is_empty()).then(|| {
            LangValue::Map(
                b.ports
                    .iter()
                    .map(|p| (p.name.clone(), p.value()))
                    .collect(),
            )
            .text()
        })
    };
    let names = |b: &Body| {
        (!b.depends_on.is_empty()).then(|| {
            LangValue::List(b.depends_on.iter().cloned().map(LangValue::Name).collect()).text()
        })
    };
    let health = |b: &Body| b.health.as_ref().map(|h| LangValue::Map(h.clone()).text());
    whole("image", text(&a.image), text(&b.image))
        .or_else(|| whole("build", text(&a.build), text(&b.build)))
        .or_else(|| whole("command", text(&a.command), text(&b.command)))
        .or_else(|| whole("ports", ports(a), ports(b)))
        .or_else(|| whole("depends_on", names(a), names(b)))
        .or_else(|| whole("secrets", text(&a.secrets), text(&b.secrets)))
        .or_else(|| whole("configs", text(&a.configs), text(&b.configs)))
        .or_else(|| whole("healthcheck", health(a), health(b)))
        .or_else(|| {
            let env = |b: &Body| -> Vec<(String, String)> {
                b.env
                    .iter()
                    .map(|e| (e.key.clone(), e.value.text()))
                    .collect()
            };
            by_key("environment", &env(a), &env(b))
        })
        .or_else(|| {
            let pass = |b: &Body| -> Vec<(String, String)> {
                b.compose
                    .iter()
                    .map(|(k, v)| (k.clone(), v.text()))
                    .collect()
            };
            let (one, two) = (pass(a), pass(b));
            let key = one
                .iter()
                .chain(&two)
                .find(|(k, _)| {
                    one.iter().find(|(o, _)| o == k) != two.iter().find(|(t, _)| t == k)
                })?
                .0
                .clone();
            let value = |list: &[(String, String)]| {
                list.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone())
            };
            whole(&key, value(&one), value(&two))
        })
}

/// The first entry of a map-like key (`environment`) that differs.
fn by_key(key: &str, one: &[(String, String)], two: &[(String, String)]) -> Option<Difference> {
    let value = |list: &[(String, String)], name: &str| {
        list.iter()
            .find(|(k, _)| k == name)
            .map_or("absent".to_string(), |(_, v)| format!("`{v}`"))
    };
    let name = one
        .iter()
        .chain(two)
        .map(|(k, _)| k)
        .find(|k| value(one, k) != value(two, k))?;
    Some(Difference {
        key: key.to_string(),
        what: format!("`{key}` `{name}`"),
        one: value(one, name),
        two: value(two, name),
    })
}

/// Whether two YAML values are the same, wherever they are written.
fn same_yaml(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_yaml(p, q))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((k, p), (l, q))| k.name == l.name && k.tag == l.tag && same_yaml(p, q))
        }
        (x, y) => x == y,
    }
}
