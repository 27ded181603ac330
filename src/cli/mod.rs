//! The command line: parses arguments, runs a command, maps the outcome to
//! an exit code (0 ok, 1 the specs or the artifacts are wrong, 2 usage or I/O).

use std::io::{IsTerminal, Write};
use std::mem::ManuallyDrop;
use std::process::ExitCode;

use camino::{Utf8Path, Utf8PathBuf};
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

mod affected;
mod build;
mod fmt;
mod import;
mod paths;
mod usage;

use crate::compile::{compile, Compilation};
use crate::diagnostic::{render_human, render_json, ColorChoice, Diagnostic, Diagnostics};
use crate::diagram::DiagramFormat;
use crate::source::SourceMap;
use affected::AffectedArgs;
pub use affected::AffectedFormat;
use paths::{display_sources, BuildArgs};

/// The folder, under the workspace root, that `build` writes by default.
pub const DEFAULT_OUT_DIR: &str = "generated";

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  the specs are wrong, the generated files are out of date (build --check, diff),
     the specs are not formatted (fmt --check), or the Compose files have an error
     (import; with --strict, any report), or the imported workspace does not pass
     check (import: written, its errors printed)
  2  usage or I/O error, or build refused to overwrite or delete a file it did not
     generate, or import found a file it would write already there (nothing is
     written then), or git failed or cannot resolve a revision (affected)";

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
        #[arg(default_value = ".", value_parser = non_empty_path)]
        path: Utf8PathBuf,
    },
    /// Generate the artifacts (or, with --check, compare them with the committed ones).
    Build {
        /// The workspace folder (holding a Stackfile) or a Stackfile.
        #[arg(default_value = ".", value_parser = non_empty_path)]
        path: Utf8PathBuf,
        /// Output folder (default: `generated/` beside the Stackfile). Not the
        /// workspace or repository root, nor inside `.git`.
        #[arg(long, value_name = "DIR", value_parser = non_empty_path)]
        out: Option<Utf8PathBuf>,
        /// Where files other tools read from the repository root go (the CI
        /// files of `ci { }`): an existing folder holding the workspace.
        /// Default: the spec's `ci { repository_root }`, else the nearest
        /// folder above the workspace holding `.git`, else the workspace.
        #[arg(long, value_name = "DIR", value_parser = non_empty_path)]
        repository_root: Option<Utf8PathBuf>,
        /// Write nothing: show how the files on disk differ from what the
        /// specs produce, and exit 1 if they do.
        #[arg(long)]
        check: bool,
    },
    /// Show how the generated files on disk differ from the specs (`build --check`).
    Diff {
        /// The workspace folder (holding a Stackfile) or a Stackfile.
        #[arg(default_value = ".", value_parser = non_empty_path)]
        path: Utf8PathBuf,
        /// Output folder (default: `generated/` beside the Stackfile). Not the
        /// workspace or repository root, nor inside `.git`.
        #[arg(long, value_name = "DIR", value_parser = non_empty_path)]
        out: Option<Utf8PathBuf>,
        /// Where the CI files go (see `build`).
        #[arg(long, value_name = "DIR", value_parser = non_empty_path)]
        repository_root: Option<Utf8PathBuf>,
    },
    /// Rewrite spec files in the canonical layout, keeping comments.
    Fmt {
        /// Write nothing: show the changes as a diff, and exit 1 if there are any.
        #[arg(long)]
        check: bool,
        /// Workspace folders (every file the Stackfile includes) or single spec files.
        #[arg(default_value = ".", value_parser = non_empty_path)]
        paths: Vec<Utf8PathBuf>,
    },
    /// Print the components a change touches, with every component that
    /// depends on them, in dependency order (what CI jobs run).
    Affected {
        /// The workspace folder (holding a Stackfile) or a Stackfile.
        #[arg(default_value = ".", value_parser = non_empty_path)]
        path: Utf8PathBuf,
        /// The commit, branch or tag the change starts from. Empty or the
        /// null commit (40 zeros, as CI systems give for a new branch):
        /// every component.
        #[arg(long, value_name = "REF")]
        since: String,
        /// The commit the change ends at (default: the working tree,
        /// untracked files included).
        #[arg(long, value_name = "REF")]
        head: Option<String>,
        /// How to print the components (default: lines).
        #[arg(long, value_enum, value_name = "FORMAT")]
        format: Option<AffectedFormat>,
        /// The same as `--format json`.
        #[arg(long, conflicts_with = "format")]
        json: bool,
        /// When git cannot resolve --since (a shallow clone), take every
        /// component, with a warning, instead of failing.
        #[arg(long)]
        all_if_unknown: bool,
    },
    /// Turn Compose files (fig.yml, version 2 and 3, the Compose
    /// specification) into a workspace: a Stackfile and one file per
    /// component. What cannot be carried is reported at its key.
    Import {
        /// The folder the workspace is written to (default: the folder of
        /// the first FILE). It must not hold a Stackfile or any file the
        /// import writes.
        #[arg(long, value_name = "DIR", value_parser = non_empty_path)]
        into: Option<Utf8PathBuf>,
        /// Make any report an error: exit 1 and write nothing.
        #[arg(long)]
        strict: bool,
        /// The Compose files; a service in several of them is imported once.
        #[arg(required = true, value_name = "FILE", value_parser = non_empty_path)]
        files: Vec<Utf8PathBuf>,
    },
    /// Print the dependency graph (Graphviz DOT or Mermaid).
    Graph {
        /// The workspace folder (holding a Stackfile) or a Stackfile.
        #[arg(default_value = ".", value_parser = non_empty_path)]
        path: Utf8PathBuf,
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

/// A path argument: any non-empty path (an empty one names no folder, and
/// would silently mean the current one).
fn non_empty_path(value: &str) -> Result<Utf8PathBuf, String> {
    if value.is_empty() {
        Err("the path is empty, and names no folder or file".into())
    } else {
        Ok(Utf8PathBuf::from(value))
    }
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
        Err(mut error) => {
            usage::explain_foreign_option(&mut error, &Cli::command());
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
        Command::Build {
            path,
            out,
            repository_root,
            check,
        } => build::build(cli, build_args(path, out, repository_root), *check),
        Command::Diff {
            path,
            out,
            repository_root,
        } => build::build(cli, build_args(path, out, repository_root), true),
        Command::Fmt { check, paths } => fmt::fmt(cli, paths, *check),
        Command::Affected {
            path,
            since,
            head,
            format,
            json,
            all_if_unknown,
        } => affected::affected(
            cli,
            AffectedArgs {
                path,
                since,
                head: head.as_deref(),
                format: match (json, format) {
                    (true, _) => AffectedFormat::Json,
                    (false, Some(format)) => *format,
                    (false, None) => AffectedFormat::Lines,
                },
                all_if_unknown: *all_if_unknown,
            },
        ),
        Command::Import {
            into,
            strict,
            files,
        } => import::import(cli, files, into.as_deref(), *strict),
        Command::Graph { path, format } => graph(cli, path, *format),
        Command::Completions { shell } => completions(*shell),
        Command::Man => man(),
    }
}

fn build_args<'a>(
    path: &'a Utf8Path,
    out: &'a Option<Utf8PathBuf>,
    repository_root: &'a Option<Utf8PathBuf>,
) -> BuildArgs<'a> {
    BuildArgs {
        path,
        out: out.as_deref(),
        repository_root: repository_root.as_deref(),
    }
}

fn check(cli: &Cli, path: &Utf8Path) -> u8 {
    let Some(checked) = loaded(cli, path, crate::compile::check, |c| {
        (&c.workspace, &c.diagnostics)
    }) else {
        return 2;
    };
    let Some(summary) = checked.summary else {
        return 1;
    };
    let count = |n: usize, what: &str| format!("{n} {what}{}", plural(n));
    say(&format!(
        "ok: {}, {}, {}\n",
        count(summary.components, "component"),
        count(summary.environments, "environment"),
        count(summary.files, "file")
    ));
    0
}

fn graph(cli: &Cli, path: &Utf8Path, format: GraphFormat) -> u8 {
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

/// Loads and analyses, printing every diagnostic; `None` on an I/O error.
fn front(cli: &Cli, path: &Utf8Path) -> Option<ManuallyDrop<Compilation>> {
    loaded(cli, path, compile, |c| (&c.workspace, &c.diagnostics))
}

/// `run` on the workspace at `path` (which must exist), printing every
/// diagnostic of its result (`parts` finds them); `None` on an I/O error.
///
/// The result is never dropped: the process ends soon after, and freeing a
/// large workspace's syntax trees and model one allocation at a time took
/// several percent of `check` (docs/performance.md).
fn loaded<T>(
    cli: &Cli,
    path: &Utf8Path,
    run: fn(&std::path::Path) -> Result<T, crate::load::LoadError>,
    parts: fn(&T) -> (&crate::load::Workspace, &Diagnostics),
) -> Option<ManuallyDrop<T>> {
    if let Err(message) = must_exist(path) {
        eprintln!("error: {message}");
        return None;
    }
    match run(path.as_std_path()) {
        Ok(result) => {
            let (workspace, diagnostics) = parts(&result);
            report(cli, &display_sources(workspace), diagnostics);
            Some(ManuallyDrop::new(result))
        }
        Err(error) => {
            eprintln!("error: {error}");
            None
        }
    }
}

/// Refuses a path that does not exist, before it is taken for a workspace
/// without a Stackfile.
fn must_exist(path: &Utf8Path) -> Result<(), String> {
    match path.try_exists() {
        Ok(true) => Ok(()),
        Ok(false) => Err(format!("{path} does not exist")),
        Err(error) => Err(format!("cannot read {path}: {error}")),
    }
}

fn report(cli: &Cli, sources: &SourceMap, diagnostics: &Diagnostics) {
    report_about(cli, sources, diagnostics, "the specs");
}

/// Prints every diagnostic, then (human format) how many errors were found
/// in `what` (`the specs`, `the Compose files`).
fn report_about(cli: &Cli, sources: &SourceMap, diagnostics: &Diagnostics, what: &str) {
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
    // Standard error is unbuffered: thousands of diagnostics were thousands
    // of writes. Buffered, they go out in large writes, flushed at the end.
    let mut stderr = std::io::BufWriter::with_capacity(64 * 1024, std::io::stderr().lock());
    for diagnostic in diagnostics.sorted() {
        let _ = write_diagnostic(&mut stderr, cli, diagnostic, sources, color);
    }
    let errors = diagnostics.error_count();
    if errors > 0 && cli.message_format == MessageFormat::Human {
        let _ = writeln!(
            stderr,
            "error: found {errors} error{} in {what}",
            plural(errors)
        );
    }
    let _ = stderr.flush();
}

/// Writes one diagnostic in the chosen format, and the line that ends it.
fn write_diagnostic(
    out: &mut impl Write,
    cli: &Cli,
    diagnostic: &Diagnostic,
    sources: &SourceMap,
    color: ColorChoice,
) -> std::io::Result<()> {
    match cli.message_format {
        MessageFormat::Human => {
            out.write_all(render_human(diagnostic, sources, color).as_bytes())?;
            out.write_all(b"\n\n")
        }
        MessageFormat::Json => {
            out.write_all(render_json(diagnostic, sources).as_bytes())?;
            out.write_all(b"\n")
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
