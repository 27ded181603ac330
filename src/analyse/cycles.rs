//! Finds dependency cycles and reports each one whole: `a → b → c → a`.

use std::collections::{BTreeMap, BTreeSet};

use super::component::ComponentDraft;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};

/// Reports every dependency cycle once, starting at its smallest name.
/// `direct` is each component's existing direct dependencies.
pub fn report(
    drafts: &[ComponentDraft],
    direct: &BTreeMap<&str, Vec<&str>>,
    diagnostics: &mut Diagnostics,
) {
    let mut reported: BTreeSet<Vec<String>> = BTreeSet::new();
    let mut done: BTreeSet<&str> = BTreeSet::new();
    // The first draft of a name, as duplicates are reported elsewhere.
    let mut by_name: BTreeMap<&str, &ComponentDraft> = BTreeMap::new();
    for draft in drafts {
        by_name.entry(draft.name.name.as_str()).or_insert(draft);
    }
    for start in direct.keys() {
        visit(start, direct, &mut done, &mut |cycle| {
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
                diagnostics.push(diagnostic(&by_name, &rotated));
            }
        });
    }
}

/// Depth-first search from `start`; `on_cycle` gets the names on each cycle
/// found. Iterative, with the current branch on the heap: a chain of tens of
/// thousands of components overflowed the stack when this recursed.
fn visit<'a>(
    start: &'a str,
    direct: &'a BTreeMap<&'a str, Vec<&'a str>>,
    done: &mut BTreeSet<&'a str>,
    on_cycle: &mut impl FnMut(&[&str]),
) {
    if done.contains(start) {
        return;
    }
    // The branch being explored, each name with the index of its next
    // dependency to visit, and each name's place on the branch.
    let mut path: Vec<&'a str> = vec![start];
    let mut next_dependency: Vec<usize> = vec![0];
    let mut on_path: BTreeMap<&'a str, usize> = BTreeMap::from([(start, 0)]);
    while let (Some(&name), Some(index)) = (path.last(), next_dependency.last_mut()) {
        let dependencies = direct.get(name).map_or(&[][..], Vec::as_slice);
        let Some(dep) = dependencies.get(*index) else {
            path.pop();
            next_dependency.pop();
            on_path.remove(name);
            done.insert(name);
            continue;
        };
        *index += 1;
        let dep = *dep;
        if dep == name || done.contains(dep) {
            continue;
        }
        if let Some(&at) = on_path.get(dep) {
            on_cycle(&path[at..]);
            continue;
        }
        on_path.insert(dep, path.len());
        path.push(dep);
        next_dependency.push(0);
    }
}

fn diagnostic(by_name: &BTreeMap<&str, &ComponentDraft>, cycle: &[String]) -> Diagnostic {
    let text = cycle.join(" → ");
    let mut diagnostic =
        Diagnostic::error(Code::DependencyCycle, format!("dependency cycle: {text}"))
            .with_help("a component cannot start before itself; remove one of these dependencies");
    for (index, pair) in cycle.windows(2).enumerate() {
        let [from, to] = pair else { continue };
        let span = by_name
            .get(from.as_str())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn cycles_from(start: &str, direct: &BTreeMap<String, Vec<String>>) -> Vec<Vec<String>> {
        let direct: BTreeMap<&str, Vec<&str>> = direct
            .iter()
            .map(|(name, deps)| (name.as_str(), deps.iter().map(String::as_str).collect()))
            .collect();
        let direct = &direct;
        let mut done = BTreeSet::new();
        let mut cycles = Vec::new();
        visit(start, direct, &mut done, &mut |cycle| {
            cycles.push(cycle.iter().map(|s| s.to_string()).collect());
        });
        cycles
    }

    #[test]
    fn finds_each_cycle_on_the_branch() {
        let direct: BTreeMap<String, Vec<String>> = [
            ("a", vec!["b"]),
            ("b", vec!["c", "b"]),
            ("c", vec!["a", "d"]),
            ("d", vec!["b"]),
        ]
        .into_iter()
        .map(|(n, deps)| (n.to_string(), deps.into_iter().map(String::from).collect()))
        .collect();
        assert_eq!(
            cycles_from("a", &direct),
            [vec!["a", "b", "c"], vec!["b", "c", "d"]]
        );
    }

    #[test]
    fn a_chain_of_a_hundred_thousand_does_not_overflow_the_stack() {
        let n = 100_000;
        let direct: BTreeMap<String, Vec<String>> = (0..n)
            .map(|i| (format!("c{i:06}"), vec![format!("c{:06}", (i + 1) % n)]))
            .collect();
        let cycles = cycles_from("c000000", &direct);
        assert_eq!(cycles.iter().map(Vec::len).collect::<Vec<_>>(), [n]);
    }
}
