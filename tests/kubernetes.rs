//! The Kubernetes manifests (`kubernetes/ENV/*.yaml`) of the fixture
//! workspace `tests/kubernetes/workspace`, which exercises every mapping:
//! snapshotted file by file, every core-API object held to
//! `kubernetes-validate --strict` for several Kubernetes versions, and every
//! Argo Rollouts object to the field reference of the Argo Rollouts version
//! stackc targets, refusing any unknown field.
//! Run with `cargo test --test kubernetes`.

#[allow(dead_code)]
#[path = "support/tools.rs"]
mod shared_tools;

#[path = "kubernetes/argo_fields.rs"]
mod argo_fields;
#[path = "kubernetes/core_schemas.rs"]
mod core_schemas;
#[path = "kubernetes/fixture.rs"]
mod fixture;
#[path = "kubernetes/snapshots.rs"]
mod snapshots;
#[path = "kubernetes/tools.rs"]
mod tools;
