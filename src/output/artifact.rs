//! One file to generate, as the emitters describe it and the output layer
//! writes it: which root it belongs to, its path there, its mode, and how to
//! render its contents. Contents are rendered only when the file is written
//! or compared, one file at a time, so memory never holds the whole tree.

use std::fmt;

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

/// Renders an artifact's contents. Called once per write or comparison (at
/// most twice per build); must be pure: same Model, same bytes.
type Render<'m> = Box<dyn Fn() -> String + Send + Sync + 'm>;

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
    /// A file whose contents `render` produces when it is written or compared.
    pub fn new(
        root: Root,
        path: impl Into<String>,
        mode: FileMode,
        render: impl Fn() -> String + Send + Sync + 'm,
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
        Artifact::new(root, path, mode, move || contents.clone())
    }

    /// The file's contents: LF line endings, a final newline.
    pub fn render(&self) -> String {
        (self.render)()
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
