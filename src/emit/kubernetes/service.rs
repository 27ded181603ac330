//! A Service in front of a component's pods.

use indexmap::IndexMap;
use serde::Serialize;

use super::container::kubernetes_protocol;
use super::int_or_string::IntOrString;
use super::object_meta::{selector, ObjectMeta};
use crate::model::Component;

/// `NAME.service.yaml`: a ClusterIP Service with every port of the
/// component, each named as in the spec, on the container's port number
/// (so `{{ db.host }}:{{ db.ports.sql }}` reaches it inside the cluster),
/// to the container port of the same name. Argo Rollouts adds the
/// ReplicaSet's hash to the selector of the Services it manages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Service {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub metadata: ObjectMeta,
    pub spec: ServiceSpec,
}

/// Which pods, which ports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceSpec {
    pub selector: IndexMap<String, String>,
    pub ports: Vec<ServicePort>,
}

/// One named port.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServicePort {
    /// As the container port's ([`crate::model::Port::entry_name`]).
    pub name: String,
    /// `UDP`; left out for TCP, Kubernetes' default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protocol: Option<&'static str>,
    pub port: u16,
    pub target_port: IntOrString,
}

impl Service {
    /// The Service `name` for `component`'s pods.
    pub fn of(stack: &str, component: &Component, name: String) -> Service {
        Service {
            api_version: "v1",
            kind: "Service",
            metadata: ObjectMeta::new(name, stack, &component.name),
            spec: ServiceSpec {
                selector: selector(stack, &component.name),
                ports: component
                    .ports
                    .iter()
                    .flat_map(|port| {
                        port.protocols.iter().map(|&protocol| ServicePort {
                            name: port.entry_name(protocol),
                            protocol: kubernetes_protocol(protocol),
                            port: port.container,
                            target_port: IntOrString::String(port.entry_name(protocol)),
                        })
                    })
                    .collect(),
            },
        }
    }
}
