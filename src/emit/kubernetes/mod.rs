//! Kubernetes manifests: for every environment with `orchestrator =
//! kubernetes`, the folder `kubernetes/ENV/`, one object per file, named
//! `OBJECT.KIND.yaml` (the object's name, its kind in lower case), for
//! `kubectl apply -n NAMESPACE -f kubernetes/ENV/`. See
//! `docs/cluster.md` (its Kubernetes section) for every mapping.
//!
//! Per component, in the model's order:
//! - `COMPONENT.configmap.yaml`: its plain variables' values in the
//!   environment ([`ConfigMap`]), when it has any;
//! - `COMPONENT.deployment.yaml` ([`Deployment`]), or for a progressively
//!   delivered routed component `COMPONENT.rollout.yaml` ([`Rollout`],
//!   Argo Rollouts) and, with a `kpi`, `COMPONENT.analysistemplate.yaml`
//!   ([`AnalysisTemplate`]);
//! - `COMPONENT.service.yaml` when it has ports, and the Services its
//!   Rollout needs: `COMPONENT-stable` and `COMPONENT-canary` (canary),
//!   `COMPONENT-preview` (blue-green) ([`Service`]);
//! - `COMPONENT.ingress.yaml` when it has routes ([`Ingress`]).
//!
//! Secrets are read from the Secret `COMPONENT-secrets`, which stackc does
//! not write (see [`env_var::secret_name`]).

mod affinity;
mod analysis_template;
mod blue_green_strategy;
mod canary_strategy;
mod config_map;
mod container;
mod decimal;
mod deployment;
mod env_var;
mod ingress;
mod int_or_string;
mod label_selector;
mod object_meta;
mod pod_template;
mod probe;
mod resource_requirements;
mod rollout;
mod rollout_analysis;
mod run_time_default;
mod service;
mod traffic_query;

pub use affinity::{Affinity, CONTROL_PLANE_LABEL};
pub use analysis_template::{AnalysisTemplate, DEFAULT_PROMETHEUS, PROMETHEUS_ARG};
pub use config_map::ConfigMap;
pub use container::Container;
pub use deployment::Deployment;
pub use env_var::{secret_name, EnvVar};
pub use ingress::{Ingress, INGRESS_CLASS};
pub use object_meta::{labels, ObjectMeta};
pub use pod_template::{PodTemplateSpec, CONFIG_HASH_ANNOTATION};
pub use probe::Probes;
pub use rollout::{Rollout, ARGO_ROLLOUTS_VERSION};
pub use service::Service;

use serde::Serialize;

use super::BuildCache;
use super::{yaml, Target};
use crate::model::{Component, Environment, Model, Orchestrator, Workload};
use crate::output::{Artifact, FileMode, Layout, Root};

/// The Kubernetes target.
#[derive(Debug, Clone, Copy, Default)]
pub struct Kubernetes;

impl Target for Kubernetes {
    fn name(&self) -> &'static str {
        "kubernetes"
    }

    /// Every object of every component, for every Kubernetes environment,
    /// in the environments' declared order.
    fn artifacts<'m>(
        &self,
        model: &'m Model,
        _layout: &Layout,
        _cache: &BuildCache<'m>,
    ) -> Vec<Artifact<'m>> {
        let mut files = Vec::new();
        for environment in model.environments_on(Orchestrator::Kubernetes) {
            for component in &model.components {
                for (object, kind) in objects(component) {
                    let path = format!("kubernetes/{}/{object}.{kind}.yaml", environment.name);
                    files.push(Artifact::new(
                        Root::Output,
                        path,
                        FileMode::Regular,
                        move || render(model, environment, component, kind, &object),
                    ));
                }
            }
        }
        files
    }
}

/// Every Kubernetes file, rendered, as (path, contents): for tests.
pub fn emit(model: &Model) -> Vec<(String, String)> {
    super::render_all(Kubernetes.artifacts(model, &Layout::default(), &BuildCache::new(model)))
}

/// The objects written for `component`, as (name, kind in lower case),
/// the same in every Kubernetes environment.
fn objects(component: &Component) -> Vec<(String, &'static str)> {
    let name = &component.name;
    let workload = component.workload();
    let mut out = Vec::new();
    if has_config_map(component) {
        out.push((name.clone(), "configmap"));
    }
    if workload.is_rollout() {
        out.push((name.clone(), "rollout"));
        if component.kpi.is_some() {
            out.push((name.clone(), "analysistemplate"));
        }
    } else {
        out.push((name.clone(), "deployment"));
    }
    if !component.ports.is_empty() {
        out.push((name.clone(), "service"));
        for suffix in workload.service_suffixes() {
            out.push((format!("{name}-{suffix}"), "service"));
        }
    }
    if !component.routes.is_empty() {
        out.push((name.clone(), "ingress"));
    }
    out
}

/// Whether `component` has a plain variable, and so a ConfigMap in every
/// environment (every variable has a value in every environment).
fn has_config_map(component: &Component) -> bool {
    component.env.iter().any(|var| !var.secret)
}

/// The file of the object `object` of kind `kind`: the header naming the
/// Stackfile and the component's spec file, then the object.
fn render(
    model: &Model,
    environment: &Environment,
    component: &Component,
    kind: &str,
    object: &str,
) -> String {
    let stack = model.stack.name.as_str();
    let mut sources: Vec<&str> = model
        .sources
        .first()
        .map(String::as_str)
        .into_iter()
        .collect();
    if !sources.contains(&component.source.as_str()) {
        sources.push(&component.source);
    }
    let config_map = ConfigMap::of(stack, component, &environment.name);
    let template = || {
        PodTemplateSpec::of(
            stack,
            component,
            config_map.as_ref().map(ConfigMap::data_hash),
        )
    };
    fn text<T: Serialize>(value: &T, sources: &[&str]) -> String {
        yaml::document(value, sources)
    }
    match kind {
        "configmap" => text(&config_map, &sources),
        "deployment" => text(&Deployment::of(stack, component, template()), &sources),
        "rollout" => text(&Rollout::of(stack, component, template()), &sources),
        "analysistemplate" => text(&AnalysisTemplate::of(stack, component), &sources),
        "service" => text(&Service::of(stack, component, object.to_string()), &sources),
        "ingress" => {
            let service = if component.workload() == Workload::CanaryRollout {
                format!("{}-stable", component.name)
            } else {
                component.name.clone()
            };
            text(&Ingress::of(stack, component, &service), &sources)
        }
        // `objects` lists no other kind.
        _ => String::new(),
    }
}
