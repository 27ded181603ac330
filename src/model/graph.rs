//! The dependency graph: topological order, closures and reverse closures.

use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct Graph {
    /// Every component, dependencies before dependents, ties broken by name.
    pub order: Vec<String>,
    /// Per component, its transitive dependencies in topological order.
    pub closures: BTreeMap<String, Vec<String>>,
    /// Per component, everything that depends on it, in topological order.
    pub dependents: BTreeMap<String, Vec<String>>,
    /// Per component, its index in `order`: emitters look components up
    /// once per dependency edge, which must not cost a scan of the stack.
    #[serde(skip)]
    pub positions: BTreeMap<String, usize>,
}

impl Graph {
    /// Builds the graph from each component's direct dependencies.
    /// Returns `None` when there is a cycle (the analyser reports cycles
    /// before building the graph, so this is a safety net).
    pub fn build(direct: &BTreeMap<String, Vec<String>>) -> Option<Graph> {
        // Kahn's algorithm over a BTreeMap keeps ties in name order.
        let mut remaining: BTreeMap<&str, usize> = direct
            .iter()
            .map(|(name, deps)| {
                let known = deps.iter().filter(|d| direct.contains_key(*d)).count();
                (name.as_str(), known)
            })
            .collect();
        let mut order: Vec<String> = Vec::with_capacity(direct.len());
        let mut users: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (name, deps) in direct {
            for dep in deps.iter().filter(|d| direct.contains_key(*d)) {
                users.entry(dep.as_str()).or_default().push(name.as_str());
            }
        }
        let mut ready: std::collections::BTreeSet<&str> = remaining
            .iter()
            .filter(|(_, n)| **n == 0)
            .map(|(name, _)| *name)
            .collect();
        while let Some(next) = ready.pop_first() {
            order.push(next.to_string());
            for user in users.get(next).into_iter().flatten() {
                if let Some(count) = remaining.get_mut(user) {
                    *count -= 1;
                    if *count == 0 {
                        ready.insert(user);
                    }
                }
            }
        }
        if order.len() != direct.len() {
            return None;
        }

        // Closures as sorted lists of topological positions: merging sorted
        // lists is linear, and position order is topological order.
        let positions: BTreeMap<String, usize> = order
            .iter()
            .enumerate()
            .map(|(i, name)| (name.clone(), i))
            .collect();
        let mut by_position: Vec<Vec<usize>> = Vec::with_capacity(order.len());
        for name in &order {
            let mut closure: Vec<usize> = Vec::new();
            for dep in direct.get(name).into_iter().flatten() {
                let Some(&at) = positions.get(dep.as_str()) else {
                    continue;
                };
                let inner = by_position.get(at).map_or(&[][..], Vec::as_slice);
                closure = merge(&closure, inner);
                closure = merge(&closure, &[at]);
            }
            by_position.push(closure);
        }
        let mut closures: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut dependents: Vec<Vec<String>> = vec![Vec::new(); order.len()];
        for (at, closure) in by_position.iter().enumerate() {
            let name = order.get(at).cloned().unwrap_or_default();
            for &dep in closure {
                if let Some(list) = dependents.get_mut(dep) {
                    list.push(name.clone());
                }
            }
            let names = closure
                .iter()
                .filter_map(|&i| order.get(i).cloned())
                .collect();
            closures.insert(name, names);
        }
        let dependents = order.iter().cloned().zip(dependents).collect();
        Some(Graph {
            order,
            closures,
            dependents,
            positions,
        })
    }

    /// `name`'s index in [`Graph::order`].
    pub fn position(&self, name: &str) -> Option<usize> {
        self.positions.get(name).copied()
    }

    /// `name`'s transitive dependencies, in topological order.
    pub fn closure(&self, name: &str) -> &[String] {
        self.closures.get(name).map_or(&[], Vec::as_slice)
    }

    /// Everything that depends on `name`, in topological order.
    pub fn dependents(&self, name: &str) -> &[String] {
        self.dependents.get(name).map_or(&[], Vec::as_slice)
    }
}

/// The union of two sorted lists, sorted, without duplicates.
fn merge(a: &[usize], b: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) {
        match x.cmp(&y) {
            std::cmp::Ordering::Less => {
                out.push(x);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(y);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(x);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(a.get(i..).unwrap_or(&[]));
    out.extend_from_slice(b.get(j..).unwrap_or(&[]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(edges: &[(&str, &[&str])]) -> Option<Graph> {
        let direct = edges
            .iter()
            .map(|(n, deps)| (n.to_string(), deps.iter().map(|d| d.to_string()).collect()))
            .collect();
        Graph::build(&direct)
    }

    #[test]
    fn order_closures_dependents() {
        let g = graph(&[
            ("web", &["api"]),
            ("api", &["db", "cache"]),
            ("db", &[]),
            ("cache", &[]),
            ("worker", &["db"]),
        ])
        .expect("acyclic");
        assert_eq!(g.order, ["cache", "db", "api", "web", "worker"]);
        assert_eq!(g.closure("web"), ["cache", "db", "api"]);
        assert_eq!(g.dependents("db"), ["api", "web", "worker"]);
        assert!(g.closure("db").is_empty());
    }

    #[test]
    fn cycle_is_none() {
        assert!(graph(&[("a", &["b"]), ("b", &["a"])]).is_none());
    }
}
