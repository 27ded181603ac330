//! What the analysis holds once every rule has passed: the pieces the
//! Model is assembled from ([`Analysed::into_model`]), or only the counts
//! `stackc check` prints ([`Analysed::summary`]), which need no assembly.

use crate::load::Workspace;
use crate::model::{Component, EnvVar, FileObject, Graph, Model, Stack, Toggle};

use super::component::ComponentDraft;
use super::environments::EnvironmentDecl;
use super::file_objects::{FileObjectDecl, FileObjects};
use super::images::with_registry;
use super::networks::NetworkDecl;
use super::runtime;

/// A workspace that analysed without an error, before its Model is
/// assembled. Borrows the workspace and the analysis' own declarations.
pub(super) struct Analysed<'w, 'a> {
    pub workspace: &'w Workspace,
    pub stack: Stack,
    pub environments: Vec<EnvironmentDecl>,
    /// Every component, in declaration order.
    pub drafts: Vec<ComponentDraft<'a>>,
    /// Each draft's resolved environment variables, in the drafts' order.
    pub env_values: Vec<Vec<EnvVar>>,
    pub toggles: Vec<Toggle>,
    pub graph: Graph,
    pub objects: &'a FileObjects<'a>,
    /// The secrets and configs some component uses, sorted.
    pub used_secrets: Vec<String>,
    pub used_configs: Vec<String>,
    pub networks: Vec<NetworkDecl<'a>>,
}

/// What `stackc check` reports of a workspace without errors: how many
/// components, environments (the `test` one stackc adds included) and
/// spec files its Model would have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub components: usize,
    pub environments: usize,
    pub files: usize,
}

impl Analysed<'_, '_> {
    /// The counts the Model would have, without assembling it: every
    /// component is in the graph (a duplicate or a cycle is an error).
    pub fn summary(&self) -> Summary {
        Summary {
            components: self.graph.order.len(),
            environments: self.environments.len(),
            files: self.workspace.sources.files().count(),
        }
    }

    /// The Model: components in the graph's order with their env values,
    /// the registry prefixed to their images, the declarations some
    /// component uses.
    pub fn into_model(self) -> Model {
        let components = components_in_order(
            self.workspace,
            self.drafts,
            self.env_values,
            self.stack.registry.as_deref(),
            &self.graph,
        );
        Model {
            sources: self
                .workspace
                .sources
                .files()
                .map(|(_, f)| f.path.clone())
                .collect(),
            stack: self.stack,
            environments: self.environments.into_iter().map(|e| e.model).collect(),
            components,
            toggles: self.toggles,
            graph: self.graph,
            secrets: used(&self.objects.secrets, &self.used_secrets),
            configs: used(&self.objects.configs, &self.used_configs),
            networks: self.networks.into_iter().map(|n| n.model).collect(),
        }
    }
}

/// The declarations some component uses (`used`, sorted), by name.
fn used(declarations: &[FileObjectDecl], used: &[String]) -> Vec<FileObject> {
    let mut out: Vec<FileObject> = declarations
        .iter()
        .filter(|d| used.binary_search(&d.model.name).is_ok())
        .map(|d| d.model.clone())
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// The Model's components, in the graph's order, each with its resolved
/// environment variables (`env_values`, in the order of `drafts`).
fn components_in_order(
    workspace: &Workspace,
    drafts: Vec<ComponentDraft>,
    env_values: Vec<Vec<EnvVar>>,
    registry: Option<&str>,
    graph: &Graph,
) -> Vec<Component> {
    // Each name's place in the graph's order: the components are sorted in
    // place, not moved through a map keyed by name.
    let position: fnv::FnvHashMap<&str, usize> = graph
        .order
        .iter()
        .enumerate()
        .map(|(i, name)| (name.as_str(), i))
        .collect();
    // Collected from the drafts' own iterator, the components are written
    // into the drafts' memory as each draft is consumed (the standard
    // library collects in place): a second vector as long as the first was
    // the analysis' peak.
    let mut components: Vec<Component> = drafts
        .into_iter()
        .zip(env_values)
        .map(|(draft, env)| {
            let source = workspace
                .sources
                .get(draft.file)
                .map(|f| f.path.clone())
                .unwrap_or_default();
            Component {
                name: draft.name.name.to_string(),
                image: runtime::split(&with_registry(&draft.image, registry)),
                build: draft.build,
                command: draft.command,
                ports: draft.ports.ports.into_iter().map(|d| d.port).collect(),
                depends_on: draft
                    .depends_on
                    .into_iter()
                    .map(|d| d.name.into())
                    .collect(),
                health: draft.health,
                env,
                fixtures: draft
                    .fixtures
                    .into_iter()
                    .map(|(mut f, _)| {
                        f.image = runtime::split(&with_registry(&f.image.display(), registry));
                        f
                    })
                    .collect(),
                tests: draft.tests,
                routes: draft.routes,
                deploy: draft.deploy,
                kpi: draft.kpi,
                replicas: draft.cluster.replicas,
                resources: draft.cluster.resources,
                placement: draft.cluster.placement,
                secrets: draft.references.mounted_secrets,
                configs: draft.references.mounted_configs,
                compose: draft.compose.entries,
                source,
            }
        })
        .collect();
    components.retain(|c| position.contains_key(c.name.as_str()));
    // Names are unique (a duplicate is an error): no two keys are equal.
    // Each key is looked up once (a comparison looking up both cost more
    // than the rest of the sort).
    components.sort_by_cached_key(|c| position.get(c.name.as_str()).copied());
    components
}
