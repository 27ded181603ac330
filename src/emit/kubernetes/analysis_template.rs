//! A component's Argo Rollouts `AnalysisTemplate`: its `kpi { }` block as
//! Prometheus queries over ingress-nginx's metrics.
//!
//! # Mapping
//!
//! One metric per tolerance, each a query returning one number per window
//! (see [`TrafficQuery`]), or no sample at all when the window had fewer
//! than `min_requests` responses:
//!
//! | tolerance | metric | query's value |
//! | --- | --- | --- |
//! | `error_rate < 1%` | `error-rate` | the canary's share of 5xx responses |
//! | `error_rate < stable + 0.5%` | `error-rate-over-stable` | the canary's share minus the stable version's, same window |
//! | `response_time < 300ms` | `response-time` | the canary's average upstream response time, in seconds |
//! | `response_time < stable + 50ms` | `response-time-over-stable` | the canary's average minus the stable version's, same window |
//!
//! With `L` the tolerance (a fraction, or seconds):
//! `successCondition: len(result) == 1 && result[0] < L` and
//! `failureCondition: len(result) == 1 && result[0] >= L`. Argo Rollouts
//! has no minimum-traffic setting, and without a failure condition a
//! measurement whose success condition is false fails; so the guard is in
//! both: a window with too few responses returns no sample, neither
//! condition holds, and Argo counts the measurement **inconclusive**, never
//! failed. (A relative tolerance also needs `min_requests` responses of the
//! stable version in the window: at the last step, 100 %, it gets none, and
//! that measurement is inconclusive.)
//!
//! Every metric: `interval` and `initialDelay` the deploy's `interval` (the
//! first window is measured once the first step has had one), `failureLimit`
//! `failures - 1` (Argo fails a metric when its failed measurements exceed
//! the limit), `inconclusiveLimit` `inconclusive_limit - 1` (likewise;
//! an inconclusive analysis pauses the Rollout for a person to promote or
//! abort). Argo counts over the whole analysis, not in a row. A blue-green
//! component's post-promotion analysis has to end: `count` is
//! `failures + inconclusive_limit - 1`, so a run that reaches it without
//! failing nor turning inconclusive had at least one good window.

use serde::Serialize;

use super::decimal::decimal;
use super::object_meta::ObjectMeta;
use super::rollout::effective_deploy;
use super::rollout_analysis::NAMESPACE_ARG;
use super::traffic_query::{TrafficQuery, Version};
use crate::model::{format_duration, Component, Tolerance, Workload};

/// The argument holding Prometheus' address.
pub const PROMETHEUS_ARG: &str = "prometheus";
/// Its default: the Service the Prometheus Operator creates for a
/// Prometheus in the namespace `monitoring` (kube-prometheus' layout).
pub const DEFAULT_PROMETHEUS: &str = "http://prometheus-operated.monitoring.svc:9090";

/// Argo Rollouts' `AnalysisTemplate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AnalysisTemplate {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub metadata: ObjectMeta,
    pub spec: AnalysisTemplateSpec,
}

/// Its arguments and metrics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnalysisTemplateSpec {
    pub args: Vec<Argument>,
    pub metrics: Vec<Metric>,
}

/// An argument, with a default value or given by the Rollout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Argument {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// One measured KPI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Metric {
    pub name: String,
    pub interval: String,
    pub initial_delay: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    pub failure_limit: u64,
    pub inconclusive_limit: u64,
    pub success_condition: String,
    pub failure_condition: String,
    pub provider: MetricProvider,
}

/// Where the measurement comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MetricProvider {
    pub prometheus: PrometheusMetric,
}

/// A Prometheus instant query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrometheusMetric {
    pub address: String,
    pub query: String,
}

/// A KPI's metric name, its tolerance, its query and the decimal scale of
/// its values (5: thousandths of a percent as a fraction; 3: ms as seconds).
type KpiQuery<'k> = (
    &'static str,
    Option<&'k Tolerance>,
    fn(&TrafficQuery) -> String,
    u32,
);

impl AnalysisTemplate {
    /// `component`'s template, named after it; `None` without a `kpi` or
    /// when its workload is not a Rollout.
    pub fn of(stack: &str, component: &Component) -> Option<AnalysisTemplate> {
        let kpi = component.kpi.as_ref()?;
        let workload = component.workload();
        if !workload.is_rollout() {
            return None;
        }
        let deploy = effective_deploy(component);
        let window = deploy.interval_ms;
        let (measured, baseline) = match workload {
            Workload::BlueGreenRollout => (Version::All, None),
            _ => (Version::Canary, Some(Version::Stable)),
        };
        let traffic =
            |version| TrafficQuery::new(&component.name, version, window, kpi.min_requests);
        let count = (workload == Workload::BlueGreenRollout).then(|| {
            (kpi.failures + kpi.inconclusive_limit)
                .saturating_sub(1)
                .max(1)
        });
        let metric = |name: &str, query: String, limit: String| Metric {
            name: name.to_string(),
            interval: format_duration(window),
            initial_delay: format_duration(window),
            count,
            failure_limit: kpi.failures.saturating_sub(1),
            inconclusive_limit: kpi.inconclusive_limit.saturating_sub(1),
            success_condition: format!("len(result) == 1 && result[0] < {limit}"),
            failure_condition: format!("len(result) == 1 && result[0] >= {limit}"),
            provider: MetricProvider {
                prometheus: PrometheusMetric {
                    address: format!("{{{{args.{PROMETHEUS_ARG}}}}}"),
                    query,
                },
            },
        };
        let mut metrics = Vec::new();
        let kpis: [KpiQuery<'_>; 2] = [
            (
                "error-rate",
                kpi.error_rate.as_ref(),
                TrafficQuery::error_share,
                5,
            ),
            (
                "response-time",
                kpi.response_time.as_ref(),
                TrafficQuery::response_time,
                3,
            ),
        ];
        for (name, tolerance, query, scale) in kpis {
            let Some(tolerance) = tolerance else { continue };
            if let Some(limit) = tolerance.limit {
                metrics.push(metric(
                    name,
                    query(&traffic(measured)),
                    decimal(limit, scale),
                ));
            }
            if let (Some(margin), Some(baseline)) = (tolerance.over_stable, baseline) {
                let difference = format!(
                    "({}) - ({})",
                    query(&traffic(measured)),
                    query(&traffic(baseline))
                );
                metrics.push(metric(
                    &format!("{name}-over-stable"),
                    difference,
                    decimal(margin, scale),
                ));
            }
        }
        Some(AnalysisTemplate {
            api_version: "argoproj.io/v1alpha1",
            kind: "AnalysisTemplate",
            metadata: ObjectMeta::new(component.name.clone(), stack, &component.name),
            spec: AnalysisTemplateSpec {
                args: vec![
                    Argument {
                        name: NAMESPACE_ARG.to_string(),
                        value: None,
                    },
                    Argument {
                        name: PROMETHEUS_ARG.to_string(),
                        value: Some(DEFAULT_PROMETHEUS.to_string()),
                    },
                ],
                metrics,
            },
        })
    }
}
