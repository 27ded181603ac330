//! The CI files (`.github/workflows/stack.yml`, `.gitlab-ci.yml`), checked
//! by their vendors' JSON schemas (`check-jsonschema`'s built-in
//! `vendor.github-workflows` and `vendor.gitlab-ci`), read back by a YAML
//! 1.1 reader (PyYAML), and snapshotted, for hand-built Models: a
//! newsroom-like stack with both providers, in a repository subfolder,
//! with the output folder elsewhere, and a minimal one.
//! Run with `cargo test --test ci`.

#[allow(dead_code)]
#[path = "support/tools.rs"]
mod shared_tools;
#[allow(dead_code)]
mod support;

#[path = "ci/models.rs"]
mod models;
#[path = "ci/readers.rs"]
mod readers;
#[path = "ci/schema.rs"]
mod schema;
#[path = "ci/snapshots.rs"]
mod snapshots;
#[path = "ci/tools.rs"]
mod tools;
