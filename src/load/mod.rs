//! Stage 2: from the entry `Stackfile`, follow includes into a workspace.

mod loader;

pub use loader::{load, LoadError, Workspace, ENTRY_FILE};
