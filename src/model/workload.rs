//! What runs a component in a Kubernetes environment, decided once for the
//! emitter (which writes it) and the analyser (which checks the names it
//! needs).

use super::{Component, Deploy, Kpi, Route, Strategy};

/// The object that runs a component's pods on Kubernetes, and so the
/// Services it needs besides the one named after the component.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workload {
    /// A `Deployment`: every component that is not progressively delivered.
    Deployment,
    /// An Argo Rollouts `Rollout` with a canary strategy: a routed component
    /// whose strategy is `canary` (given, or the default when it has a
    /// `kpi` but no `deploy`). Traffic shifts through the ingress between
    /// the Services `COMPONENT-stable` and `COMPONENT-canary`.
    CanaryRollout,
    /// An Argo Rollouts `Rollout` with a blue-green strategy: a routed
    /// component with `strategy = blue_green`. `COMPONENT` is the active
    /// Service, `COMPONENT-preview` the preview.
    BlueGreenRollout,
}

impl Workload {
    /// The workload of a component with these `routes`, `deploy` and `kpi`:
    /// a Rollout for a routed component with a `deploy` whose strategy is
    /// not `recreate` (Argo Rollouts has no recreate strategy: a Deployment
    /// recreates), or with a `kpi` and no `deploy`; a Deployment otherwise.
    pub fn of(routes: &[Route], deploy: Option<&Deploy>, kpi: Option<&Kpi>) -> Workload {
        if routes.is_empty() {
            return Workload::Deployment;
        }
        match deploy.map(|d| d.strategy) {
            Some(Strategy::Canary) => Workload::CanaryRollout,
            Some(Strategy::BlueGreen) => Workload::BlueGreenRollout,
            Some(Strategy::Recreate) => Workload::Deployment,
            None if kpi.is_some() => Workload::CanaryRollout,
            None => Workload::Deployment,
        }
    }

    /// Whether it is an Argo Rollouts `Rollout`.
    pub fn is_rollout(self) -> bool {
        self != Workload::Deployment
    }

    /// The suffixes of the Services it needs besides `COMPONENT`, each
    /// written `COMPONENT-SUFFIX`.
    pub fn service_suffixes(self) -> &'static [&'static str] {
        match self {
            Workload::Deployment => &[],
            Workload::CanaryRollout => &["stable", "canary"],
            Workload::BlueGreenRollout => &["preview"],
        }
    }
}

impl Component {
    /// How a Kubernetes environment runs it (see [`Workload::of`]).
    pub fn workload(&self) -> Workload {
        Workload::of(&self.routes, self.deploy.as_ref(), self.kpi.as_ref())
    }
}
