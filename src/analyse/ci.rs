//! The `ci { }` block inside `stack`: which CI systems get a pipeline,
//! where its jobs run, which suites run in which stage, which environment
//! the default branch deploys to, the CI secrets the jobs see and where the
//! repository root is. [`lower`] checks the block on its own (called by
//! `stack`); [`check`] checks its suite and environment names once the
//! components and environments are known (called by the analyser).

use super::ci_secrets::secrets;
use super::closed_set;
use super::component::ComponentDraft;
use super::environments::EnvironmentDecl;
use super::fields::{expect_string, wrong_type, Fields, Schema};
use crate::diagnostic::{suggestion, Code, Diagnostic, Diagnostics};
use crate::model::{reachable, Ci, CiProvider, Orchestrator, TestStage};
use crate::source::Span;
use crate::syntax::ast::{Block, Ident, StringLit, ValueKind};

const CI: Schema = Schema {
    what: "the `ci` block",
    attributes: &[
        "providers",
        "default_branch",
        "runs_on",
        "tags",
        "deploy",
        "deploy_runs_on",
        "deploy_tags",
        "state_dir",
        "component",
        "integration",
        "non_functional",
        "acceptance",
        "secrets",
        "repository_root",
        "install_stackc",
    ],
    blocks: &[],
};

/// The default of `default_branch`.
pub const DEFAULT_BRANCH: &str = "main";
/// The default of `runs_on`: GitHub's hosted Linux runner.
pub const DEFAULT_RUNS_ON: &str = "ubuntu-latest";

/// The `ci` block checked on its own, with the spans [`check`] needs.
pub struct CiDraft {
    pub ci: Ci,
    /// `deploy = ENV` as written.
    deploy: Option<Ident>,
    /// Every suite name placed in a stage, as written (each once).
    placed: Vec<Ident>,
    /// Whether `state_dir` is written (valid or not).
    state_dir_written: bool,
}

/// Checks the `ci` block on its own: attributes, providers, branch,
/// labels, stages, secrets, `state_dir`, `repository_root` and
/// `install_stackc`.
pub fn lower(block: &Block, diagnostics: &mut Diagnostics) -> CiDraft {
    let fields = Fields::read(&block.items, block.span(), &CI, diagnostics);
    let (providers, all_known) = providers(&fields, diagnostics);
    if all_known && !providers.is_empty() {
        for key in ["runs_on", "deploy_runs_on", "tags", "deploy_tags"] {
            read_by_provider(&fields, key, &providers, diagnostics);
        }
    }
    let default_branch = fields
        .string("default_branch", diagnostics)
        .filter(|s| check_branch(s, diagnostics))
        .map_or_else(|| DEFAULT_BRANCH.to_string(), |s| s.value.to_string());
    let runs_on = labels(&fields, "runs_on", "runner label", diagnostics)
        .unwrap_or_else(|| vec![DEFAULT_RUNS_ON.to_string()]);
    let tags = labels(&fields, "tags", "runner tag", diagnostics).unwrap_or_default();
    let (stages, placed) = stages(&fields, diagnostics);
    let deploy = fields.name("deploy", diagnostics);
    let state_dir = state_dir(&fields, deploy.is_some(), diagnostics);
    let deploy_runs_on = labels(&fields, "deploy_runs_on", "runner label", diagnostics);
    let deploy_tags = labels(&fields, "deploy_tags", "runner tag", diagnostics);
    for key in ["deploy_runs_on", "deploy_tags"] {
        only_with_deploy(&fields, key, deploy.is_some(), diagnostics);
    }
    let secrets = fields
        .value("secrets", diagnostics)
        .map(|v| secrets(v, &providers, diagnostics))
        .unwrap_or_default();
    let repository_root = fields
        .string("repository_root", diagnostics)
        .and_then(|s| repository_root(s, diagnostics));
    let install_stackc = fields
        .string("install_stackc", diagnostics)
        .and_then(|s| install_stackc(s, diagnostics));
    CiDraft {
        ci: Ci {
            providers,
            default_branch,
            runs_on,
            tags,
            deploy_runs_on,
            deploy_tags,
            stages,
            deploy: deploy.as_ref().map(|d| d.name.to_string()),
            state_dir,
            secrets,
            repository_root,
            install_stackc,
        },
        deploy,
        placed,
        state_dir_written: fields.attribute("state_dir").is_some(),
    }
}

/// Checks what the block names against the workspace: every suite placed
/// is a suite of some component, `deploy` is a declared environment, and a
/// deploy that keeps state (a routed component) says where (W0004).
pub fn check(
    draft: CiDraft,
    components: &[ComponentDraft],
    environments: &[EnvironmentDecl],
    diagnostics: &mut Diagnostics,
) -> Ci {
    let mut suites: Vec<&str> = components
        .iter()
        .flat_map(|c| c.tests.iter().map(|t| t.name.as_str()))
        .collect();
    suites.sort_unstable();
    suites.dedup();
    for suite in &draft.placed {
        if suites.binary_search(&suite.name.as_str()).is_err() {
            let mut diagnostic = Diagnostic::error(
                Code::UnknownSuite,
                format!("no component has a test suite `{}`", suite.name),
            )
            .at(suite.span)
            .with_label("not a suite of any component");
            let help = suggestion(&suite.name, &suites, "the test suites of the components")
                .unwrap_or_else(|| "no component declares a test suite: add `test NAME { }` to a component, or remove this name".to_string());
            diagnostic = diagnostic.with_help(help);
            diagnostics.push(diagnostic);
        }
    }
    if let Some(deploy) = &draft.deploy {
        let declared: Vec<&str> = environments
            .iter()
            .filter(|e| e.name_span.is_some())
            .map(|e| e.model.name.as_str())
            .collect();
        if !declared.contains(&deploy.name.as_str()) {
            let help = closed_set::help(&deploy.name, &declared, "declared environments")
                .unwrap_or_else(|| {
                    "no environment is declared: add `environment NAME { host = \"...\" }` and deploy to it".to_string()
                });
            diagnostics.push(
                Diagnostic::error(
                    Code::UnknownEnvironment,
                    format!(
                        "`deploy` names `{}`, which is not a declared environment",
                        deploy.name
                    ),
                )
                .at(deploy.span)
                .with_label("no such environment")
                .with_help(help),
            );
        }
        let kubernetes = environments.iter().any(|e| {
            e.model.name == deploy.name && e.model.orchestrator == Orchestrator::Kubernetes
        });
        if kubernetes {
            diagnostics.push(
                Diagnostic::error(
                    Code::OrchestratorCannot,
                    format!(
                        "`deploy` names `{}`, which runs on Kubernetes",
                        deploy.name
                    ),
                )
                .at(deploy.span)
                .with_label("CI deploy jobs run the task runner on one host or a Swarm manager")
                .with_help(format!(
                    "a cluster's own CD applies the manifests stackc writes under `kubernetes/{}/` (Argo CD, Flux, `kubectl apply`); deploy to a compose or swarm environment here, or remove `deploy`",
                    deploy.name
                )),
            );
        }
        if !draft.state_dir_written {
            if let Some(routed) = components.iter().find(|c| !c.routes.is_empty()) {
                diagnostics.push(lost_state(deploy, routed.name));
            }
        }
        unreachable_acceptance(&draft, components, deploy, diagnostics);
    } else {
        acceptance_without_deploy(&draft, components, diagnostics);
    }
    draft.ci
}

/// W0003 for each component with an acceptance-stage suite that nothing
/// can reach in the deployed environment (no route, no published port):
/// `test:remote --env` has no address for it, so the pipelines leave its
/// acceptance job out.
fn unreachable_acceptance(
    draft: &CiDraft,
    components: &[ComponentDraft],
    deploy: &Ident,
    diagnostics: &mut Diagnostics,
) {
    for component in components {
        let ports = component.ports.ports.iter().map(|p| &p.port);
        if reachable(&component.routes, ports) {
            continue;
        }
        let suites: Vec<&str> = component
            .tests
            .iter()
            .map(|t| t.name.as_str())
            .filter(|name| draft.ci.stage(name) == TestStage::Acceptance)
            .collect();
        let Some(first) = suites.first() else {
            continue;
        };
        let listed = suites
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ");
        diagnostics.push(
            Diagnostic::warning(
                Code::NoEffect,
                format!(
                    "the CI pipelines never run the acceptance suite{} {listed} of `{}`: nothing reaches it in `{}`",
                    if suites.len() == 1 { "" } else { "s" },
                    component.name.name,
                    deploy.name
                ),
            )
            .at(component.name.span)
            .with_label("no route and no published port")
            .also(deploy.span, "deployed here")
            .with_help(format!(
                "acceptance suites run against the deployed component (`stack test:remote {} {first} --env {}`): give it a `route` or publish a port, or run the suite in another stage (`integration = [{first}]`)",
                component.name.name, deploy.name
            )),
        );
    }
}

/// W0003 for each acceptance-stage suite when the block has no `deploy`:
/// acceptance suites run against the deployed environment, after the
/// deploy job, so without one the pipelines never run them. Pointed at
/// the name in the block when the block places it, else at the first
/// component that has it.
fn acceptance_without_deploy(
    draft: &CiDraft,
    components: &[ComponentDraft],
    diagnostics: &mut Diagnostics,
) {
    let mut warned: Vec<&str> = Vec::new();
    for component in components {
        for suite in &component.tests {
            let name = suite.name.as_str();
            if draft.ci.stage(name) != TestStage::Acceptance || warned.contains(&name) {
                continue;
            }
            warned.push(name);
            let placed = draft.placed.iter().find(|p| p.name == name);
            let (span, label) = match placed {
                Some(placed) => (placed.span, "placed in the acceptance stage".to_string()),
                None => (
                    component.name.span,
                    format!("has the test suite `{name}`, an acceptance suite by its name"),
                ),
            };
            diagnostics.push(
                Diagnostic::warning(
                    Code::NoEffect,
                    format!("the CI pipelines never run the acceptance suite `{name}`: the `ci` block has no `deploy`"),
                )
                .at(span)
                .with_label(label)
                .with_help(format!(
                    "acceptance suites run against the deployed environment, after the deploy job: add `deploy = ENVIRONMENT` to the `ci` block, or run `{name}` in another stage (`component = [{name}]`)"
                )),
            );
        }
    }
}

/// W0004: `deploy` with a routed component and no `state_dir`. `stack
/// deploy` keeps which slot of a routed component is live in
/// `STACK_STATE_DIR`, by default `.stack` in the checkout; GitLab cleans
/// the checkout before each job (`git clean` with `GIT_CLEAN_FLAGS`,
/// default `-ffdx`: docs.gitlab.com/ci/runners/configure_runners/) and
/// GitHub's hosted runners start each job on a fresh machine, so the next
/// deploy would not find it.
fn lost_state(deploy: &Ident, routed: &Ident) -> Diagnostic {
    Diagnostic::warning(
        Code::LostDeployState,
        format!(
            "the CI deploy to `{}` would lose its deploy state between jobs",
            deploy.name
        ),
    )
    .at(deploy.span)
    .with_label("without `state_dir`, the state is kept in `.stack` in the job's checkout")
    .also(routed.span, "`stack deploy` keeps which slot of this routed component is live")
    .with_help("GitLab cleans the checkout before each job (`GIT_CLEAN_FLAGS` defaults to `-ffdx`) and GitHub's hosted runners start empty, so the next deploy would not know the live slot: set `state_dir` to a folder on the deploy runner, as in `state_dir = \"/var/lib/stack/NAME\"`")
}

/// `providers = [github, gitlab]`: required, not empty, each known and
/// given once. Also says whether every name given was a provider (when
/// one is not, the list may lack what the writer meant).
fn providers(fields: &Fields, diagnostics: &mut Diagnostics) -> (Vec<CiProvider>, bool) {
    let names = fields.names("providers", diagnostics);
    let mut all_known = true;
    let known: Vec<&str> = CiProvider::ALL.iter().map(|p| p.as_str()).collect();
    let mut out: Vec<(CiProvider, Span)> = Vec::new();
    for name in &names {
        let Some(provider) = CiProvider::from_name(&name.name) else {
            all_known = false;
            let mut diagnostic = Diagnostic::error(
                Code::OutOfRange,
                format!("stackc writes no pipeline for `{}`", name.name),
            )
            .at(name.span)
            .with_label("not a CI provider");
            if let Some(help) = closed_set::help(&name.name, &known, "providers") {
                diagnostic = diagnostic.with_help(help);
            }
            diagnostics.push(diagnostic);
            continue;
        };
        if let Some((_, first)) = out.iter().find(|(p, _)| *p == provider) {
            diagnostics.push(
                Diagnostic::error(
                    Code::Duplicate,
                    format!("provider `{}` is listed twice", name.name),
                )
                .at(name.span)
                .with_label("listed again here")
                .also(*first, "first listed here")
                .with_help("list each provider once"),
            );
            continue;
        }
        out.push((provider, name.span));
    }
    let example = "providers = [github]";
    match fields.attribute("providers") {
        None => {
            fields.require::<()>("providers", None, "the `ci` block", example, diagnostics);
        }
        Some(attribute) => {
            if matches!(&attribute.value.kind, ValueKind::List(items) if items.is_empty()) {
                diagnostics.push(
                    Diagnostic::error(Code::OutOfRange, "`providers` is empty")
                        .at(attribute.value.span)
                        .with_label("no CI system named")
                        .with_help(format!(
                            "name at least one: the providers are {}; or remove the `ci` block",
                            known
                                .iter()
                                .map(|k| format!("`{k}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )),
                );
            }
        }
    }
    (out.into_iter().map(|(p, _)| p).collect(), all_known)
}

/// W0003 for a runner attribute only the other provider reads: `runs_on`
/// and `deploy_runs_on` are GitHub's `runs-on`, `tags` and `deploy_tags`
/// GitLab's runner `tags`.
fn read_by_provider(
    fields: &Fields,
    key: &str,
    providers: &[CiProvider],
    diagnostics: &mut Diagnostics,
) {
    let Some(attribute) = fields.attribute(key) else {
        return;
    };
    let deploy = if key.starts_with("deploy_") {
        "deploy_"
    } else {
        ""
    };
    let (reader, system, what, other, by) = if key.ends_with("runs_on") {
        (
            CiProvider::Github,
            "GitHub",
            "`runs-on` labels",
            "GitLab",
            "tags",
        )
    } else {
        (
            CiProvider::Gitlab,
            "GitLab",
            "runner `tags`",
            "GitHub",
            "runs_on",
        )
    };
    if providers.contains(&reader) {
        return;
    }
    diagnostics.push(
        Diagnostic::warning(
            Code::NoEffect,
            format!(
                "`{key}` has no effect without `{}` among the providers",
                reader.as_str()
            ),
        )
        .at(attribute.key.span)
        .with_label(format!("only the {system} pipeline reads it (its jobs' {what})"))
        .with_help(format!(
            "add `{}` to `providers`, or remove `{key}`; {other}'s jobs choose their runners by `{deploy}{by}`",
            reader.as_str(),
        )),
    );
}

/// Whether `branch` is a branch name git takes (`git check-ref-format
/// --branch`'s rules) that the generated files can quote: no `'`, `"`, `$`
/// or `` ` `` either, since it is written inside GitHub expressions
/// (`github.ref == 'refs/heads/main'`) and GitLab rules
/// (`$CI_COMMIT_BRANCH == "main"`). Reports it otherwise.
fn check_branch(branch: &StringLit, diagnostics: &mut Diagnostics) -> bool {
    let Some(reason) = branch_problem(&branch.value) else {
        return true;
    };
    diagnostics.push(
        Diagnostic::error(
            Code::CiName,
            format!(
                "`{}` is not a branch name the pipelines can use",
                branch.value
            ),
        )
        .at(branch.span)
        .with_label(reason)
        .with_help("write the branch as git names it, as in `default_branch = \"main\"`"),
    );
    false
}

/// What is wrong with `name` as a branch name, or `None`.
fn branch_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("a branch name is not empty");
    }
    if name.starts_with("refs/") {
        return Some("the branch's short name, without `refs/heads/`");
    }
    if name.chars().any(|c| c.is_control() || c == ' ') {
        return Some("git refuses spaces and control characters in branch names");
    }
    if name.contains(['~', '^', ':', '?', '*', '[', '\\']) {
        return Some("git refuses `~ ^ : ? * [ \\` in branch names");
    }
    if name.contains(['\'', '"', '$', '`']) {
        return Some("a quote, `$` or backtick would change the pipelines' conditions");
    }
    if name == "@" || name.contains("@{") || name.contains("..") || name.contains("//") {
        return Some("git refuses `@`, `@{`, `..` and `//` in branch names");
    }
    if name.starts_with(['-', '/']) || name.ends_with(['/', '.']) || name.ends_with(".lock") {
        return Some("git refuses a branch name starting with `-` or `/`, or ending with `/`, `.` or `.lock`");
    }
    if name.split('/').any(|part| part.starts_with('.')) {
        return Some("git refuses a part of a branch name starting with `.`");
    }
    None
}

/// `runs_on` or `tags`: a list of strings, each a label (not empty, no
/// white space at its ends, no control characters); `runs_on` not empty.
/// `None` when not given or not a list.
fn labels(
    fields: &Fields,
    key: &str,
    what: &str,
    diagnostics: &mut Diagnostics,
) -> Option<Vec<String>> {
    let value = fields.value(key, diagnostics)?;
    let ValueKind::List(items) = &value.kind else {
        diagnostics.push(wrong_type(
            value,
            "a list of strings such as `[\"docker\"]`",
        ));
        return None;
    };
    if items.is_empty() && key != "tags" {
        let (label, help) = match key {
            "runs_on" => (
                "a GitHub job runs on at least one label",
                format!("remove `{key}` for `[\"{DEFAULT_RUNS_ON}\"]`, or name the labels of your runners"),
            ),
            "deploy_runs_on" => (
                "a GitHub job runs on at least one label",
                format!("remove `{key}` for the labels of `runs_on`, or name the labels of your runners"),
            ),
            // `deploy_tags`: GitLab cannot say "any runner" for one job
            // once the others have tags (`default: tags`), so an empty
            // list would silently be `tags`.
            _ => (
                "names no runner: the deploy jobs would run where the other jobs run",
                format!("remove `{key}` (the deploy jobs then take `tags`, or any runner when there are none), or name the tags of the deploy runner; a GitLab job cannot ask for any runner once the pipeline's jobs have tags"),
            ),
        };
        diagnostics.push(
            Diagnostic::error(Code::OutOfRange, format!("`{key}` is empty"))
                .at(value.span)
                .with_label(label)
                .with_help(help),
        );
        return None;
    }
    let mut out: Vec<(String, Span)> = Vec::new();
    for item in items {
        let Some(label) = expect_string(item, diagnostics) else {
            continue;
        };
        let text = &label.value;
        if text.is_empty() || text.trim() != text || text.chars().any(char::is_control) {
            diagnostics.push(
                Diagnostic::error(Code::CiName, format!("`{text}` is not a {what}"))
                    .at(label.span)
                    .with_label("empty, or white space at an end, or a control character")
                    .with_help(format!("write the {what} as the runner's settings name it")),
            );
            continue;
        }
        if let Some((_, first)) = out.iter().find(|(t, _)| t == text) {
            diagnostics.push(
                Diagnostic::error(Code::Duplicate, format!("{what} `{text}` is listed twice"))
                    .at(label.span)
                    .with_label("listed again here")
                    .also(*first, "first listed here")
                    .with_help("list each once"),
            );
            continue;
        }
        out.push((text.to_string(), label.span));
    }
    Some(out.into_iter().map(|(t, _)| t).collect())
}

/// The four stage lists: each suite name in at most one of them. Returns
/// the placements in the order written, and the names as written.
fn stages(
    fields: &Fields,
    diagnostics: &mut Diagnostics,
) -> (Vec<(String, TestStage)>, Vec<Ident>) {
    let mut placed: Vec<(Ident, TestStage)> = Vec::new();
    for stage in TestStage::ALL {
        for name in fields.names(stage.as_str(), diagnostics) {
            if let Some((first, other)) = placed.iter().find(|(n, _)| n.name == name.name) {
                let message = if *other == stage {
                    format!(
                        "suite `{}` is listed twice in `{}`",
                        name.name,
                        stage.as_str()
                    )
                } else {
                    format!(
                        "suite `{}` is placed in two stages, `{}` and `{}`",
                        name.name,
                        other.as_str(),
                        stage.as_str()
                    )
                };
                diagnostics.push(
                    Diagnostic::error(Code::Duplicate, message)
                        .at(name.span)
                        .with_label("placed again here")
                        .also(first.span, "first placed here")
                        .with_help("a suite runs in one stage: keep one of them"),
                );
                continue;
            }
            placed.push((name, stage));
        }
    }
    let stages = placed
        .iter()
        .map(|(n, s)| (n.name.to_string(), *s))
        .collect();
    (stages, placed.into_iter().map(|(n, _)| n).collect())
}

/// `state_dir = "/var/lib/stack/NAME"`: an absolute path without `$`
/// (GitLab would expand it) or control characters, given only with
/// `deploy` (only deploy jobs read it).
fn state_dir(fields: &Fields, deploy: bool, diagnostics: &mut Diagnostics) -> Option<String> {
    let literal = fields.string("state_dir", diagnostics)?;
    let text = &literal.value;
    if !text.starts_with('/') || text.contains('$') || text.chars().any(char::is_control) {
        diagnostics.push(
            Diagnostic::error(
                Code::OutOfRange,
                format!("`state_dir` must be an absolute path, not `{text}`"),
            )
            .at(literal.span)
            .with_label("an absolute path on the runner, without `$`")
            .with_help("the deploy state must outlive a job's checkout: write a folder on the runner such as `\"/var/lib/stack/newsroom\"`"),
        );
        return None;
    }
    if !deploy && !fields.misspelt("deploy") {
        diagnostics.push(
            Diagnostic::error(Code::MissingAttribute, "`state_dir` needs `deploy`")
                .at(literal.span)
                .with_label("only deploy jobs read it")
                .with_help("add `deploy = ENVIRONMENT`, or remove `state_dir`"),
        );
        return None;
    }
    Some(text.to_string())
}

/// `deploy_runs_on` / `deploy_tags` choose the runners of deploy jobs: an
/// error (E0111) without `deploy`, where there are none.
fn only_with_deploy(fields: &Fields, key: &str, deploy: bool, diagnostics: &mut Diagnostics) {
    let Some(attribute) = fields.attribute(key) else {
        return;
    };
    if deploy || fields.misspelt("deploy") {
        return;
    }
    diagnostics.push(
        Diagnostic::error(Code::MissingAttribute, format!("`{key}` needs `deploy`"))
            .at(attribute.value.span)
            .with_label("only deploy and acceptance jobs run there")
            .with_help(format!("add `deploy = ENVIRONMENT`, or remove `{key}`")),
    );
}

/// `install_stackc = "cargo install --locked --git URL stackc"`: the shell
/// command the `affected` and `check` jobs run when the runner has no
/// `stackc` on its `PATH`; one line (it is one line of a job's script),
/// not blank.
fn install_stackc(literal: &StringLit, diagnostics: &mut Diagnostics) -> Option<String> {
    let text = &literal.value;
    let problem = if text.trim().is_empty() {
        Some(("`install_stackc` is empty", "no command"))
    } else if text.chars().any(|c| c.is_control() && c != '\t') {
        Some((
            "`install_stackc` must be one line",
            "a line break or control character",
        ))
    } else {
        None
    };
    let Some((message, label)) = problem else {
        return Some(text.to_string());
    };
    diagnostics.push(
        Diagnostic::error(Code::OutOfRange, message)
            .at(literal.span)
            .with_label(label)
            .with_help("write one shell command that puts `stackc` on the PATH, as in `install_stackc = \"cargo install --locked --git https://git.example/tools/stackc stackc\"` (chain commands with `&&`); or remove the attribute for `cargo install --locked stackc --version VERSION`"),
    );
    None
}

/// `repository_root = "../.."`: `.` or `..` segments separated by `/`
/// (a trailing `/` allowed), normalised to `.` or `..`, `../..`, ...
fn repository_root(literal: &StringLit, diagnostics: &mut Diagnostics) -> Option<String> {
    let text = literal.value.strip_suffix('/').unwrap_or(&literal.value);
    let segments: Vec<&str> = text.split('/').collect();
    let valid = !text.is_empty() && segments.iter().all(|s| *s == "." || *s == "..");
    if !valid {
        let label = if literal.value.starts_with('/') {
            "an absolute path"
        } else {
            "not only `..` and `.` segments"
        };
        diagnostics.push(
            Diagnostic::error(
                Code::RepositoryRoot,
                format!(
                    "`repository_root` must lead up from the workspace to a folder above it, not `{}`",
                    literal.value
                ),
            )
            .at(literal.span)
            .with_label(label)
            .with_help("write the repository root seen from the workspace root: `\".\"` when the Stackfile is at the repository root, `\"..\"` one folder up, `\"../..\"` two"),
        );
        return None;
    }
    let up = segments.iter().filter(|s| **s == "..").count();
    Some(if up == 0 {
        ".".to_string()
    } else {
        vec![".."; up].join("/")
    })
}

#[cfg(test)]
mod tests {
    use super::super::tests::{codes, model};
    use super::*;
    use crate::model::CiSecret;

    const COMPONENTS: &str = r#"
environment prod { host = "10.0.0.1" }
component api {
  image = "news/api:1"
  test functional { command = "true" }
  test browser { command = "true" }
  test contract { command = "true" }
}
"#;

    #[test]
    fn defaults_fill_what_the_block_leaves_out() {
        let spec = format!("stack news {{ ci {{ providers = [gitlab] }} }}\n{COMPONENTS}");
        let ci = model(&spec).stack.ci.expect("a ci block");
        assert_eq!(
            ci,
            Ci {
                providers: vec![CiProvider::Gitlab],
                default_branch: "main".into(),
                runs_on: vec!["ubuntu-latest".into()],
                tags: vec![],
                deploy_runs_on: None,
                deploy_tags: None,
                stages: vec![],
                deploy: None,
                state_dir: None,
                secrets: vec![],
                repository_root: None,
                install_stackc: None,
            }
        );
        let none = model(&format!("stack news {{ }}\n{COMPONENTS}"));
        assert_eq!(none.stack.ci, None);
    }

    #[test]
    fn every_attribute_reaches_the_model() {
        let spec = format!(
            r#"stack news {{
  ci {{
    providers = [gitlab, github]
    default_branch = "trunk"
    runs_on = ["self-hosted", "linux"]
    tags = ["docker"]
    deploy = prod
    deploy_runs_on = ["self-hosted", "prod"]
    deploy_tags = ["prod"]
    state_dir = "/var/lib/stack/news"
    component = [browser]
    integration = [contract, functional]
    secrets = {{ STACK_REGISTRY_PASSWORD = "REGISTRY_TOKEN"  NPM_TOKEN = NPM_TOKEN }}
    repository_root = "./../../"
    install_stackc = "cargo install --locked --git https://git.example/tools/stackc stackc"
  }}
}}
{COMPONENTS}"#
        );
        let ci = model(&spec).stack.ci.expect("a ci block");
        assert_eq!(ci.providers, [CiProvider::Gitlab, CiProvider::Github]);
        assert_eq!(ci.default_branch, "trunk");
        assert_eq!(ci.runs_on, ["self-hosted", "linux"]);
        assert_eq!(ci.tags, ["docker"]);
        assert_eq!(
            ci.deploy_runs_on,
            Some(vec!["self-hosted".into(), "prod".into()])
        );
        assert_eq!(ci.deploy_tags, Some(vec!["prod".into()]));
        assert_eq!(ci.deploy.as_deref(), Some("prod"));
        assert_eq!(ci.state_dir.as_deref(), Some("/var/lib/stack/news"));
        assert_eq!(
            ci.stages,
            [
                ("browser".to_string(), TestStage::Component),
                ("contract".to_string(), TestStage::Integration),
                ("functional".to_string(), TestStage::Integration),
            ]
        );
        assert_eq!(ci.stage("browser"), TestStage::Component);
        assert_eq!(
            ci.secrets,
            [
                CiSecret {
                    variable: "STACK_REGISTRY_PASSWORD".into(),
                    secret: "REGISTRY_TOKEN".into()
                },
                CiSecret {
                    variable: "NPM_TOKEN".into(),
                    secret: "NPM_TOKEN".into()
                },
            ]
        );
        assert_eq!(ci.repository_root.as_deref(), Some("../.."));
        assert_eq!(
            ci.install_stackc.as_deref(),
            Some("cargo install --locked --git https://git.example/tools/stackc stackc")
        );
    }

    #[test]
    fn mistakes_get_their_codes() {
        let with = |body: &str| codes(&format!("stack news {{ ci {{ {body} }} }}\n{COMPONENTS}"));
        assert_eq!(with("providers = []"), ["E0108"]);
        assert_eq!(with("providers = github"), ["E0110"]);
        assert_eq!(with("providers = [github] secrets = [ghp_abc]"), ["E0121"]);
        assert_eq!(with("providers = [github] secrets = 3"), ["E0110"]);
        assert_eq!(
            with("providers = [gitlab] secrets = [GITHUB_X]"),
            Vec::<&str>::new()
        );
        assert_eq!(with("providers = [github] secrets = [GITHUB_X]"), ["E0123"]);
        assert_eq!(with("providers = [github] deploy = test"), ["E0114"]);
        assert_eq!(
            with("providers = [github] repository_root = \"/\""),
            ["E0124"]
        );
        assert_eq!(
            with("providers = [github] repository_root = \"\""),
            ["E0124"]
        );
        assert_eq!(
            with("providers = [github] repository_root = \"..\\\\..\""),
            ["E0124"]
        );
        assert_eq!(
            codes(&format!(
                "stack news {{ ci {{ providers = [github] }} ci {{ providers = [gitlab] }} }}\n{COMPONENTS}"
            )),
            ["E0101"]
        );
        assert_eq!(
            codes(&format!(
                "stack news {{ ci x {{ providers = [github] }} }}\n{COMPONENTS}"
            )),
            ["E0109"]
        );
        // GitLab's own variables are refused as variables, fine as secrets.
        assert_eq!(
            with("providers = [gitlab] secrets = { CI_COMMIT_SHA = \"MYSHA\" }"),
            ["E0123"]
        );
        assert_eq!(
            with("providers = [gitlab] secrets = { GIT_STRATEGY = \"X\" }"),
            ["E0123"]
        );
        assert_eq!(
            with("providers = [github] secrets = { GIT_DEPTH = \"X\" }"),
            Vec::<&str>::new()
        );
        assert_eq!(
            with("providers = [gitlab] secrets = { STACK_REGISTRY_PASSWORD = \"CI_JOB_TOKEN\" }"),
            Vec::<&str>::new()
        );
        assert_eq!(
            with("providers = [github] secrets = { RUNNER_X = \"X\" }"),
            ["E0123"]
        );
        // `deploy_tags = []` would silently be `tags`.
        assert_eq!(
            with("providers = [gitlab] deploy = prod state_dir = \"/s\" deploy_tags = []"),
            ["E0108"]
        );
        // `install_stackc`: one line, not blank.
        assert_eq!(
            with("providers = [github] install_stackc = \"\""),
            ["E0108"]
        );
        assert_eq!(
            with("providers = [github] install_stackc = \" \""),
            ["E0108"]
        );
        assert_eq!(
            with("providers = [github] install_stackc = \"a\\r\\nb\""),
            ["E0108"]
        );
        assert_eq!(with("providers = [github] install_stackc = 3"), ["E0110"]);
        assert_eq!(
            with("providers = [github] install_stackc = \"cargo\tinstall stackc\""),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn runner_attributes_of_a_provider_not_asked_for_are_warned_about() {
        let with = |body: &str| codes(&format!("stack news {{ ci {{ {body} }} }}\n{COMPONENTS}"));
        assert_eq!(with("providers = [gitlab] runs_on = [\"x\"]"), ["W0003"]);
        assert_eq!(with("providers = [github] tags = [\"x\"]"), ["W0003"]);
        assert_eq!(
            with("providers = [github] deploy = prod state_dir = \"/s\" deploy_tags = [\"x\"]"),
            ["W0003"]
        );
        assert_eq!(
            with("providers = [github, gitlab] runs_on = [\"x\"] tags = [\"y\"]"),
            Vec::<&str>::new()
        );
        // A misspelt provider may be the one meant: no warning on top.
        assert_eq!(
            with("providers = [github, gitlub] tags = [\"x\"]"),
            ["E0108"]
        );
    }

    #[test]
    fn a_deploy_that_keeps_state_in_the_checkout_is_warned_about() {
        const ROUTED: &str = r#"
environment prod { }
component api {
  image = "news/api:1"
  ports = { http = 8080 }
  health { http = "/health" }
  route public { host = "api.example" }
}
"#;
        let with = |body: &str, components: &str| {
            codes(&format!("stack news {{ ci {{ {body} }} }}\n{components}"))
        };
        assert_eq!(
            with("providers = [gitlab] deploy = prod", ROUTED),
            ["W0004"]
        );
        assert_eq!(
            with(
                "providers = [gitlab] deploy = prod state_dir = \"/s\"",
                ROUTED
            ),
            Vec::<&str>::new()
        );
        // An invalid `state_dir` is its own mistake.
        assert_eq!(
            with(
                "providers = [gitlab] deploy = prod state_dir = \"s\"",
                ROUTED
            ),
            ["E0108"]
        );
        // Without a routed component `stack deploy` keeps no state.
        assert_eq!(
            with("providers = [gitlab] deploy = prod", COMPONENTS),
            Vec::<&str>::new()
        );
        assert_eq!(with("providers = [gitlab]", ROUTED), Vec::<&str>::new());
    }

    #[test]
    fn branch_names_follow_git_and_quote_safely() {
        for good in ["main", "release/2.x", "feature-1", "v1.2"] {
            assert_eq!(branch_problem(good), None, "{good}");
        }
        for bad in [
            "",
            "a b",
            "a..b",
            "-x",
            "x/",
            "x.lock",
            "a/.b",
            "x~1",
            "it's",
            "$x",
            "@",
            "a@{1}",
            "refs/heads/main",
            "a//b",
        ] {
            assert!(branch_problem(bad).is_some(), "{bad}");
        }
    }
}
