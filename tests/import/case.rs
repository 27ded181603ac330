//! One case of the import corpus: a folder `tests/import/corpus/NN-name/`
//! holding Compose or fig files, what they need on disk (build contexts
//! with a `Dockerfile`, secret and config files, bind sources), and
//! `case.txt`, which says what to do with them:
//!
//! ```text
//! # comment lines say what the case exercises
//! import: FILE...      the files given to `stackc import`, in order (required)
//! twin: FILE           a fig file's services in the current format: what
//!                      Compose reads instead of the `import` files
//! var: NAME=VALUE      a variable set for both `docker compose config` runs
//! profiles: *          Compose reads the originals with every profile enabled
//! report: TEXT...      no round trip: the import's output must hold each TEXT
//! ```

use std::path::{Path, PathBuf};

/// A case, as `case.txt` describes it.
#[derive(Debug)]
pub struct Case {
    /// The folder name: `01-webapp-postgres-redis`.
    pub name: String,
    /// The folder in the repository.
    pub dir: PathBuf,
    /// Files given to `stackc import`, relative to `dir`.
    pub import: Vec<String>,
    /// Files Compose reads, each on its own (a twin replaces the fig files).
    pub originals: Vec<String>,
    /// `NAME=VALUE` pairs for Compose's interpolation.
    pub vars: Vec<(String, String)>,
    /// `--profile *` on the originals.
    pub all_profiles: bool,
    /// Texts the import must print instead of a round trip.
    pub report: Vec<String>,
}

impl Case {
    /// Every case of the corpus, sorted by folder name.
    pub fn all() -> Vec<Case> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/import/corpus");
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", root.display()))
            .map(|entry| entry.expect("readable folder").path())
            .filter(|path| path.is_dir())
            .collect();
        dirs.sort();
        let cases: Vec<Case> = dirs.into_iter().map(Case::read).collect();
        // The issue asks for a corpus of at least 25 files: never a vacuous pass.
        assert!(cases.len() >= 25, "only {} corpus cases", cases.len());
        cases
    }

    fn read(dir: PathBuf) -> Case {
        let name = dir
            .file_name()
            .expect("a folder name")
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(dir.join("case.txt"))
            .unwrap_or_else(|e| panic!("{name}: cannot read case.txt: {e}"));
        let mut case = Case {
            name,
            dir,
            import: Vec::new(),
            originals: Vec::new(),
            vars: Vec::new(),
            all_profiles: false,
            report: Vec::new(),
        };
        let mut twin = None;
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (key, value) = line
                .split_once(':')
                .unwrap_or_else(|| panic!("{}: case.txt: no `key:` in {line:?}", case.name));
            let value = value.trim();
            match key {
                "import" => case
                    .import
                    .extend(value.split_whitespace().map(str::to_owned)),
                "twin" => twin = Some(value.to_owned()),
                "var" => {
                    let (name, value) = value.split_once('=').unwrap_or_else(|| {
                        panic!("{}: case.txt: `var: NAME=VALUE`, got {value:?}", case.name)
                    });
                    case.vars.push((name.to_owned(), value.to_owned()));
                }
                "profiles" => {
                    assert_eq!(value, "*", "{}: only `profiles: *` is read", case.name);
                    case.all_profiles = true;
                }
                "report" => case
                    .report
                    .extend(value.split_whitespace().map(str::to_owned)),
                _ => panic!("{}: case.txt: unknown key {key:?}", case.name),
            }
        }
        assert!(
            !case.import.is_empty(),
            "{}: case.txt names no `import:` file",
            case.name
        );
        for file in case.import.iter().chain(&twin) {
            assert!(
                case.dir.join(file).is_file(),
                "{}: {file} does not exist",
                case.name
            );
        }
        let fig = case.import.iter().any(|f| is_fig(f));
        assert_eq!(
            fig,
            twin.is_some(),
            "{}: a fig file needs a `twin:` in the current format, and only a fig file has one",
            case.name
        );
        case.originals = match twin {
            Some(twin) => vec![twin],
            None => case.import.clone(),
        };
        case
    }

    /// Whether the import is expected to be reported, not round-tripped.
    pub fn is_report(&self) -> bool {
        !self.report.is_empty()
    }
}

/// A fig file (`fig.yml`, `fig.yaml`, `*/fig.yml`): the 2014 format,
/// which current Compose no longer reads.
pub fn is_fig(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path);
    file == "fig.yml" || file == "fig.yaml"
}

/// Copies `from` into `to` (created), files and folders only.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create the copy's folder");
    for entry in std::fs::read_dir(from).expect("readable folder") {
        let entry = entry.expect("readable entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}
