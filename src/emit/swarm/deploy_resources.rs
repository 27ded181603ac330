//! A service's `deploy.resources`, from the component's `resources { }`.

use serde::Serialize;

use crate::model::{cpus_decimal, memory_compose, Amounts, Resources};

/// `limits` (the most a task may use) and `reservations` (what the
/// scheduler sets aside for it: the spec's `requests`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeployResources {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limits: Option<ResourceAmounts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reservations: Option<ResourceAmounts>,
}

/// CPU and memory, as the 3.8 format takes them: both strings (`cpus` as
/// a decimal number of CPUs, `"0.5"`; memory in Docker's byte notation,
/// whose `k`, `m` and `g` are powers of 1,024).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResourceAmounts {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpus: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
}

impl DeployResources {
    /// The block for `resources`; `None` when the spec gives no amount.
    pub fn new(resources: &Resources) -> Option<DeployResources> {
        if resources.is_empty() {
            return None;
        }
        Some(DeployResources {
            limits: ResourceAmounts::new(&resources.limits),
            reservations: ResourceAmounts::new(&resources.requests),
        })
    }
}

impl ResourceAmounts {
    fn new(amounts: &Amounts) -> Option<ResourceAmounts> {
        if amounts.is_empty() {
            return None;
        }
        Some(ResourceAmounts {
            cpus: amounts.cpu_millis.map(cpus_decimal),
            memory: amounts.memory_bytes.map(memory_compose),
        })
    }
}
