//! The Models and layouts the CI files are checked for.

use stackc::emit::ci;
use stackc::model::{Ci, CiProvider, CiSecret, Deploy, Model, Route, Strategy, TestStage};
use stackc::output::Layout;

use crate::support::models::{self as base, suite};

/// One case: a Model with a `ci` block, and where the roots are.
pub struct Case {
    /// A short name, for snapshots and messages.
    pub name: &'static str,
    pub model: Model,
    pub layout: Layout,
}

impl Case {
    /// Every CI file of the case: (path from the repository root, text).
    pub fn files(&self) -> Vec<(String, String)> {
        ci::emit(&self.model, &self.layout)
    }
}

/// A `ci` block with both providers, a deploy, and secrets in both forms.
pub fn full_ci() -> Ci {
    Ci {
        providers: vec![CiProvider::Github, CiProvider::Gitlab],
        default_branch: "main".into(),
        runs_on: vec!["ubuntu-latest".into()],
        tags: vec!["docker".into()],
        // Build and test anywhere; deploy from a runner on the prod host.
        deploy_runs_on: Some(vec!["self-hosted".into(), "prod".into()]),
        deploy_tags: Some(vec!["prod".into()]),
        stages: vec![
            ("contract".into(), TestStage::Integration),
            ("browser".into(), TestStage::Acceptance),
        ],
        deploy: Some("prod".into()),
        state_dir: Some("/var/lib/stack/newsroom".into()),
        secrets: vec![
            CiSecret {
                variable: "NPM_TOKEN".into(),
                secret: "NPM_TOKEN".into(),
            },
            CiSecret {
                variable: "STACK_REGISTRY_PASSWORD".into(),
                secret: "REGISTRY_TOKEN".into(),
            },
            CiSecret {
                variable: "STACK_REGISTRY_USERNAME".into(),
                secret: "REGISTRY_USER".into(),
            },
        ],
        repository_root: None,
        install_stackc: None,
    }
}

/// The newsroom of tests/support/models.rs with suites of every stage, a
/// routed `web-ui` that deploys blue-green, a suite on `couchbase` (no build
/// context), and `ci`.
pub fn newsroom(ci: Ci) -> Model {
    let mut model = base::newsroom();
    model.stack.registry = Some("registry.newsroom.internal:5000".into());
    for component in &mut model.components {
        match component.name.as_str() {
            "couchbase" => component.tests = vec![suite("functional", None, None, None)],
            "api" => component.tests.extend([
                suite("contract", None, None, None),
                suite("performance", None, None, None),
            ]),
            "web-ui" => {
                let http = base::port("http", 3000, Some(3000));
                component.routes = vec![Route {
                    name: "public".into(),
                    host: "news.example".into(),
                    path: "/".into(),
                    port: http,
                }];
                component.deploy = Some(Deploy {
                    strategy: Strategy::BlueGreen,
                    steps: vec![100_000],
                    interval_ms: 10_000,
                });
                component.tests.extend([
                    suite("integration", None, None, None),
                    suite("browser", None, None, None),
                    suite("acceptance", None, None, None),
                ]);
            }
            _ => {}
        }
    }
    model.stack.ci = Some(ci);
    model
}

/// A `ci` block whose free text breaks naive quoting: a branch with both
/// quote characters and filter characters, a runner label, a state folder
/// and an install command with `$` and `${{`.
fn hostile_ci() -> Ci {
    Ci {
        providers: vec![CiProvider::Github, CiProvider::Gitlab],
        default_branch: "rel'ease\"+1".into(),
        runs_on: vec!["self-hosted".into(), "${{ inputs.x }}".into()],
        tags: vec!["it's".into()],
        state_dir: Some("/var/lib/$USER/${{ x }}".into()),
        // A command chaining others, with text GitHub must not evaluate.
        install_stackc: Some(
            "curl -fsSL \"https://get.example/stackc?v=${{ x }}\" -o \"$HOME/bin/stackc\" && chmod +x \"$HOME/bin/stackc\"".into(),
        ),
        deploy_runs_on: None,
        deploy_tags: None,
        ..full_ci()
    }
}

/// Every case.
pub fn cases() -> Vec<Case> {
    let mut minimal = base::minimal();
    minimal.stack.ci = Some(Ci {
        providers: vec![CiProvider::Github],
        default_branch: "trunk".into(),
        runs_on: vec!["self-hosted".into(), "linux".into()],
        tags: vec![],
        deploy_runs_on: None,
        deploy_tags: None,
        stages: vec![],
        deploy: None,
        state_dir: None,
        secrets: vec![],
        repository_root: None,
        install_stackc: None,
    });
    let mut gitlab_first = full_ci();
    gitlab_first.providers = vec![CiProvider::Gitlab, CiProvider::Github];
    vec![
        Case {
            name: "newsroom",
            model: newsroom(full_ci()),
            layout: Layout::default(),
        },
        Case {
            name: "monorepo",
            model: newsroom(gitlab_first),
            layout: Layout {
                workspace_from_repository: "apps/shop".into(),
                ..Layout::default()
            },
        },
        Case {
            name: "out-elsewhere",
            model: newsroom(full_ci()),
            layout: Layout {
                workspace_from_output: "../../apps/shop".into(),
                workspace_from_repository: "apps/shop".into(),
                output_from_workspace: "../../build/shop".into(),
            },
        },
        Case {
            name: "hostile",
            model: newsroom(hostile_ci()),
            layout: Layout {
                workspace_from_output: "../../../apps/it's ${{ x }} $HOME".into(),
                workspace_from_repository: "apps/it's ${{ x }} $HOME".into(),
                output_from_workspace: "../../build/my out".into(),
            },
        },
        Case {
            name: "minimal",
            model: minimal,
            layout: Layout::default(),
        },
    ]
}
