//! A component's Ingress, from its routes.
//!
//! # Mapping
//!
//! One Ingress per routed component, named after it, of the class `nginx`
//! (ingress-nginx, whose canary Ingresses Argo Rollouts drives and whose
//! metrics the analysis reads). One rule per host, in the order the routes
//! first name it (lower-cased: Kubernetes takes host names in lower case,
//! and they compare without case), each route a path of type `Prefix`:
//! `/api` matches `/api` and `/api/...`, not `/apix`, as in HAProxy.
//! `*.example.com` is a wildcard host in both. The backend is the route's
//! port, by name, on the component's Service (`COMPONENT-stable` for a
//! canary Rollout, whose canary Ingress Argo Rollouts derives from this one).

use serde::Serialize;

use super::object_meta::ObjectMeta;
use crate::model::Component;

/// The ingress class every Ingress names.
pub const INGRESS_CLASS: &str = "nginx";

/// Kubernetes' `networking.k8s.io/v1` Ingress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Ingress {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub metadata: ObjectMeta,
    pub spec: IngressSpec,
}

/// The class and the rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IngressSpec {
    pub ingress_class_name: &'static str,
    pub rules: Vec<IngressRule>,
}

/// The paths of one host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IngressRule {
    pub host: String,
    pub http: HttpIngressRuleValue,
}

/// Kubernetes' `HTTPIngressRuleValue`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HttpIngressRuleValue {
    pub paths: Vec<HttpIngressPath>,
}

/// One route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpIngressPath {
    pub path: String,
    pub path_type: &'static str,
    pub backend: IngressBackend,
}

/// A Service's port.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IngressBackend {
    pub service: ServiceBackend,
}

/// The Service and its port, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceBackend {
    pub name: String,
    pub port: ServiceBackendPort,
}

/// A port by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceBackendPort {
    pub name: String,
}

impl Ingress {
    /// `component`'s routes to the Service `service`; `None` without routes.
    pub fn of(stack: &str, component: &Component, service: &str) -> Option<Ingress> {
        if component.routes.is_empty() {
            return None;
        }
        let mut rules: Vec<IngressRule> = Vec::new();
        for route in &component.routes {
            let host = route.host.to_ascii_lowercase();
            let path = HttpIngressPath {
                path: route.path.clone(),
                path_type: "Prefix",
                backend: IngressBackend {
                    service: ServiceBackend {
                        name: service.to_string(),
                        port: ServiceBackendPort {
                            name: route.port.name.clone(),
                        },
                    },
                },
            };
            match rules.iter_mut().find(|rule| rule.host == host) {
                Some(rule) => rule.http.paths.push(path),
                None => rules.push(IngressRule {
                    host,
                    http: HttpIngressRuleValue { paths: vec![path] },
                }),
            }
        }
        Some(Ingress {
            api_version: "networking.k8s.io/v1",
            kind: "Ingress",
            metadata: ObjectMeta::new(component.name.clone(), stack, &component.name),
            spec: IngressSpec {
                ingress_class_name: INGRESS_CLASS,
                rules,
            },
        })
    }
}
