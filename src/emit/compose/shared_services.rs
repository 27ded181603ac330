//! Services rendered once and shared by every Compose file that holds them
//! with the same inputs (a dependency appears in the test stack of each of
//! its dependents: in a deep workspace, hundreds of times).

use std::borrow::Cow;
use std::sync::OnceLock;

use super::{RenderedService, ServiceFactory, ServicePlan};
use crate::model::{Component, Model};

/// One rendered service per component of `model`, for one plan and one
/// workspace root, filled lazily as the files that need them are rendered.
/// Memory: one rendered service per component, never per file.
#[derive(Debug)]
pub struct SharedServices<'m> {
    model: &'m Model,
    /// The workspace root seen from the files' folder.
    root: String,
    plan: ServicePlan<'static>,
    /// Indexed like `model.components`.
    rendered: Vec<OnceLock<RenderedService>>,
}

impl<'m> SharedServices<'m> {
    /// An empty cache for `model`'s components rendered with `plan`, in
    /// files whose workspace root is `root`.
    pub fn new(model: &'m Model, root: String, plan: ServicePlan<'static>) -> SharedServices<'m> {
        SharedServices {
            model,
            root,
            plan,
            rendered: (0..model.components.len())
                .map(|_| OnceLock::new())
                .collect(),
        }
    }

    /// `component` (the `index`th of the model) rendered by `factory` with
    /// `plan`: the shared text when every input of it is the cache's (the
    /// model, the root, the plan, the component), else rendered afresh.
    pub fn get<'s, 'f>(
        &'s self,
        factory: &ServiceFactory<'f>,
        index: usize,
        component: &'f Component,
        plan: ServicePlan<'_>,
    ) -> Cow<'s, RenderedService> {
        let shared = std::ptr::eq(factory.model, self.model)
            && factory.root == self.root
            && plan == self.plan
            && self
                .model
                .components
                .get(index)
                .is_some_and(|c| std::ptr::eq(c, component));
        match self.rendered.get(index) {
            Some(slot) if shared => Cow::Borrowed(slot.get_or_init(|| {
                RenderedService::new(&component.name, &factory.component(component, plan))
            })),
            _ => Cow::Owned(RenderedService::new(
                &component.name,
                &factory.component(component, plan),
            )),
        }
    }
}
