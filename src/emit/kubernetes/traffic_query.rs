//! PromQL over ingress-nginx's metrics for one version's traffic through a
//! component's Ingress, in one analysis window.
//!
//! ingress-nginx counts every request it proxies in
//! `nginx_ingress_controller_requests` and times the upstream's answer in
//! the histogram `nginx_ingress_controller_response_duration_seconds`,
//! both labelled with the `namespace` and the `ingress` whose location
//! served it, and with `canary`: the canary backend's name when the
//! request went to the canary Ingress's Service, empty when it went to the
//! stable one. So the two versions of a canary are told apart by `canary`,
//! in the same query window, without the pods exporting anything.

use crate::model::format_duration;

/// The requests counter.
const REQUESTS: &str = "nginx_ingress_controller_requests";
/// The upstream response time histogram.
const RESPONSE_TIME: &str = "nginx_ingress_controller_response_duration_seconds";

/// Which of the Ingress's requests a query reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// The canary Ingress's (`canary!=""`).
    Canary,
    /// The stable Service's, during a canary (`canary=""`).
    Stable,
    /// Every request (a blue-green component's active Service).
    All,
}

/// One version's traffic through the Ingress `ingress` in the namespace the
/// argument `{{args.namespace}}` names, over windows of `window_ms`,
/// judged only with at least `min_requests` responses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrafficQuery {
    selector: String,
    window: String,
    min_requests: u64,
}

impl TrafficQuery {
    /// The traffic of `version` through `ingress`. A window needs at least
    /// one response even when `min_requests` is 0.
    pub fn new(ingress: &str, version: Version, window_ms: u64, min_requests: u64) -> TrafficQuery {
        let canary = match version {
            Version::Canary => ",canary!=\"\"",
            Version::Stable => ",canary=\"\"",
            Version::All => "",
        };
        TrafficQuery {
            selector: format!("namespace=\"{{{{args.namespace}}}}\",ingress=\"{ingress}\"{canary}"),
            window: format_duration(window_ms),
            min_requests: min_requests.max(1),
        }
    }

    /// The share of 5xx responses (0 to 1); no sample when the window had
    /// fewer than `min_requests` responses.
    pub fn error_share(&self) -> String {
        let (selector, window, min) = (&self.selector, &self.window, self.min_requests);
        format!(
            "(sum(increase({REQUESTS}{{{selector},status=~\"5..\"}}[{window}])) or on() vector(0)) \
             / (sum(increase({REQUESTS}{{{selector}}}[{window}])) >= {min})"
        )
    }

    /// The average upstream response time, in seconds; no sample when the
    /// window had fewer than `min_requests` timed responses.
    pub fn response_time(&self) -> String {
        let (selector, window, min) = (&self.selector, &self.window, self.min_requests);
        format!(
            "sum(increase({RESPONSE_TIME}_sum{{{selector}}}[{window}])) \
             / (sum(increase({RESPONSE_TIME}_count{{{selector}}}[{window}])) >= {min})"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::{TrafficQuery, Version};

    #[test]
    fn queries_select_the_version_and_guard_the_count() {
        let canary = TrafficQuery::new("api", Version::Canary, 30_000, 50);
        assert_eq!(
            canary.error_share(),
            "(sum(increase(nginx_ingress_controller_requests{namespace=\"{{args.namespace}}\",\
             ingress=\"api\",canary!=\"\",status=~\"5..\"}[30s])) or on() vector(0)) / \
             (sum(increase(nginx_ingress_controller_requests{namespace=\"{{args.namespace}}\",\
             ingress=\"api\",canary!=\"\"}[30s])) >= 50)"
        );
        let all = TrafficQuery::new("web", Version::All, 1_500, 0);
        assert_eq!(
            all.response_time(),
            "sum(increase(nginx_ingress_controller_response_duration_seconds_sum{namespace=\
             \"{{args.namespace}}\",ingress=\"web\"}[1500ms])) / (sum(increase(\
             nginx_ingress_controller_response_duration_seconds_count{namespace=\
             \"{{args.namespace}}\",ingress=\"web\"}[1500ms])) >= 1)"
        );
    }
}
