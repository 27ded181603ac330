//! Why the output layer refused or failed. Every one is exit code 2: the
//! specs may be fine, but stackc could not (or would not) touch the disk.

use std::fmt::Write as _;
use std::io;

use camino::Utf8PathBuf;

use super::{Conflict, Root, Roots};

/// An output-layer failure; the message names the path and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// An emitter produced a path outside the rules: a bug in stackc,
    /// refused before anything is written.
    #[error("internal error: stackc generated the path `{path}` and refuses to write it: {reason}; please report this bug")]
    InvalidArtifact { path: String, reason: String },

    /// The output folder or the repository root exists but is a file.
    #[error("the {} {folder} is not a folder", root_name(*root))]
    RootNotAFolder { root: Root, folder: Utf8PathBuf },

    /// Files the manifest does not list (or links, or special files) stand
    /// where stackc must write. `manifest_missing`: the output folder exists
    /// but holds no manifest, so stackc cannot tell its own files from
    /// anyone else's (the message says so, and what to do).
    #[error("{}", conflicts_message(roots, conflicts, *manifest_missing))]
    Conflicts {
        roots: Box<Roots>,
        conflicts: Vec<Conflict>,
        manifest_missing: bool,
    },

    /// A root where generated files do not belong (see
    /// [`Roots::check_placement`]); `help` says what to write instead.
    #[error("the {} {folder} {reason}\nhelp: {help}", root_name(*root))]
    RootRefused {
        root: Root,
        folder: Utf8PathBuf,
        reason: String,
        help: String,
    },

    /// The manifest names a path outside its root: stackc will not act on
    /// a list it did not write.
    #[error("{manifest}:{line}: `{text}` is not a path inside the output folder or the repository root ({reason})\nhelp: stackc only deletes files its manifest lists and will not act on this one; delete the line (or the whole manifest) and run the command again")]
    BadManifest {
        manifest: Utf8PathBuf,
        line: usize,
        text: String,
        reason: String,
    },

    /// A file operation failed (`action` is a verb: "write", "delete").
    #[error("cannot {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: Utf8PathBuf,
        #[source]
        source: io::Error,
    },
}

impl OutputError {
    pub(super) fn io(
        action: &'static str,
        path: Utf8PathBuf,
    ) -> impl FnOnce(io::Error) -> OutputError {
        move |source| OutputError::Io {
            action,
            path,
            source,
        }
    }
}

fn root_name(root: Root) -> &'static str {
    match root {
        Root::Output => "output folder",
        Root::Repository => "repository root",
    }
}

fn conflicts_message(roots: &Roots, conflicts: &[Conflict], manifest_missing: bool) -> String {
    let (files, is, them) = if conflicts.len() == 1 {
        ("a file".to_string(), "is", "it")
    } else {
        (format!("{} files", conflicts.len()), "are", "them")
    };
    let in_output = conflicts.iter().any(|c| c.path.root == Root::Output);
    let in_repository = conflicts.iter().any(|c| c.path.root == Root::Repository);
    let place = match (in_output, in_repository) {
        (true, true) => format!("{} and {}", roots.output(), roots.repository()),
        (false, true) => roots.repository().to_string(),
        _ => roots.output().to_string(),
    };
    let mut text = format!(
        "{files} in {place} {is} in the way: stackc will not overwrite or delete {them}; \
         nothing was written:"
    );
    for conflict in conflicts {
        let _ = write!(
            text,
            "\n  {}: {}",
            roots.full(&conflict.path),
            conflict.kind
        );
    }
    if manifest_missing {
        let _ = write!(
            text,
            "\nnote: the manifest {} is missing, so stackc cannot tell the files it \
             generated from anyone else's (it adopts only files holding exactly what it \
             would write)\nhelp: if {} holds nothing but files stackc generated, delete \
             the folder and run the command again; otherwise move your files out of it, \
             or write elsewhere with `--out`",
            roots.full(&super::Manifest::path()),
            roots.output()
        );
        return text;
    }
    let _ = write!(
        text,
        "\nhelp: move {them} out of {place} (or delete {them}) and run the command again"
    );
    if !in_repository {
        text.push_str(", or write elsewhere with `--out`");
    }
    text
}
