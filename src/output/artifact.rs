//! One file to generate, as the emitters describe it and the output layer
//! writes it: which root it belongs to, its path there, its mode, and how to
//! render its contents. Contents are rendered only when the file is written
//! or compared, one file at a time, so memory never holds the whole tree;
//! an artifact made with [`Artifact::streamed`] is written through as it
//! renders, so memory does not even hold the file.

use std::fmt;
use std::io::{self, Write};

/// The folder an artifact's path is relative to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Root {
    /// The output folder (`generated/` beside the Stackfile unless `--out`).
    Output,
    /// The repository root: the nearest folder above the workspace holding
    /// `.git`, unless overridden. For files other tools read from fixed places
    /// (`.github/workflows/stack.yml`, `.gitlab-ci.yml`).
    Repository,
}

/// The permission bits a generated file is written with. Data the emitter
/// states, never guessed from the contents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileMode {
    /// 0644.
    Regular,
    /// 0755: scripts such as the `stack` task runner.
    Executable,
}

impl FileMode {
    /// The Unix permission bits (0o644 or 0o755).
    pub fn bits(self) -> u32 {
        match self {
            FileMode::Regular => 0o644,
            FileMode::Executable => 0o755,
        }
    }

    /// True for [`FileMode::Executable`].
    pub fn is_executable(self) -> bool {
        self == FileMode::Executable
    }
}

/// Writes an artifact's contents into the writer it is given. Called once
/// per write or comparison (at most twice per build); must be pure: same
/// Model, same bytes. An error of the writer is returned as it came (the
/// output layer stops a comparison early that way); any other failure is a
/// bug in stackc (the emitters panic).
type Render<'m> = Box<dyn Fn(&mut dyn Write) -> io::Result<()> + Send + Sync + 'm>;

/// One generated file. `path` is `/`-separated and relative to `root`; the
/// output layer validates it (see [`super::ArtifactPath`]) before anything
/// is written, so a bad path is an internal error, never a write.
pub struct Artifact<'m> {
    /// The folder `path` is relative to.
    pub root: Root,
    /// `/`-separated, relative to `root` (`compose/test/api.yml`).
    pub path: String,
    /// The permission bits the file is written with.
    pub mode: FileMode,
    render: Render<'m>,
}

impl<'m> Artifact<'m> {
    /// A file whose contents `render` produces, as one string, when it is
    /// written or compared (memory holds that file while it is).
    pub fn new(
        root: Root,
        path: impl Into<String>,
        mode: FileMode,
        render: impl Fn() -> String + Send + Sync + 'm,
    ) -> Artifact<'m> {
        Artifact::streamed(root, path, mode, move |out| {
            out.write_all(render().as_bytes())
        })
    }

    /// A file whose contents `render` writes into the writer it is given,
    /// piece by piece, when it is written or compared: memory holds the
    /// pieces, never the file (for the large ones: the `stack` script).
    /// `render` returns the writer's errors unchanged.
    pub fn streamed(
        root: Root,
        path: impl Into<String>,
        mode: FileMode,
        render: impl Fn(&mut dyn Write) -> io::Result<()> + Send + Sync + 'm,
    ) -> Artifact<'m> {
        Artifact {
            root,
            path: path.into(),
            mode,
            render: Box::new(render),
        }
    }

    /// A file already rendered (small files, tests).
    pub fn rendered(
        root: Root,
        path: impl Into<String>,
        mode: FileMode,
        contents: String,
    ) -> Artifact<'m> {
        Artifact::streamed(root, path, mode, move |out| {
            out.write_all(contents.as_bytes())
        })
    }

    /// The file's contents, as one string: LF line endings, a final
    /// newline. For tests and for the diffs of `build --check`; writing
    /// and comparing use [`Artifact::render_to`].
    pub fn render(&self) -> String {
        let mut bytes = Vec::new();
        // Writing into a `Vec` cannot fail.
        let _ = self.render_to(&mut bytes);
        match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(error) => String::from_utf8_lossy(error.as_bytes()).into_owned(),
        }
    }

    /// Writes the file's contents into `out`, as they render.
    ///
    /// Errors: those of `out`.
    pub fn render_to(&self, out: &mut dyn Write) -> io::Result<()> {
        (self.render)(out)
    }
}

impl fmt::Debug for Artifact<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Artifact")
            .field("root", &self.root)
            .field("path", &self.path)
            .field("mode", &self.mode)
            .finish_non_exhaustive()
    }
}
