//! The dependency graph: topological order, direct edges, and closures and
//! reverse closures computed on demand.
//!
//! Components are identified by their *position* in [`Graph::order`]. Every
//! dependency sits at a lower position than what depends on it, so a sorted
//! list of positions is a list in topological order. The graph stores only
//! the direct edges (memory linear in the spec); a closure is walked when
//! asked for, so no query costs more than the closure it returns.

use std::collections::BTreeMap;

use fnv::FnvHashMap;
use serde::ser::{SerializeMap, SerializeStruct};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Graph {
    /// Every component, dependencies before dependents, ties broken by name.
    pub order: Vec<String>,
    /// Per component, its index in `order`.
    positions: FnvHashMap<String, usize>,
    /// Per position, the positions of its direct dependencies, ascending.
    dependencies: Vec<Vec<usize>>,
    /// Per position, the positions of what depends on it directly, ascending.
    users: Vec<Vec<usize>>,
}

impl Graph {
    /// Builds the graph from each component's direct dependencies (names
    /// missing from `direct` are ignored). Returns `None` when there is a
    /// cycle (the analyser reports cycles before building the graph, so
    /// this is a safety net).
    /// Names are owned or borrowed (`String` or `&str`, keys and
    /// dependencies alike).
    pub fn build<K, D>(direct: &BTreeMap<K, Vec<D>>) -> Option<Graph>
    where
        K: AsRef<str>,
        D: AsRef<str>,
    {
        let names: Vec<&str> = direct.keys().map(AsRef::as_ref).collect();
        let index: FnvHashMap<&str, usize> =
            names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
        let dependencies: Vec<Vec<usize>> = direct
            .values()
            .map(|deps| {
                deps.iter()
                    .filter_map(|dep| index.get(dep.as_ref()).copied())
                    .collect()
            })
            .collect();
        Graph::from_indices(&names, &dependencies)
    }

    /// Builds the graph from `names`, sorted and each once, and per name
    /// (at the same index) the indices in `names` of its direct
    /// dependencies; an index past the end is ignored. Returns `None` when
    /// there is a cycle. The analyser's way: it has the sorted names and
    /// finds each dependency's index as it checks it.
    pub fn from_indices(names: &[&str], direct: &[Vec<usize>]) -> Option<Graph> {
        // Kahn's algorithm over names in sorted order, with a BTreeSet of
        // ready indices: ties are broken by name.
        let mut remaining: Vec<usize> = vec![0; names.len()];
        let mut users_by_index: Vec<Vec<usize>> = vec![Vec::new(); names.len()];
        for (at, deps) in direct.iter().enumerate() {
            for &dep_at in deps {
                if let (Some(count), Some(users)) =
                    (remaining.get_mut(at), users_by_index.get_mut(dep_at))
                {
                    *count += 1;
                    users.push(at);
                }
            }
        }
        let mut ready: std::collections::BTreeSet<usize> = remaining
            .iter()
            .enumerate()
            .filter(|(_, n)| **n == 0)
            .map(|(i, _)| i)
            .collect();
        let mut sorted: Vec<usize> = Vec::with_capacity(names.len());
        while let Some(next) = ready.pop_first() {
            sorted.push(next);
            for &user in users_by_index.get(next).into_iter().flatten() {
                if let Some(count) = remaining.get_mut(user) {
                    *count -= 1;
                    if *count == 0 {
                        ready.insert(user);
                    }
                }
            }
        }
        if sorted.len() != names.len() {
            return None;
        }

        let mut position_of_index = vec![0; names.len()];
        for (position, &at) in sorted.iter().enumerate() {
            if let Some(slot) = position_of_index.get_mut(at) {
                *slot = position;
            }
        }
        let order: Vec<String> = sorted
            .iter()
            .filter_map(|&at| names.get(at).map(|n| (*n).to_owned()))
            .collect();
        let positions = order
            .iter()
            .enumerate()
            .map(|(position, name)| (name.clone(), position))
            .collect();
        let mut dependencies: Vec<Vec<usize>> = vec![Vec::new(); order.len()];
        let mut users: Vec<Vec<usize>> = vec![Vec::new(); order.len()];
        for (at, deps) in direct.iter().enumerate() {
            let Some(&from) = position_of_index.get(at) else {
                continue;
            };
            for &dep_at in deps {
                let Some(&to) = position_of_index.get(dep_at) else {
                    continue;
                };
                if let Some(list) = dependencies.get_mut(from) {
                    list.push(to);
                }
                if let Some(list) = users.get_mut(to) {
                    list.push(from);
                }
            }
        }
        for list in dependencies.iter_mut().chain(users.iter_mut()) {
            list.sort_unstable();
            list.dedup();
        }
        Some(Graph {
            order,
            positions,
            dependencies,
            users,
        })
    }

    /// `name`'s index in [`Graph::order`].
    pub fn position(&self, name: &str) -> Option<usize> {
        self.positions.get(name).copied()
    }

    /// The component at `position` in [`Graph::order`].
    pub fn name(&self, position: usize) -> Option<&str> {
        self.order.get(position).map(String::as_str)
    }

    /// The positions of `name`'s transitive dependencies (not `name`
    /// itself), ascending: dependencies first. Empty for an unknown name.
    pub fn closure_positions(&self, name: &str) -> Vec<usize> {
        self.position(name)
            .map_or_else(Vec::new, |at| reach(&self.dependencies, at))
    }

    /// The positions of everything that depends on `name`, directly or
    /// not, ascending (topological order). Empty for an unknown name.
    pub fn dependents_positions(&self, name: &str) -> Vec<usize> {
        self.position(name)
            .map_or_else(Vec::new, |at| reach(&self.users, at))
    }

    /// `name`'s transitive dependencies, in topological order.
    pub fn closure(&self, name: &str) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.names(self.closure_positions(name))
    }

    /// Everything that depends on `name`, in topological order.
    pub fn dependents(&self, name: &str) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.names(self.dependents_positions(name))
    }

    /// Whether `name` depends on `other`, directly or not. Costs at most a
    /// walk of the part of `name`'s closure that lies above `other`.
    pub fn depends_on(&self, name: &str, other: &str) -> bool {
        let (Some(from), Some(to)) = (self.position(name), self.position(other)) else {
            return false;
        };
        if to >= from {
            return false;
        }
        let direct = |at: usize| self.dependencies.get(at).map_or(&[][..], Vec::as_slice);
        if direct(from).binary_search(&to).is_ok() {
            return true;
        }
        // Below `to` in the order nothing can reach it: prune there.
        let mut seen = fnv::FnvHashSet::default();
        let mut stack = vec![from];
        while let Some(at) = stack.pop() {
            for &dep in direct(at).iter().rev() {
                if dep == to {
                    return true;
                }
                if dep > to && seen.insert(dep) {
                    stack.push(dep);
                }
            }
        }
        false
    }

    fn names(&self, positions: Vec<usize>) -> impl ExactSizeIterator<Item = &str> + '_ {
        // Every position came from this graph's own edges.
        positions
            .into_iter()
            .map(|at| self.order.get(at).map_or("", String::as_str))
    }
}

/// Every position reachable from `start` along `edges` (not `start`
/// itself), ascending.
fn reach(edges: &[Vec<usize>], start: usize) -> Vec<usize> {
    thread_local! {
        static VISITS: std::cell::RefCell<Visits> = std::cell::RefCell::default();
    }
    VISITS.with_borrow_mut(|visits| visits.reach(edges, start))
}

/// What a walk of the graph has seen, kept between walks on one thread: a
/// position is seen when its mark is the current walk's number, so a walk
/// never clears the marks of the one before and costs the size of what it
/// reaches, not of the graph (emitters ask for closures thousands of times;
/// a hash set per walk was a sixth of a deep workspace's build).
#[derive(Default)]
struct Visits {
    /// Per position, the number of the last walk that reached it.
    marks: Vec<u32>,
    /// The current walk's number (never 0 while walking: 0 is unmarked).
    walk: u32,
}

impl Visits {
    fn reach(&mut self, edges: &[Vec<usize>], start: usize) -> Vec<usize> {
        if self.marks.len() < edges.len() {
            self.marks.resize(edges.len(), 0);
        }
        self.walk = self.walk.wrapping_add(1);
        if self.walk == 0 {
            self.marks.fill(0);
            self.walk = 1;
        }
        let walk = self.walk;
        let mut found = Vec::new();
        let mut stack = vec![start];
        while let Some(at) = stack.pop() {
            for &next in edges.get(at).into_iter().flatten() {
                if let Some(mark) = self.marks.get_mut(next) {
                    if *mark != walk {
                        *mark = walk;
                        found.push(next);
                        stack.push(next);
                    }
                }
            }
        }
        found.sort_unstable();
        found
    }
}

/// The graph as the model's snapshots show it: the order, then per
/// component (by name) its closure and its dependents, as names.
impl serde::Serialize for Graph {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut graph = serializer.serialize_struct("Graph", 3)?;
        graph.serialize_field("order", &self.order)?;
        graph.serialize_field("closures", &PerName(self, Graph::closure_positions))?;
        graph.serialize_field("dependents", &PerName(self, Graph::dependents_positions))?;
        graph.end()
    }
}

/// A map from every component's name (sorted) to the names at the
/// positions `query` returns for it, computed while serializing.
struct PerName<'a>(&'a Graph, fn(&Graph, &str) -> Vec<usize>);

impl serde::Serialize for PerName<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let PerName(graph, query) = *self;
        let mut names: Vec<&str> = graph.order.iter().map(String::as_str).collect();
        names.sort_unstable();
        let mut map = serializer.serialize_map(Some(names.len()))?;
        for name in names {
            let listed: Vec<&str> = graph.names(query(graph, name)).collect();
            map.serialize_entry(name, &listed)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests;
