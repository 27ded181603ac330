//! The task runner's tasks: one table feeds `help` and both completions.

use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Task {
    pub name: &'static str,
    /// Arguments as `help` shows them.
    pub usage: &'static str,
    /// One line for `help`.
    pub summary: &'static str,
    /// What the completions offer after the task name: `components` (any
    /// number), `component` (one), `suite` (a component, then one of its
    /// suites), or `none`.
    pub completes: &'static str,
    /// The options the task accepts, for the completions.
    pub options: &'static [&'static str],
}

pub const TASKS: &[Task] = &[
    Task {
        name: "help",
        usage: "",
        summary: "list the tasks, components, test suites and hooks",
        completes: "none",
        options: &[],
    },
    Task {
        name: "up",
        usage: "[COMPONENT...] [--env ENV]",
        summary: "start the environment (or the components and what they need), wait until healthy",
        completes: "components",
        options: &["--env"],
    },
    Task {
        name: "down",
        usage: "[--env ENV]",
        summary: "stop the environment, remove its containers and networks",
        completes: "none",
        options: &["--env"],
    },
    Task {
        name: "ps",
        usage: "[--env ENV]",
        summary: "list the environment's containers",
        completes: "none",
        options: &["--env"],
    },
    Task {
        name: "logs",
        usage: "[COMPONENT] [--env ENV] [--follow]",
        summary: "print the logs of the environment or of one component",
        completes: "component",
        options: &["--env", "--follow"],
    },
    Task {
        name: "wait",
        usage: "COMPONENT [--env ENV]",
        summary: "wait until the component's health check passes",
        completes: "component",
        options: &["--env"],
    },
    Task {
        name: "build",
        usage: "[COMPONENT...]",
        summary: "run the build hooks (stack.d/build/COMPONENT), then build the images",
        completes: "components",
        options: &[],
    },
    Task {
        name: "docker:build",
        usage: "[COMPONENT...]",
        summary: "build the images of components and fixtures that have a build context",
        completes: "components",
        options: &[],
    },
    Task {
        name: "test",
        usage: "COMPONENT SUITE [--xml DIR] [--keep]",
        summary: "bring up the component's test stack, run the suite, tear down",
        completes: "suite",
        options: &["--xml", "--keep"],
    },
    Task {
        name: "test:remote",
        usage: "COMPONENT SUITE ADDRESS [--xml DIR]",
        summary: "run the suite against an already deployed ADDRESS (URL or host:port)",
        completes: "suite",
        options: &["--xml"],
    },
];
