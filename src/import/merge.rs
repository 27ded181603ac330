//! The same service in several files (a component's fig.yml and its
//! dependency's own): merged when the two say the same, an error naming
//! both places when they do not.

use crate::diagnostic::{Code, Diagnostic};

use super::component::Component;
use super::report::Reporter;

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
            Some(first) => report.push(
                Diagnostic::error(
                    Code::ImportConflict,
                    format!(
                        "the service `{}` is declared differently in two files",
                        component.name
                    ),
                )
                .at(component.place.span())
                .with_label("declared here")
                .also(first.place.span(), "and differently here")
                .with_help(
                    "make the two declarations the same, or import only the file that declares it fully",
                ),
            ),
        }
    }

    /// The merged components.
    pub fn into_components(self) -> Vec<Component> {
        self.components
    }
}
