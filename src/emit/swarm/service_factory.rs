//! Builds the services of a stack file: each component through the
//! Compose emitter's own factory (image, command, the environment's
//! values, health check, pass-through with its paths rebased), then made a
//! Swarm service; and the `haproxy` edge.

use indexmap::IndexMap;

use super::edge_config::{HTTP_TARGET, SERVER_TIMEOUT_MS, STATS_TARGET};
use super::{Deploy, PublishMode, PublishedPort, SwarmService};
use crate::emit::compose::{
    FileMount, FileObjects, Healthcheck, PassThroughValue, Publish, PullPolicy, Service,
    ServiceFactory, ServicePlan,
};
use crate::model::{
    format_duration, Component, Environment, Health, HealthCheck, Model, PassValue, Port,
    RollingUpdate, SwarmKey, UpdateOrder, MERGED_DEPLOY_KEYS,
};

/// A task's time between SIGTERM and SIGKILL: longer than the edge lets a
/// request take, so one in flight at SIGTERM is answered (or given up on
/// by HAProxy) first. The app should keep answering a few seconds after
/// SIGTERM, then exit; `compose { stop_grace_period }` gives another time.
pub const STOP_GRACE_MS: u64 = SERVER_TIMEOUT_MS + 5_000;

/// The edge's stop grace: HAProxy stops at once on SIGTERM.
const EDGE_STOP_GRACE_MS: u64 = 5_000;

/// How long a new edge task is watched, and its health check's timing.
const EDGE_MONITOR_MS: u64 = 5_000;
const EDGE_HEALTH_INTERVAL_MS: u64 = 2_000;
const EDGE_HEALTH_TIMEOUT_MS: u64 = 10_000;

/// Where the official image reads its configuration.
const CONFIG_TARGET: &str = "/usr/local/etc/haproxy/haproxy.cfg";

/// `component` as a service of `environment`'s stack file. `factory`'s
/// root is the workspace seen from the stack file's folder.
pub fn component_service<'m>(
    factory: &ServiceFactory<'m>,
    environment: &Environment,
    component: &'m Component,
) -> SwarmService<'m> {
    let plan = ServicePlan {
        environment: &environment.name,
        publish: Publish::Nothing,
        dependencies: false,
        fixtures: false,
        pull_policy: PullPolicy::Always,
    };
    let Service {
        image,
        command,
        environment: values,
        healthcheck,
        secrets,
        configs,
        file_objects,
        pass_through,
        ..
    } = factory.component(component, plan);
    let mut deploy = Deploy::component(component);
    let mut kept = IndexMap::new();
    for (key, value) in pass_through {
        match SwarmKey::of(&key) {
            SwarmKey::Kept => {
                kept.insert(key, value);
            }
            SwarmKey::Deploy => deploy.merged = merged_deploy_keys(&value),
            SwarmKey::Ignored | SwarmKey::ComposeOnly | SwarmKey::Refused => {}
        }
    }
    let stop_grace_period =
        (!kept.contains_key("stop_grace_period")).then(|| format_duration(STOP_GRACE_MS));
    SwarmService {
        image,
        command,
        environment: values,
        healthcheck: healthcheck.map(std::borrow::Cow::into_owned),
        stop_grace_period,
        depends_on: component.depends_on.clone(),
        ports: component
            .ports
            .iter()
            .filter_map(|port| port.published.map(|host| (port, host)))
            // One entry per protocol; Swarm has no `host_ip` (the mesh
            // answers on every address of every node).
            .flat_map(|(port, host)| {
                port.protocols.iter().map(move |&protocol| {
                    PublishedPort::new(port.container, host, protocol, PublishMode::Ingress)
                })
            })
            .collect(),
        secrets,
        configs,
        file_objects,
        pass_through: kept,
        deploy,
    }
}

/// The keys of a pass-through `deploy` that are merged into the
/// service's own (the analyser refuses the others).
fn merged_deploy_keys<'m>(value: &PassThroughValue<'m>) -> IndexMap<String, PassThroughValue<'m>> {
    let PassValue::Map(entries) = value.0.as_ref() else {
        return IndexMap::new();
    };
    entries
        .iter()
        .filter(|(key, _)| MERGED_DEPLOY_KEYS.contains(&key.as_str()))
        .map(|(key, value)| {
            (
                key.clone(),
                PassThroughValue(std::borrow::Cow::Owned(value.clone())),
            )
        })
        .collect()
}

/// The `haproxy` service of `environment`: the edge routed traffic enters
/// through. One task, on the proxy's ports of the node it runs on
/// (host mode: Swarm's routing mesh needs IPVS, which not every kernel
/// has), its configuration the Swarm config `config`; updated stop-first,
/// since the new task cannot take the port while the old one holds it.
pub fn edge_service<'m>(
    model: &'m Model,
    environment: &Environment,
    config: &str,
) -> SwarmService<'m> {
    let proxy = &environment.proxy;
    let edge_port = Port::tcp("http", HTTP_TARGET, None);
    let health = Health {
        check: HealthCheck::Tcp { port: edge_port },
        interval_ms: EDGE_HEALTH_INTERVAL_MS,
        timeout_ms: EDGE_HEALTH_TIMEOUT_MS,
    };
    let rolling = RollingUpdate {
        parallelism: 1,
        delay_ms: 0,
        order: UpdateOrder::StopFirst,
        monitor_ms: EDGE_MONITOR_MS,
    };
    SwarmService {
        image: proxy.image.to_compose(),
        command: None,
        environment: IndexMap::new(),
        healthcheck: Some(Healthcheck::from_health(&health)),
        stop_grace_period: Some(format_duration(EDGE_STOP_GRACE_MS)),
        depends_on: model
            .components
            .iter()
            .filter(|c| !c.routes.is_empty())
            .map(|c| c.name.clone())
            .collect(),
        ports: vec![
            PublishedPort::tcp(HTTP_TARGET, proxy.http_port, PublishMode::Host),
            PublishedPort::tcp(STATS_TARGET, proxy.stats_port, PublishMode::Host),
        ],
        secrets: Vec::new(),
        configs: vec![FileMount::Long {
            source: config.to_string(),
            target: CONFIG_TARGET.to_string(),
        }],
        file_objects: FileObjects::default(),
        pass_through: IndexMap::new(),
        deploy: Deploy::new(1, &rolling),
    }
}
