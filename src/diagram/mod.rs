//! `stackc graph`: the dependency graph as a picture description, for
//! people who would rather look than read. Nodes in topological order,
//! edges from a component to what it depends on, labelled `fixtures` where
//! the component also loads test data into that dependency.

mod dot;
mod mermaid;

pub use dot::dot;
pub use mermaid::mermaid;

use crate::model::{Component, Model};

/// The diagram languages `stackc graph` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiagramFormat {
    /// Graphviz: `stackc graph | dot -Tsvg > graph.svg`.
    Dot,
    /// Mermaid, which GitHub and GitLab render inside Markdown.
    Mermaid,
}

/// Renders the model's dependency graph.
pub fn render(model: &Model, format: DiagramFormat) -> String {
    match format {
        DiagramFormat::Dot => dot(model),
        DiagramFormat::Mermaid => mermaid(model),
    }
}

/// One edge: dependent → dependency, and whether it carries fixtures.
pub(crate) struct Edge<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub fixtures: bool,
}

/// Every dependency edge, components in topological order, dependencies in
/// the order written.
pub(crate) fn edges(model: &Model) -> Vec<Edge<'_>> {
    model
        .components
        .iter()
        .flat_map(|component: &Component| {
            component.depends_on.iter().map(move |dependency| Edge {
                from: component.name.as_str(),
                to: dependency.as_str(),
                fixtures: component.fixtures.iter().any(|f| &f.target == dependency),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
