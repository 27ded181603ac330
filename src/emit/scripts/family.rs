//! The task families: the templates under `templates/scripts/tasks/`.

use serde::Serialize;

/// A family of tasks: one template under `templates/scripts/tasks/` with
/// the task functions and their helpers. `stack` includes the families in
/// this order.
#[derive(Debug, Serialize)]
pub struct Family {
    /// What [`super::task::Task::family`] names it by in messages.
    pub name: &'static str,
    /// The template's name in the environment (`tasks/test.bash`).
    pub template: &'static str,
    /// The template's source, embedded.
    #[serde(skip)]
    pub source: &'static str,
}

/// `test`, `test:remote`: a suite against a test stack or a deployed address.
pub const TEST: Family = Family {
    name: "test",
    template: "tasks/test.bash",
    source: include_str!("../../../templates/scripts/tasks/test.bash.j2"),
};

/// `up`, `down`, `ps`, `logs`, `wait`: one environment's whole stack.
pub const ENVIRONMENT: Family = Family {
    name: "environment",
    template: "tasks/environment.bash",
    source: include_str!("../../../templates/scripts/tasks/environment.bash.j2"),
};

/// `build`, `docker:build`: hooks and images.
pub const BUILD: Family = Family {
    name: "build",
    template: "tasks/build.bash",
    source: include_str!("../../../templates/scripts/tasks/build.bash.j2"),
};

/// `docker:tag`, `docker:push`, `docker:promote`: a built image under the
/// tags of this commit and branch, pushed to its registry, and this commit's
/// image pushed as the spec's own reference; also the image-reference
/// helpers the deploy family's `--commit` uses.
pub const REGISTRY: Family = Family {
    name: "registry",
    template: "tasks/registry.bash",
    source: include_str!("../../../templates/scripts/tasks/registry.bash.j2"),
};

/// `ci:affected`: what a CI job asks the runner before it does anything.
pub const CI: Family = Family {
    name: "ci",
    template: "tasks/ci.bash",
    source: include_str!("../../../templates/scripts/tasks/ci.bash.j2"),
};

/// `deploy`, `rollback`, `deploy:status`, `deploy:resume`: the slots of a
/// routed component behind HAProxy. Only a model with a routed component
/// has them ([`Family::routed_only`]).
pub const DEPLOY: Family = Family {
    name: "deploy",
    template: "tasks/deploy.bash",
    source: include_str!("../../../templates/scripts/tasks/deploy.bash.j2"),
};

/// `swarm:deploy`, `swarm:status`, `swarm:rollback`: the stacks of the
/// environments that run on Docker Swarm. Only a model with such an
/// environment has them ([`Family::swarm_only`]).
pub const SWARM: Family = Family {
    name: "swarm",
    template: "tasks/swarm.bash",
    source: include_str!("../../../templates/scripts/tasks/swarm.bash.j2"),
};

/// `help` and the dispatch (`stack_main`), both generated from
/// [`super::task::TASKS`].
pub const HELP: Family = Family {
    name: "help",
    template: "tasks/help.bash",
    source: include_str!("../../../templates/scripts/tasks/help.bash.j2"),
};

/// Every family, in the order `stack` includes them: `help` last, as it
/// lists every task.
pub const FAMILIES: &[&Family] = &[
    &TEST,
    &ENVIRONMENT,
    &BUILD,
    &REGISTRY,
    &DEPLOY,
    &SWARM,
    &CI,
    &HELP,
];

impl Family {
    /// Whether the family's tasks exist only when some component has a
    /// route (the deploy tasks speak to HAProxy, which only such a model has).
    pub fn routed_only(&self) -> bool {
        self.name == DEPLOY.name
    }

    /// Whether the family's tasks exist only when some environment runs on
    /// Docker Swarm.
    pub fn swarm_only(&self) -> bool {
        self.name == SWARM.name
    }

    /// Whether a model has the family: `routed` when some component has a
    /// route, `swarm` when some environment runs on Swarm.
    pub fn present(&self, routed: bool, swarm: bool) -> bool {
        (routed || !self.routed_only()) && (swarm || !self.swarm_only())
    }
}
