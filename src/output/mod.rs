//! Stage 6: the only code that writes to disk.

use std::path::Path;

use crate::emit::ArtifactSet;

/// Writes every artifact under `out`. (A plain first version; the safe
/// output layer replaces it.)
pub fn write_all(artifacts: &ArtifactSet, out: &Path) -> std::io::Result<()> {
    for (path, contents) in artifacts {
        let target = out.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(target, contents)?;
    }
    Ok(())
}
