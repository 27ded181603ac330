//! The command line: parses arguments, runs a command, maps the outcome to
//! an exit code (0 ok, 1 the specs or the artifacts are wrong, 2 usage or I/O).

use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use crate::compile::{compile, Compilation};
use crate::diagnostic::{render_human, render_json, ColorChoice, Diagnostic, Diagnostics};
use crate::diagram::DiagramFormat;
use crate::format::{format_verified, is_formatted};
use crate::load::{load, Workspace};
use crate::source::SourceMap;
use crate::syntax::parse;

/// The folder, under the workspace root, that `build` writes by default.
pub const DEFAULT_OUT_DIR: &str = "generated";

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  the specs are wrong, the generated files are out of date (build --check, diff),
     or the specs are not formatted (fmt --check)
  2  usage or I/O error, or build refused to overwrite or delete a file it did not
     generate (nothing is written then)";

#[derive(Debug, Parser)]
#[command(name = "stackc", version, about, long_about = None, after_help = EXIT_CODES)]
pub struct Cli {
    /// How diagnostics are printed.
    #[arg(long, global = true, value_enum, default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
    /// When to color diagnostics (`auto` honours NO_COLOR and terminals).
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check that the specs are valid; write nothing.
    Check {
        /// The workspace folder (holding a Stackfile) or a Stackfile.
        #[arg(default_value = ".")]
        path: PathBuf,
    },
    /// Generate the artifacts (or, with --check, compare them with the committed ones).
    Build {
        /// The workspace folder (holding a Stackfile) or a Stackfile.
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Output folder (default: `generated/` beside the Stackfile).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Write nothing: show how the files on disk differ from what the
        /// specs produce, and exit 1 if they do.
        #[arg(long)]
        check: bool,
    },
    /// Show how the generated files on disk differ from the specs (`build --check`).
    Diff {
        /// The workspace folder (holding a Stackfile) or a Stackfile.
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Output folder (default: `generated/` beside the Stackfile).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Rewrite spec files in the canonical layout, keeping comments.
    Fmt {
        /// Write nothing: show the changes as a diff, and exit 1 if there are any.
        #[arg(long)]
        check: bool,
        /// Workspace folders (every file the Stackfile includes) or single spec files.
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
    },
    /// Print the dependency graph (Graphviz DOT or Mermaid).
    Graph {
        /// The workspace folder (holding a Stackfile) or a Stackfile.
        #[arg(default_value = ".")]
        path: PathBuf,
        #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
        format: GraphFormat,
    },
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: CompletionShell,
    },
    /// Print the manual page (roff).
    Man,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// Graphviz: `stackc graph | dot -Tsvg -o graph.svg`.
    Dot,
    /// Mermaid, rendered by GitHub and GitLab inside Markdown.
    Mermaid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompletionShell {
    Bash,
    Zsh,
    Fish,
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    ExitCode::from(run(&cli))
}

/// Runs a parsed command and returns its exit code.
pub fn run(cli: &Cli) -> u8 {
    match &cli.command {
        Command::Check { path } => check(cli, path),
        Command::Build { path, out, check } => build(cli, path, out.as_deref(), *check),
        Command::Diff { path, out } => build(cli, path, out.as_deref(), true),
        Command::Fmt { check, paths } => fmt(cli, paths, *check),
        Command::Graph { path, format } => graph(cli, path, *format),
        Command::Completions { shell } => completions(*shell),
        Command::Man => man(),
    }
}

fn check(cli: &Cli, path: &Path) -> u8 {
    let Some(compilation) = front(cli, path) else {
        return 2;
    };
    let Some(model) = &compilation.model else {
        return 1;
    };
    let count = |n: usize, what: &str| format!("{n} {what}{}", plural(n));
    say(&format!(
        "ok: {}, {}, {}\n",
        count(model.components.len(), "component"),
        count(model.environments.len(), "environment"),
        count(model.sources.len(), "file")
    ));
    0
}

fn build(cli: &Cli, path: &Path, out: Option<&Path>, check: bool) -> u8 {
    let Some(compilation) = front(cli, path) else {
        return 2;
    };
    let Some(model) = &compilation.model else {
        return 1;
    };
    let out_dir = out.map_or_else(
        || shown(&compilation.workspace.root.join(DEFAULT_OUT_DIR)),
        Path::to_path_buf,
    );
    let root_from_output = relative_dir(&out_dir, &compilation.workspace.root);
    let artifacts = crate::emit::emit_all_to(model, &root_from_output);
    if !check {
        return match crate::output::write_all(&artifacts, &out_dir) {
            Ok(report) => {
                say(&format!("wrote {}: {report}\n", out_dir.display()));
                0
            }
            Err(error) => {
                eprintln!("error: {error}");
                2
            }
        };
    }
    match crate::output::check_all(&artifacts, &out_dir) {
        Ok(report) if report.is_clean() => {
            say(&format!(
                "ok: the {} generated files in {} are up to date\n",
                report.up_to_date,
                out_dir.display()
            ));
            0
        }
        Ok(report) => {
            say(&report.render(&out_dir));
            let count = report.differences();
            eprintln!(
                "error: {count} generated file{} in {} differ{} from what the specs produce",
                plural(count),
                out_dir.display(),
                if count == 1 { "s" } else { "" }
            );
            eprintln!(
                "help: regenerate with `{}` and commit the result",
                regenerate_command(path, out)
            );
            1
        }
        Err(error) => {
            eprintln!("error: {error}");
            2
        }
    }
}

fn graph(cli: &Cli, path: &Path, format: GraphFormat) -> u8 {
    let Some(compilation) = front(cli, path) else {
        return 2;
    };
    let Some(model) = &compilation.model else {
        return 1;
    };
    let format = match format {
        GraphFormat::Dot => DiagramFormat::Dot,
        GraphFormat::Mermaid => DiagramFormat::Mermaid,
    };
    say(&crate::diagram::render(model, format));
    0
}

fn completions(shell: CompletionShell) -> u8 {
    let shell = match shell {
        CompletionShell::Bash => clap_complete::Shell::Bash,
        CompletionShell::Zsh => clap_complete::Shell::Zsh,
        CompletionShell::Fish => clap_complete::Shell::Fish,
    };
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "stackc", &mut script);
    say(&String::from_utf8_lossy(&script));
    0
}

fn man() -> u8 {
    let mut page = Vec::new();
    if let Err(error) = clap_mangen::Man::new(Cli::command()).render(&mut page) {
        eprintln!("error: cannot render the manual page: {error}");
        return 2;
    }
    say(&String::from_utf8_lossy(&page));
    0
}

/// Prints to standard output. A closed pipe (`stackc graph | head`) is not
/// an error worth a panic: the reader has what it wanted.
fn say(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
}

/// One spec file for `fmt`.
struct SpecFile {
    shown: String,
    absolute: PathBuf,
    text: String,
    document: crate::syntax::ast::Document,
}

fn fmt(cli: &Cli, paths: &[PathBuf], check: bool) -> u8 {
    let mut files: Vec<SpecFile> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut errors = false;
    for path in paths {
        let found = if path.is_dir() {
            workspace_files(cli, path)
        } else {
            single_file(cli, path)
        };
        let Some((found, had_errors)) = found else {
            return 2;
        };
        errors |= had_errors;
        for file in found {
            let key = file
                .absolute
                .canonicalize()
                .unwrap_or(file.absolute.clone());
            if seen.insert(key) {
                files.push(file);
            }
        }
    }

    let mut changed = Vec::new();
    for file in &files {
        let Some(formatted) = format_verified(&file.text, &file.document) else {
            eprintln!(
                "error: internal error: formatting {} would change what it means; nothing was written (please report this with the file)",
                file.shown
            );
            return 2;
        };
        if is_formatted(&file.text, &formatted) {
            continue;
        }
        if check {
            let current = file.text.replace("\r\n", "\n");
            let diff = similar::TextDiff::from_lines(&current, &formatted);
            say(&diff
                .unified_diff()
                .context_radius(3)
                .header(
                    &format!("{} (current)", file.shown),
                    &format!("{} (formatted)", file.shown),
                )
                .to_string());
        } else if let Err(error) = crate::output::replace_file(&file.absolute, &formatted) {
            eprintln!("error: cannot write {}: {error}", file.shown);
            return 2;
        } else {
            say(&format!("formatted {}\n", file.shown));
        }
        changed.push(file.shown.clone());
    }
    if check && !changed.is_empty() {
        eprintln!(
            "error: {} spec file{} not formatted",
            changed.len(),
            if changed.len() == 1 { " is" } else { "s are" }
        );
        let args: Vec<String> = paths
            .iter()
            .map(|p| shell_word(&p.to_string_lossy()))
            .collect();
        let args = if args == ["."] {
            String::new()
        } else {
            format!(" {}", args.join(" "))
        };
        eprintln!("help: format them with `stackc fmt{args}`");
    }
    if errors || (check && !changed.is_empty()) {
        1
    } else {
        0
    }
}

/// Every file of the workspace at `path` that parses, and whether any did not.
fn workspace_files(cli: &Cli, path: &Path) -> Option<(Vec<SpecFile>, bool)> {
    let (workspace, diagnostics) = match load(path) {
        Ok(loaded) => loaded,
        Err(error) => {
            eprintln!("error: {error}");
            return None;
        }
    };
    let sources = display_sources(&workspace);
    report(cli, &sources, &diagnostics);
    let files = workspace
        .documents
        .into_iter()
        .filter_map(|(id, document)| {
            let source = workspace.sources.get(id)?;
            Some(SpecFile {
                shown: sources.get(id)?.path.clone(),
                absolute: source.absolute.clone(),
                text: source.text.clone(),
                document,
            })
        })
        .collect();
    Some((files, diagnostics.has_errors()))
}

/// One spec file on its own (its includes are not followed).
fn single_file(cli: &Cli, path: &Path) -> Option<(Vec<SpecFile>, bool)> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("error: cannot read {}: {error}", path.display());
            return None;
        }
    };
    let shown = path.to_string_lossy().into_owned();
    let Ok(text) = String::from_utf8(bytes) else {
        eprintln!("error: {shown} is not valid UTF-8");
        return Some((Vec::new(), true));
    };
    let mut sources = SourceMap::new();
    let id = sources.add(shown.clone(), path.to_path_buf(), text.clone());
    match parse(id, &text) {
        Ok(document) => Some((
            vec![SpecFile {
                shown,
                absolute: path.to_path_buf(),
                text,
                document,
            }],
            false,
        )),
        Err(diagnostic) => {
            let mut diagnostics = Diagnostics::new();
            diagnostics.push(diagnostic);
            report(cli, &sources, &diagnostics);
            Some((Vec::new(), true))
        }
    }
}

/// Loads and analyses, printing every diagnostic; `None` on an I/O error.
fn front(cli: &Cli, path: &Path) -> Option<Compilation> {
    match compile(path) {
        Ok(compilation) => {
            let sources = display_sources(&compilation.workspace);
            report(cli, &sources, &compilation.diagnostics);
            Some(compilation)
        }
        Err(error) => {
            eprintln!("error: {error}");
            None
        }
    }
}

fn report(cli: &Cli, sources: &SourceMap, diagnostics: &Diagnostics) {
    let color = match cli.color {
        Color::Always => ColorChoice::Always,
        Color::Never => ColorChoice::Never,
        Color::Auto => {
            if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
                || !std::io::stderr().is_terminal()
            {
                ColorChoice::Never
            } else {
                ColorChoice::Always
            }
        }
    };
    let mut stderr = std::io::stderr().lock();
    for diagnostic in diagnostics.sorted() {
        let text = render(cli, diagnostic, sources, color);
        let _ = writeln!(stderr, "{text}");
    }
    let errors = diagnostics.error_count();
    if errors > 0 && cli.message_format == MessageFormat::Human {
        let _ = writeln!(
            stderr,
            "error: found {errors} error{} in the specs",
            plural(errors)
        );
    }
}

fn render(cli: &Cli, diagnostic: &Diagnostic, sources: &SourceMap, color: ColorChoice) -> String {
    match cli.message_format {
        MessageFormat::Human => format!("{}\n", render_human(diagnostic, sources, color)),
        MessageFormat::Json => render_json(diagnostic, sources),
    }
}

/// The workspace's files named relative to the current folder when the
/// workspace is below it (`infra/services/api.stack:3:5`), so editors and
/// pre-commit output can jump to them; otherwise relative to the workspace.
fn display_sources(workspace: &Workspace) -> SourceMap {
    let prefix = shown(&workspace.root);
    let prefix = if prefix.is_absolute() || prefix == Path::new(".") {
        String::new()
    } else {
        let parts: Vec<String> = prefix
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        format!("{}/", parts.join("/"))
    };
    let mut map = SourceMap::new();
    for (_, file) in workspace.sources.files() {
        map.add(
            format!("{prefix}{}", file.path),
            file.absolute.clone(),
            file.text.clone(),
        );
    }
    map
}

/// `path` relative to the current folder when it is below it.
fn shown(path: &Path) -> PathBuf {
    let Some(cwd) = std::env::current_dir()
        .ok()
        .map(|cwd| cwd.canonicalize().unwrap_or(cwd))
    else {
        return path.to_path_buf();
    };
    match path.strip_prefix(&cwd) {
        Ok(relative) if relative.as_os_str().is_empty() => PathBuf::from("."),
        Ok(relative) => relative.to_path_buf(),
        Err(_) => path.to_path_buf(),
    }
}

/// The command that regenerates the files, with the arguments given.
fn regenerate_command(path: &Path, out: Option<&Path>) -> String {
    let mut command = String::from("stackc build");
    if path != Path::new(".") {
        command.push(' ');
        command.push_str(&shell_word(&path.to_string_lossy()));
    }
    if let Some(out) = out {
        command.push_str(" --out ");
        command.push_str(&shell_word(&out.to_string_lossy()));
    }
    command
}

/// A word the shell reads back as is.
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./-+=:@%,".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// `to` as seen from `from` (both folders), `/`-separated: what build
/// contexts in generated files are written against. Relative, so output
/// never holds an absolute path.
fn relative_dir(from: &Path, to: &Path) -> String {
    let absolute = |p: &Path| {
        let joined = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        // Resolve symlinks in the part that exists, so both sides compare alike.
        let mut existing = joined.clone();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (
                existing.file_name().map(|n| n.to_os_string()),
                existing.parent(),
            ) {
                (Some(name), Some(parent)) => {
                    rest.push(name);
                    existing = parent.to_path_buf();
                }
                _ => break,
            }
        }
        let mut resolved = existing.canonicalize().unwrap_or(existing);
        for name in rest.into_iter().rev() {
            resolved.push(name);
        }
        let mut normal = PathBuf::new();
        for part in resolved.components() {
            match part {
                std::path::Component::ParentDir => {
                    normal.pop();
                }
                std::path::Component::CurDir => {}
                other => normal.push(other.as_os_str()),
            }
        }
        normal
    };
    let (from, to) = (absolute(from), absolute(to));
    let from_parts: Vec<_> = from.components().collect();
    let to_parts: Vec<_> = to.components().collect();
    let common = from_parts
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<String> = vec!["..".to_string(); from_parts.len().saturating_sub(common)];
    parts.extend(
        to_parts
            .iter()
            .skip(common)
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_dirs() {
        assert_eq!(
            relative_dir(Path::new("/w/generated"), Path::new("/w")),
            ".."
        );
        assert_eq!(relative_dir(Path::new("/w/a/b"), Path::new("/w")), "../..");
        assert_eq!(relative_dir(Path::new("/out"), Path::new("/w")), "../w");
        assert_eq!(relative_dir(Path::new("/w"), Path::new("/w")), ".");
    }

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn regenerate_command_quotes_what_needs_it() {
        assert_eq!(regenerate_command(Path::new("."), None), "stackc build");
        assert_eq!(
            regenerate_command(Path::new("my stack"), Some(Path::new("out/it's"))),
            "stackc build 'my stack' --out 'out/it'\\''s'"
        );
    }
}
