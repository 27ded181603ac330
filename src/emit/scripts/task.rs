//! The task runner's tasks and task families: one table feeds the dispatch
//! in `stack_main`, `help` and both completions, so adding a task is one row
//! here and one function in its family's template.

use serde::Serialize;

use super::family::{Family, BUILD, CI, DEPLOY, ENVIRONMENT, HELP, REGISTRY, SWARM, TEST};

/// One task of the `stack` script.
#[derive(Debug, Serialize)]
pub struct Task {
    /// What the user types (`docker:build`).
    pub name: &'static str,
    /// Other words that run the task (`--help`).
    pub aliases: &'static [&'static str],
    /// The bash function that runs it, defined in its family's template.
    pub function: &'static str,
    /// Whether the function gets the task's arguments.
    pub arguments: bool,
    /// The family whose template defines `function`.
    #[serde(skip)]
    pub family: &'static Family,
    /// Arguments as `help` shows them.
    pub usage: &'static str,
    /// One line for `help`.
    pub summary: &'static str,
    /// What the completions offer after the task name.
    pub completes: Completes,
    /// The options the task accepts, for the completions.
    pub options: &'static [&'static str],
}

/// What the completions offer after a task's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Completes {
    /// Nothing.
    None,
    /// One component.
    Component,
    /// Any number of components.
    Components,
    /// A component, then one of its test suites.
    Suite,
    /// One component that has a route (the deploy tasks).
    Routed,
    /// One component that has a build context (the registry tasks).
    Built,
}

/// Every task, in the order `help` and the completions list them.
pub const TASKS: &[Task] = &[
    Task {
        name: "help",
        aliases: &["-h", "--help"],
        function: "task_help",
        arguments: false,
        family: &HELP,
        usage: "",
        summary: "list the tasks, components, test suites and hooks",
        completes: Completes::None,
        options: &[],
    },
    Task {
        name: "up",
        aliases: &[],
        function: "task_up",
        arguments: true,
        family: &ENVIRONMENT,
        usage: "[COMPONENT...] [--env ENV]",
        summary: "start the environment (or the components and what they need), wait until healthy (and routed, when HAProxy routes to them)",
        completes: Completes::Components,
        options: &["--env"],
    },
    Task {
        name: "down",
        aliases: &[],
        function: "task_down",
        arguments: true,
        family: &ENVIRONMENT,
        usage: "[--env ENV]",
        summary: "stop the environment, remove its containers and networks",
        completes: Completes::None,
        options: &["--env"],
    },
    Task {
        name: "ps",
        aliases: &[],
        function: "task_ps",
        arguments: true,
        family: &ENVIRONMENT,
        usage: "[--env ENV]",
        summary: "list the environment's containers",
        completes: Completes::None,
        options: &["--env"],
    },
    Task {
        name: "logs",
        aliases: &[],
        function: "task_logs",
        arguments: true,
        family: &ENVIRONMENT,
        usage: "[COMPONENT] [--env ENV] [--follow]",
        summary: "print the logs of the environment or of one component",
        completes: Completes::Component,
        options: &["--env", "--follow"],
    },
    Task {
        name: "wait",
        aliases: &[],
        function: "task_wait",
        arguments: true,
        family: &ENVIRONMENT,
        usage: "COMPONENT [--env ENV]",
        summary: "wait until the component's health check passes",
        completes: Completes::Component,
        options: &["--env"],
    },
    Task {
        name: "build",
        aliases: &[],
        function: "task_build",
        arguments: true,
        family: &BUILD,
        usage: "[COMPONENT...]",
        summary: "run the build hooks (stack.d/build/COMPONENT), then build the images",
        completes: Completes::Components,
        options: &[],
    },
    Task {
        name: "docker:build",
        aliases: &[],
        function: "task_docker_build",
        arguments: true,
        family: &BUILD,
        usage: "[COMPONENT...]",
        summary: "build the images of components and fixtures that have a build context",
        completes: Completes::Components,
        options: &[],
    },
    Task {
        name: "docker:tag",
        aliases: &[],
        function: "task_docker_tag",
        arguments: true,
        family: &REGISTRY,
        usage: "COMPONENT [TAG...]",
        summary: "build this checkout's image as REPOSITORY:TAG (default: the commit's short id, and the branch unless it is latest, the spec's tag or commit-like)",
        completes: Completes::Built,
        options: &[],
    },
    Task {
        name: "docker:push",
        aliases: &[],
        function: "task_docker_push",
        arguments: true,
        family: &REGISTRY,
        usage: "COMPONENT [TAG...]",
        summary: "build as docker:tag does, log in when STACK_REGISTRY_USERNAME/PASSWORD are set, push each tag",
        completes: Completes::Built,
        options: &[],
    },
    Task {
        name: "docker:promote",
        aliases: &[],
        function: "task_docker_promote",
        arguments: true,
        family: &REGISTRY,
        usage: "COMPONENT [TAG]",
        summary: "mark deployable: push the image of this commit (or REPOSITORY:TAG) as the spec's own image reference",
        completes: Completes::Built,
        options: &[],
    },
    Task {
        name: "test",
        aliases: &[],
        function: "task_test",
        arguments: true,
        family: &TEST,
        usage: "COMPONENT SUITE [--xml DIR] [--keep]",
        summary: "bring up the component's test stack, run the suite, tear down",
        completes: Completes::Suite,
        options: &["--xml", "--keep"],
    },
    Task {
        name: "test:remote",
        aliases: &[],
        function: "task_test_remote",
        arguments: true,
        family: &TEST,
        usage: "COMPONENT SUITE ADDRESS|--env ENV [--xml DIR]",
        summary: "run the suite against an already deployed ADDRESS (URL or host:port), or where ENV serves the component",
        completes: Completes::Suite,
        options: &["--env", "--xml"],
    },
    Task {
        name: "deploy",
        aliases: &[],
        function: "task_deploy",
        arguments: true,
        family: &DEPLOY,
        usage: "COMPONENT [--env ENV] [--image REF|--commit] [--verbose]",
        summary: "put REF in the idle slot, shift traffic step by step judging KPIs, roll back when exceeded",
        completes: Completes::Routed,
        options: &["--env", "--image", "--commit", "--verbose"],
    },
    Task {
        name: "rollback",
        aliases: &[],
        function: "task_rollback",
        arguments: true,
        family: &DEPLOY,
        usage: "COMPONENT [--env ENV] [--verbose]",
        summary: "go back to the version that served before the current one (in the idle slot), moving all traffic to it",
        completes: Completes::Routed,
        options: &["--env", "--verbose"],
    },
    Task {
        name: "deploy:status",
        aliases: &[],
        function: "task_deploy_status",
        arguments: true,
        family: &DEPLOY,
        usage: "[COMPONENT] [--env ENV] [--verbose]",
        summary: "each slot's image, status and weight, the current window's KPIs, halted or not",
        completes: Completes::Routed,
        options: &["--env", "--verbose"],
    },
    Task {
        name: "deploy:resume",
        aliases: &[],
        function: "task_deploy_resume",
        arguments: true,
        family: &DEPLOY,
        usage: "COMPONENT [--env ENV]",
        summary: "clear the halt left by a rollback, printing its report",
        completes: Completes::Routed,
        options: &["--env"],
    },
    Task {
        name: "swarm:deploy",
        aliases: &[],
        function: "task_swarm_deploy",
        arguments: true,
        family: &SWARM,
        usage: "[--env ENV] [--image COMPONENT=REF...]",
        summary: "docker stack deploy of swarm/ENV.yml, then wait until every service runs its new spec healthy, or Swarm rolled it back",
        completes: Completes::None,
        options: &["--env", "--image"],
    },
    Task {
        name: "swarm:status",
        aliases: &[],
        function: "task_swarm_status",
        arguments: true,
        family: &SWARM,
        usage: "[--env ENV]",
        summary: "each service of the Swarm stack: image, running/desired tasks, update state; what swarm:rollback returns to",
        completes: Completes::None,
        options: &["--env"],
    },
    Task {
        name: "swarm:rollback",
        aliases: &[],
        function: "task_swarm_rollback",
        arguments: true,
        family: &SWARM,
        usage: "COMPONENT [--env ENV]",
        summary: "back to the image the component ran before (Swarm's previous spec, else the one recorded by swarm:deploy), and wait",
        completes: Completes::Component,
        options: &["--env"],
    },
    Task {
        name: "ci:affected",
        aliases: &[],
        function: "task_ci_affected",
        arguments: true,
        family: &CI,
        usage: "COMPONENT",
        summary: "exit 0 when this change affects COMPONENT (STACK_AFFECTED unset, empty or naming it), else 1",
        completes: Completes::Component,
        options: &[],
    },
];

/// The options that take a value (the completions skip it when counting
/// positional arguments).
pub const VALUE_OPTIONS: &[&str] = &["--env", "--xml", "--image"];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::scripts::family::FAMILIES;

    /// The functions a template defines whose name starts with `prefix`.
    fn defined<'a>(source: &'a str, prefix: &str) -> Vec<&'a str> {
        source
            .lines()
            .filter_map(|line| line.strip_suffix("() {"))
            .filter(|name| name.starts_with(prefix))
            .collect()
    }

    #[test]
    fn every_task_function_is_defined_in_its_family() {
        for task in TASKS {
            assert!(
                defined(task.family.source, "task_").contains(&task.function),
                "{} is not defined in {}",
                task.function,
                task.family.template
            );
            assert!(FAMILIES.iter().any(|f| f.name == task.family.name));
        }
    }

    #[test]
    fn every_task_function_is_in_the_table() {
        for family in FAMILIES {
            for function in defined(family.source, "task_") {
                assert!(
                    TASKS.iter().any(|t| t.function == function),
                    "{function} in {} has no row in TASKS",
                    family.template
                );
            }
        }
    }
}
