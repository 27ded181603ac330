//! A job's `environment:`.

use serde::Serialize;

/// The GitLab environment a deploy job deploys to: the job's runs become
/// deployments on the environment's page (Operate → Environments), and a
/// protected environment's rules apply to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Environment {
    /// The environment's name (the `ci` block's `deploy`).
    pub name: String,
}
