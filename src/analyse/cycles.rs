//! Finds dependency cycles and reports each one whole: `a → b → c → a`.

use std::collections::{BTreeMap, BTreeSet};

use super::component::ComponentDraft;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};

pub fn report(
    drafts: &[ComponentDraft],
    direct: &BTreeMap<String, Vec<String>>,
    diagnostics: &mut Diagnostics,
) {
    let mut reported: BTreeSet<Vec<String>> = BTreeSet::new();
    let mut done: BTreeSet<&str> = BTreeSet::new();
    for start in direct.keys() {
        let mut path: Vec<&str> = Vec::new();
        visit(start, direct, &mut path, &mut done, &mut |cycle| {
            // Rotate so the cycle starts at its smallest name: one report per cycle.
            let smallest = cycle
                .iter()
                .enumerate()
                .min_by_key(|(_, n)| **n)
                .map_or(0, |(i, _)| i);
            let mut rotated: Vec<String> = cycle[smallest..]
                .iter()
                .chain(&cycle[..smallest])
                .map(|s| s.to_string())
                .collect();
            if reported.insert(rotated.clone()) {
                if let Some(first) = rotated.first().cloned() {
                    rotated.push(first);
                }
                diagnostics.push(diagnostic(drafts, &rotated));
            }
        });
    }
}

/// Depth-first search; `on_cycle` gets the names on each cycle found.
fn visit<'a>(
    name: &'a str,
    direct: &'a BTreeMap<String, Vec<String>>,
    path: &mut Vec<&'a str>,
    done: &mut BTreeSet<&'a str>,
    on_cycle: &mut impl FnMut(&[&str]),
) {
    if done.contains(name) {
        return;
    }
    if let Some(at) = path.iter().position(|n| *n == name) {
        on_cycle(&path[at..]);
        return;
    }
    path.push(name);
    for dep in direct.get(name).into_iter().flatten() {
        if dep != name {
            visit(dep, direct, path, done, on_cycle);
        }
    }
    path.pop();
    done.insert(name);
}

fn diagnostic(drafts: &[ComponentDraft], cycle: &[String]) -> Diagnostic {
    let text = cycle.join(" → ");
    let mut diagnostic =
        Diagnostic::error(Code::DependencyCycle, format!("dependency cycle: {text}"))
            .with_help("a component cannot start before itself; remove one of these dependencies");
    for (index, pair) in cycle.windows(2).enumerate() {
        let [from, to] = pair else { continue };
        let span = drafts
            .iter()
            .find(|d| d.name.name == *from)
            .and_then(|d| d.depends_on.iter().find(|dep| dep.name == *to))
            .map(|dep| dep.span);
        if let Some(span) = span {
            if index == 0 {
                diagnostic = diagnostic
                    .at(span)
                    .with_label(format!("`{from}` depends on `{to}`"));
            } else {
                diagnostic = diagnostic.also(span, format!("`{from}` depends on `{to}`"));
            }
        }
    }
    diagnostic
}
