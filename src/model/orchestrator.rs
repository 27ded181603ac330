//! Where an environment runs: one Docker host, a Swarm or Kubernetes.

/// An environment's orchestrator, written in the spec by its name
/// (`environment prod { orchestrator = swarm }`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Orchestrator {
    /// One Docker host: `compose/environments/ENV.yml`, HAProxy and the
    /// task runner's `up`, `deploy`, ... (the default).
    #[default]
    Compose,
    /// A Docker Swarm: the stack file `swarm/ENV.yml` for `docker stack
    /// deploy`, and the task runner's `swarm:*` tasks.
    Swarm,
    /// A Kubernetes cluster: manifests under `kubernetes/ENV/`.
    Kubernetes,
}

impl Orchestrator {
    /// Every orchestrator, in the order diagnostics list them.
    pub const ALL: [Orchestrator; 3] = [
        Orchestrator::Compose,
        Orchestrator::Swarm,
        Orchestrator::Kubernetes,
    ];

    /// The name the spec writes.
    pub fn as_str(self) -> &'static str {
        match self {
            Orchestrator::Compose => "compose",
            Orchestrator::Swarm => "swarm",
            Orchestrator::Kubernetes => "kubernetes",
        }
    }

    /// The orchestrator spelled `name`; `None` for any other word.
    pub fn from_name(name: &str) -> Option<Orchestrator> {
        Orchestrator::ALL
            .into_iter()
            .find(|orchestrator| orchestrator.as_str() == name)
    }

    /// Whether this is the default, left out of the serialized Model.
    pub fn is_compose(&self) -> bool {
        *self == Orchestrator::Compose
    }
}

#[cfg(test)]
mod tests {
    use super::Orchestrator;

    #[test]
    fn names_round_trip_and_serialize_as_written() {
        for orchestrator in Orchestrator::ALL {
            assert_eq!(
                Orchestrator::from_name(orchestrator.as_str()),
                Some(orchestrator)
            );
            assert_eq!(
                serde_json::to_value(orchestrator).ok(),
                Some(serde_json::Value::from(orchestrator.as_str()))
            );
        }
        assert_eq!(Orchestrator::from_name("nomad"), None);
        assert_eq!(Orchestrator::default(), Orchestrator::Compose);
    }
}
