//! Why the output layer refused or failed. Every one is exit code 2: the
//! specs may be fine, but stackc could not (or would not) touch the disk.

use std::fmt::Write as _;
use std::io;
use std::path::PathBuf;

use super::Conflict;

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// An emitter produced a path outside the rules: a bug in stackc,
    /// refused before anything is written.
    #[error("internal error: stackc generated the path `{path}` and refuses to write it: {reason}; please report this bug")]
    InvalidArtifact { path: String, reason: String },

    #[error("the output folder {} is not a folder", out.display())]
    OutNotAFolder { out: PathBuf },

    /// Files stackc did not generate stand where it must write.
    #[error("{}", conflicts_message(out, conflicts))]
    Conflicts {
        out: PathBuf,
        conflicts: Vec<Conflict>,
    },

    /// The manifest names a path outside the output folder: stackc will not
    /// act on a list it did not write.
    #[error("{}:{line}: `{text}` is not a path inside the output folder ({reason})\nhelp: stackc only deletes files its manifest lists and will not act on this one; delete the line (or the whole manifest) and run the command again", manifest.display())]
    BadManifest {
        manifest: PathBuf,
        line: usize,
        text: String,
        reason: String,
    },

    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

impl OutputError {
    pub(super) fn io(action: &'static str, path: PathBuf) -> impl FnOnce(io::Error) -> OutputError {
        move |source| OutputError::Io {
            action,
            path,
            source,
        }
    }
}

fn conflicts_message(out: &std::path::Path, conflicts: &[Conflict]) -> String {
    let (files, is, them) = if conflicts.len() == 1 {
        ("a file".to_string(), "is", "it")
    } else {
        (format!("{} files", conflicts.len()), "are", "them")
    };
    let mut text = format!(
        "{files} in {} {is} in the way: stackc did not generate {them} and will not \
         overwrite or delete {them}; nothing was written:",
        out.display()
    );
    for conflict in conflicts {
        let _ = write!(
            text,
            "\n  {}: {}",
            conflict.path.under(out).display(),
            conflict.kind
        );
    }
    let _ = write!(
        text,
        "\nhelp: move {them} out of {} (or delete {them}) and run the command again, \
         or write elsewhere with `--out`",
        out.display()
    );
    text
}
