//! Stage 2: from the entry `Stackfile`, follow includes into a workspace.

mod loader;

/// The crate's one lexical normaliser, re-exported for the callers that
/// still import it from here.
pub(crate) use crate::lexical_path::normalise;
pub use loader::{load, LoadError, Workspace, ENTRY_FILE};
