//! What every Compose service of a component holds whatever the file and
//! plan (its health check), computed once per build rather than once per
//! service: a component appears in up to seven kinds of service.

use std::borrow::Cow;
use std::sync::OnceLock;

use super::Healthcheck;
use crate::model::{Component, Model};

/// One entry per component of `model`, filled lazily by the services that
/// need it. Memory: one health check per component.
#[derive(Debug)]
pub struct SharedParts<'m> {
    model: &'m Model,
    /// Indexed like `model.components`.
    healthchecks: Vec<OnceLock<Option<Healthcheck>>>,
}

impl<'m> SharedParts<'m> {
    /// An empty cache for `model`'s components.
    pub fn new(model: &'m Model) -> SharedParts<'m> {
        SharedParts {
            model,
            healthchecks: (0..model.components.len())
                .map(|_| OnceLock::new())
                .collect(),
        }
    }

    /// `component`'s Compose health check (`None` without a `health`
    /// block): the shared one when `component` is one of the cache's
    /// model's components, else computed afresh.
    pub fn healthcheck<'s>(
        &'s self,
        model: &Model,
        component: &Component,
    ) -> Option<Cow<'s, Healthcheck>> {
        let slot = std::ptr::eq(model, self.model)
            .then(|| super::position(self.model, &component.name))
            .flatten()
            .filter(|&index| {
                self.model
                    .components
                    .get(index)
                    .is_some_and(|c| std::ptr::eq(c, component))
            })
            .and_then(|index| self.healthchecks.get(index));
        match slot {
            Some(slot) => slot
                .get_or_init(|| component.health.as_ref().map(Healthcheck::from_health))
                .as_ref()
                .map(Cow::Borrowed),
            None => component
                .health
                .as_ref()
                .map(|health| Cow::Owned(Healthcheck::from_health(health))),
        }
    }
}
