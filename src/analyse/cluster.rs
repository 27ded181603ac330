//! What a component says for clusters (`replicas`, `resources { }`,
//! `placement`, `secrets`), and the rules that relate it to the
//! environments' orchestrators.

use super::component::ComponentDraft;
use super::fields::{expect_name, wrong_type, Fields};
use super::images::with_registry;
use super::placement::placement;
use super::resources::resources;
use super::runtime;
use crate::diagnostic::{did_you_mean, Code, Diagnostic, Diagnostics};
use crate::model::{
    Constraint, EnvVar, Environment, Orchestrator, Resources, Text, TextPart, VarOperator,
};
use crate::source::Span;
use crate::syntax::ast::{Block, Ident, Item, ValueKind};

/// The component attributes read here, for its schema.
pub const ATTRIBUTES: [&str; 3] = ["replicas", "placement", "secrets"];

/// A component's cluster settings, with the spans later rules point at.
#[derive(Default)]
pub struct ClusterDraft {
    pub replicas: u32,
    pub resources: Resources,
    pub placement: Vec<Constraint>,
    /// The variables `secrets` lists, as written.
    pub secrets: Vec<Ident>,
    /// `secrets` had an error: which variables are secret is not known, so
    /// the Kubernetes value check says nothing more for this component.
    pub secrets_invalid: bool,
    /// The first of `replicas`, `resources` and `placement` written: a
    /// warning points there when no environment runs on a cluster.
    pub written: Option<Span>,
}

/// Reads `replicas`, `placement` and `secrets` from the component's fields,
/// and its `resources` block when it has one.
pub fn cluster(
    fields: &Fields,
    resources_block: Option<&Block>,
    diagnostics: &mut Diagnostics,
) -> ClusterDraft {
    let replicas = match fields.integer("replicas", diagnostics) {
        None => 1,
        Some((n, span)) => match u32::try_from(n) {
            Ok(n) if n >= 1 => n,
            _ => {
                diagnostics.push(
                    Diagnostic::error(Code::OutOfRange, "`replicas` must be at least 1")
                        .at(span)
                        .with_help(format!("a count from 1 to {}", u32::MAX)),
                );
                1
            }
        },
    };
    let placement = fields
        .value("placement", diagnostics)
        .map(|v| placement(v, diagnostics))
        .unwrap_or_default();
    let errors_before = diagnostics.error_count();
    let mut secrets: Vec<Ident> = Vec::new();
    for name in secret_names(fields, diagnostics) {
        match secrets.iter().find(|s| s.name == name.name) {
            Some(first) => diagnostics.push(
                Diagnostic::error(
                    Code::Duplicate,
                    format!("`{}` is listed twice in `secrets`", name.name),
                )
                .at(name.span)
                .also(first.span, "first listed here"),
            ),
            None => secrets.push(name),
        }
    }
    let secrets_invalid = diagnostics.error_count() > errors_before || fields.misspelt("secrets");
    let written = ["replicas", "placement"]
        .iter()
        .filter_map(|key| fields.attribute(key).map(|a| a.key.span))
        .chain(resources_block.map(|b| b.kind.span))
        .min_by_key(|span| span.start);
    ClusterDraft {
        replicas,
        resources: resources_block
            .map(|b| resources(b, diagnostics))
            .unwrap_or_default(),
        placement,
        secrets,
        secrets_invalid,
        written,
    }
}

/// The rules across a component's cluster settings and the environments:
/// [`check_effect`], [`check_kubernetes_values`], [`check_kubernetes_image`].
/// `env_values` holds each draft's variables, in the order of `drafts`.
pub fn check_components(
    drafts: &[ComponentDraft],
    env_values: &[Vec<EnvVar>],
    environments: &[Environment],
    registry: Option<&str>,
    diagnostics: &mut Diagnostics,
) {
    let kubernetes = first_kubernetes(environments);
    for (draft, vars) in drafts.iter().zip(env_values) {
        check_effect(&draft.cluster, environments, diagnostics);
        // The rest is about Kubernetes: nothing to build without it.
        let Some(kubernetes) = kubernetes else {
            continue;
        };
        // The variables written come first, in order; toggles follow.
        let written: Vec<(&Ident, &EnvVar)> = draft
            .env
            .iter()
            .map(|(key, _)| *key)
            .zip(vars)
            .filter(|(key, var)| key.name == var.name)
            .collect();
        if !draft.cluster.secrets_invalid {
            check_kubernetes_values(&written, environments, diagnostics);
        }
        let image = runtime::split(&with_registry(&draft.image, registry));
        let span = draft
            .block
            .items
            .iter()
            .find_map(|item| match item {
                Item::Attribute(a) if a.key.name == "image" => Some(a.value.span),
                _ => None,
            })
            .unwrap_or(draft.name.span);
        check_kubernetes_image(&image, span, kubernetes, diagnostics);
    }
}

/// The first environment that runs on Kubernetes, the one Kubernetes
/// diagnostics name; `None` when none does.
pub fn first_kubernetes(environments: &[Environment]) -> Option<&Environment> {
    environments
        .iter()
        .find(|e| e.orchestrator == Orchestrator::Kubernetes)
}

/// The names `secrets` lists: names as written (`[DB_PASSWORD]`), and a
/// variable whose name has a `.` in quotes (`["xpack.security.password"]`),
/// since a list holds no dotted key.
fn secret_names(fields: &Fields, diagnostics: &mut Diagnostics) -> Vec<Ident> {
    let Some(value) = fields.value("secrets", diagnostics) else {
        return Vec::new();
    };
    let ValueKind::List(items) = &value.kind else {
        diagnostics.push(wrong_type(value, "a list of names such as `[DB_PASSWORD]`"));
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| match &item.kind {
            ValueKind::String(s) if s.value.contains('.') => Some(Ident {
                name: s.value.clone(),
                span: item.span,
            }),
            _ => expect_name(item, diagnostics),
        })
        .collect()
}

/// Reports each `secrets` entry that names no variable of `env` (the
/// component's `env` block, as written).
pub fn check_secrets(draft: &mut ClusterDraft, env: &[&Ident], diagnostics: &mut Diagnostics) {
    for secret in &draft.secrets {
        if env.iter().any(|key| key.name == secret.name) {
            continue;
        }
        let help = match did_you_mean(&secret.name, env.iter().map(|key| key.name.as_str())) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!(
                "`secrets` marks variables of `env` as secret; add `{} = \"${{{}}}\"` to `env`",
                secret.name, secret.name
            ),
        };
        diagnostics.push(
            Diagnostic::error(
                Code::UnknownSecret,
                format!(
                    "`{}` is not a variable of this component's `env`",
                    secret.name
                ),
            )
            .at(secret.span)
            .with_help(help),
        );
        draft.secrets_invalid = true;
    }
}

/// W0003 on a component's cluster settings when no environment runs on a
/// cluster: one Docker host runs one copy, unconstrained.
fn check_effect(draft: &ClusterDraft, environments: &[Environment], diagnostics: &mut Diagnostics) {
    let clustered = environments
        .iter()
        .any(|e| e.orchestrator != Orchestrator::Compose);
    if let (Some(span), false) = (draft.written, clustered) {
        diagnostics.push(
            Diagnostic::warning(Code::NoEffect, "no environment runs on a cluster")
                .at(span)
                .with_label("`replicas`, `resources` and `placement` are for Swarm and Kubernetes")
                .with_help("set `orchestrator = swarm` or `orchestrator = kubernetes` in an environment, or remove this"),
        );
    }
}

/// E0127 for each variable whose value in a Kubernetes environment holds a
/// run-time reference (`${VAR}`): Kubernetes interpolates nothing, so the
/// container would see the reference as written. Secrets are read from a
/// Secret instead, and are not checked.
fn check_kubernetes_values(
    env: &[(&Ident, &EnvVar)],
    environments: &[Environment],
    diagnostics: &mut Diagnostics,
) {
    for environment in environments
        .iter()
        .filter(|e| e.orchestrator == Orchestrator::Kubernetes)
    {
        for (key, var) in env.iter().filter(|(_, var)| !var.secret) {
            let Some(reference) = var.value(&environment.name).and_then(first_reference) else {
                continue;
            };
            diagnostics.push(
                Diagnostic::error(
                    Code::OrchestratorCannot,
                    format!(
                        "`{}` holds the run-time reference `{reference}` in environment `{}`, which runs on Kubernetes",
                        key.name, environment.name
                    ),
                )
                .at(key.span)
                .with_label("Kubernetes does not interpolate run-time references")
                .with_help(format!(
                    "list `{}` in the component's `secrets` (Kubernetes reads it from a Secret), or give environment `{}` a literal value: from its `vars` (`{{{{ env.vars.NAME }}}}`) or a branch on `env.name`",
                    key.name, environment.name
                )),
            );
        }
    }
}

/// E0127 when the image holds a run-time reference without a default, for
/// `environment`, which runs on Kubernetes: manifests hold the image with each
/// reference replaced by its default (`newsroom/api:${VERSION:-latest}` is
/// `newsroom/api:latest`), so a reference needs one. `span` is the
/// `image` attribute's value, or the component's name.
fn check_kubernetes_image(
    image: &Text,
    span: Span,
    environment: &Environment,
    diagnostics: &mut Diagnostics,
) {
    let without_default = image.parts.iter().find(|part| {
        matches!(
            part,
            TextPart::Variable { operator, .. }
                if !matches!(operator, Some(VarOperator::DefaultIfEmpty | VarOperator::DefaultIfUnset))
        )
    });
    if let Some(part) = without_default {
        diagnostics.push(
            Diagnostic::error(
                Code::OrchestratorCannot,
                format!(
                    "the image `{}` holds `{}`, which has no default, and environment `{}` runs on Kubernetes",
                    image.display(),
                    part.reference(),
                    environment.name
                ),
            )
            .at(span)
            .with_label("Kubernetes manifests hold each reference's default")
            .with_help("give the reference a default, such as `${VERSION:-latest}`; a deploy sets the tag it ships (`kubectl set image`, `kubectl argo rollouts set image`)"),
        );
    }
}

/// The first run-time reference of `text`, as written.
fn first_reference(text: &Text) -> Option<String> {
    text.parts
        .iter()
        .find(|part| matches!(part, TextPart::Variable { .. }))
        .map(TextPart::reference)
}
