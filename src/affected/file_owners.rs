//! Which components a changed file belongs to (docs/workflow.md,
//! "`stackc affected`"): the Stackfile and the task runner's shared hooks
//! to all, another spec file to the components it declares, a file in a
//! build context (a component's or one of its fixtures loaders') to its
//! component, a component's own hooks to it, generated files and anything
//! else to none.

use camino::{Utf8Path, Utf8PathBuf};

use crate::cli::DEFAULT_OUT_DIR;
use crate::model::Model;
use crate::output::MANIFEST_FILE;

/// The folder of the task runner's hooks, under the workspace root.
pub const HOOKS: &str = "stack.d";

/// What a changed file touches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owners {
    /// Every component (the Stackfile, a shared hook).
    All,
    /// These components, by name (none: the file touches no component).
    Components(Vec<String>),
}

/// The rules for one workspace: its spec files, build contexts and hooks.
pub struct FileOwners<'m> {
    model: &'m Model,
    /// The workspace root on disk, where an output folder is recognised
    /// by its manifest.
    root: Utf8PathBuf,
}

impl<'m> FileOwners<'m> {
    /// The rules of `model`, whose workspace is at `root`.
    pub fn new(model: &'m Model, root: &Utf8Path) -> FileOwners<'m> {
        FileOwners {
            model,
            root: root.to_path_buf(),
        }
    }

    /// The components the file `path` (relative to the workspace root,
    /// `/`-separated) belongs to. `deleted`: the file is gone (a spec file
    /// no longer loaded may have declared anything, so it touches all).
    pub fn owners(&self, path: &str, deleted: bool) -> Owners {
        if self.is_generated(path) {
            return Owners::Components(Vec::new());
        }
        let mut sources = self.model.sources.iter();
        if sources.next().is_some_and(|root| root == path) {
            return Owners::All;
        }
        if self.model.sources.iter().any(|s| s == path) {
            let declared: Vec<String> = self
                .model
                .components
                .iter()
                .filter(|c| c.source == path)
                .map(|c| c.name.clone())
                .collect();
            return if declared.is_empty() {
                Owners::All
            } else {
                Owners::Components(declared)
            };
        }
        if deleted && is_spec_name(path) {
            return Owners::All;
        }
        if let Some(hook) = path
            .strip_prefix(HOOKS)
            .and_then(|rest| rest.strip_prefix('/'))
        {
            return self.hook_owner(hook);
        }
        // A context `.` is the workspace root: it holds every file.
        let inside = |context: &str| {
            context == "."
                || path
                    .strip_prefix(context)
                    .is_some_and(|rest| rest.starts_with('/'))
        };
        let owners: Vec<String> = self
            .model
            .components
            .iter()
            .filter(|c| {
                // A `dockerfile` may live outside its context (`../Dockerfile`).
                c.build
                    .as_ref()
                    .is_some_and(|b| inside(&b.context) || b.dockerfile_path() == path)
                    || c.fixtures
                        .iter()
                        .any(|f| f.build.as_deref().is_some_and(inside))
            })
            .map(|c| c.name.clone())
            .collect();
        Owners::Components(owners)
    }

    /// `stack.d/build/C` (a file or a folder) and `stack.d/test/C/...`
    /// belong to C when C is a component; every other hook to all.
    fn hook_owner(&self, hook: &str) -> Owners {
        let mut parts = hook.split('/');
        let (Some(kind), Some(name)) = (parts.next(), parts.next()) else {
            return Owners::All;
        };
        let per_component = match kind {
            "build" => true,
            "test" => parts.next().is_some(),
            _ => false,
        };
        if per_component && self.model.component(name).is_some() {
            Owners::Components(vec![name.to_string()])
        } else {
            Owners::All
        }
    }

    /// Whether `path` lies in an output folder: `generated/`, or a folder
    /// holding a manifest (`stackc build --out DIR`), or is a manifest.
    fn is_generated(&self, path: &str) -> bool {
        if path
            .strip_prefix(DEFAULT_OUT_DIR)
            .is_some_and(|rest| rest.starts_with('/'))
        {
            return true;
        }
        let path = Utf8Path::new(path);
        if path.file_name() == Some(MANIFEST_FILE) {
            return true;
        }
        path.ancestors()
            .skip(1)
            .filter(|folder| !folder.as_str().is_empty())
            .any(|folder| self.root.join(folder).join(MANIFEST_FILE).is_file())
    }
}

/// A file named like a spec: `Stackfile`, or ending in `.stack`.
fn is_spec_name(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name == "Stackfile" || name.ends_with(".stack")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compile::compile;

    fn newsroom() -> Model {
        let root = Utf8Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/newsroom");
        compile(root.as_std_path())
            .expect("loads")
            .model
            .expect("the newsroom example is valid")
    }

    fn some(names: &[&str]) -> Owners {
        Owners::Components(names.iter().map(|n| n.to_string()).collect())
    }

    #[test]
    fn each_kind_of_file_has_its_owners() {
        let model = newsroom();
        let tmp = tempfile::tempdir().unwrap();
        let root = Utf8Path::from_path(tmp.path()).unwrap();
        std::fs::create_dir_all(root.join("out/compose")).unwrap();
        std::fs::write(root.join("out").join(MANIFEST_FILE), "").unwrap();
        let owners = FileOwners::new(&model, root);
        let of = |path: &str| owners.owners(path, false);
        assert_eq!(of("Stackfile"), Owners::All);
        assert_eq!(of("services/api.stack"), some(&["api"]));
        assert_eq!(
            of("services/stores.stack"),
            some(&["couchbase", "elasticsearch", "redis"])
        );
        assert_eq!(of("services/api/src/index.js"), some(&["api"]));
        assert_eq!(of("services/api"), some(&[]));
        assert_eq!(of("services/apix/file"), some(&[]));
        assert_eq!(of("fixtures/articles/Dockerfile"), some(&["api"]));
        assert_eq!(of("fixtures/search-index/data.json"), some(&["search"]));
        assert_eq!(of("stack.d/build/web"), some(&["web"]));
        assert_eq!(of("stack.d/test/api/functional"), some(&["api"]));
        assert_eq!(of("stack.d/test/api"), Owners::All);
        assert_eq!(of("stack.d/build/nope"), Owners::All);
        assert_eq!(of("stack.d/setup"), Owners::All);
        assert_eq!(of("generated/compose/stack.yml"), some(&[]));
        assert_eq!(of("out/compose/stack.yml"), some(&[]));
        assert_eq!(of("out/.stackc-manifest"), some(&[]));
        assert_eq!(of("README.md"), some(&[]));
        assert_eq!(of("services/old.stack"), some(&[]));
        assert_eq!(owners.owners("services/old.stack", true), Owners::All);
    }

    #[test]
    fn a_context_at_the_workspace_root_holds_every_other_file() {
        let mut model = newsroom();
        if let Some(ingest) = model.components.iter_mut().find(|c| c.name == "ingest") {
            ingest.build = Some(crate::model::Build::context("."));
        }
        let tmp = tempfile::tempdir().unwrap();
        let owners = FileOwners::new(&model, Utf8Path::from_path(tmp.path()).unwrap());
        assert_eq!(owners.owners("README.md", false), some(&["ingest"]));
        assert_eq!(
            owners.owners("services/web/app.js", false),
            some(&["ingest", "web"])
        );
        assert_eq!(owners.owners("generated/stack", false), some(&[]));
        assert_eq!(owners.owners("Stackfile", false), Owners::All);
    }

    #[test]
    fn a_dockerfile_outside_its_context_belongs_to_the_component() {
        let mut model = newsroom();
        if let Some(ingest) = model.components.iter_mut().find(|c| c.name == "ingest") {
            let mut build = crate::model::Build::context("services/ingest");
            build.dockerfile = Some("../../docker/ingest.Dockerfile".into());
            ingest.build = Some(build);
        }
        let tmp = tempfile::tempdir().unwrap();
        let owners = FileOwners::new(&model, Utf8Path::from_path(tmp.path()).unwrap());
        assert_eq!(
            owners.owners("services/ingest/main.go", false),
            some(&["ingest"])
        );
        assert_eq!(
            owners.owners("docker/ingest.Dockerfile", false),
            some(&["ingest"])
        );
        assert_eq!(owners.owners("docker/web.Dockerfile", false), some(&[]));
    }
}
