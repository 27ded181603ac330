//! Renders one build's artifacts share across targets: each environment's
//! HAProxy configuration is both its own file (`haproxy/ENV.cfg`) and, as a
//! checksum, a label of the environment's Compose file; it is rendered once
//! per build, by whichever artifact asks first. Its route rules and
//! backends, the same in every environment, are rendered once for all.

use std::sync::{Arc, OnceLock};

use super::haproxy;
use crate::model::{Environment, Model};

/// A per-build cache the artifacts' render closures share (cheap to clone:
/// one reference count). Memory: one HAProxy configuration per environment,
/// kept until the last artifact holding the cache is dropped.
#[derive(Debug, Clone)]
pub struct BuildCache<'m> {
    inner: Arc<Inner<'m>>,
}

#[derive(Debug)]
struct Inner<'m> {
    model: &'m Model,
    /// Indexed like `model.environments`; `None` inside when no component
    /// has a route.
    haproxy: Vec<OnceLock<Option<String>>>,
    /// The HAProxy sections every environment shares; `None` inside when no
    /// component has a route.
    routing: OnceLock<Option<haproxy::Routing>>,
}

impl<'m> BuildCache<'m> {
    /// An empty cache for `model`.
    pub fn new(model: &'m Model) -> BuildCache<'m> {
        BuildCache {
            inner: Arc::new(Inner {
                model,
                haproxy: model.environments.iter().map(|_| OnceLock::new()).collect(),
                routing: OnceLock::new(),
            }),
        }
    }

    /// `environment`'s HAProxy configuration as [`haproxy::config`] renders
    /// it for `model`: shared when `model` and `environment` are the cache's
    /// own, else rendered afresh.
    pub fn haproxy_config<'s>(
        &'s self,
        model: &Model,
        environment: &Environment,
    ) -> Option<std::borrow::Cow<'s, str>> {
        let inner = &*self.inner;
        let slot = std::ptr::eq(model, inner.model)
            .then(|| {
                inner
                    .model
                    .environments
                    .iter()
                    .position(|e| std::ptr::eq(e, environment))
            })
            .flatten()
            .and_then(|index| inner.haproxy.get(index));
        match slot {
            Some(slot) => slot
                .get_or_init(|| {
                    let routing = inner
                        .routing
                        .get_or_init(|| haproxy::Routing::new(inner.model));
                    routing
                        .as_ref()
                        .and_then(|routing| haproxy::config_with(inner.model, environment, routing))
                })
                .as_deref()
                .map(std::borrow::Cow::Borrowed),
            None => haproxy::config(model, environment).map(std::borrow::Cow::Owned),
        }
    }
}
