//! The command line: parses arguments, runs a command, maps the outcome to
//! an exit code (0 ok, 1 the specs or the artifacts are wrong, 2 usage or I/O).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::compile::{compile, Compilation};
use crate::diagnostic::{render_human, render_json, ColorChoice};

/// The folder, under the workspace root, that `build` writes by default.
pub const DEFAULT_OUT_DIR: &str = "generated";

#[derive(Debug, Parser)]
#[command(name = "stackc", version, about, long_about = None)]
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
    /// Generate the artifacts.
    Build {
        /// The workspace folder (holding a Stackfile) or a Stackfile.
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Output folder (default: `generated/` beside the Stackfile).
        #[arg(long)]
        out: Option<PathBuf>,
    },
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
        Command::Check { path } => {
            let Some(compilation) = front(cli, path) else {
                return 2;
            };
            if compilation.model.is_none() {
                return 1;
            }
            if let Some(model) = &compilation.model {
                println!(
                    "ok: {} components, {} environments, {} files",
                    model.components.len(),
                    model.environments.iter().filter(|e| e.declared).count(),
                    model.sources.len()
                );
            }
            0
        }
        Command::Build { path, out } => {
            let Some(compilation) = front(cli, path) else {
                return 2;
            };
            let Some(model) = &compilation.model else {
                return 1;
            };
            let out = out
                .clone()
                .unwrap_or_else(|| compilation.workspace.root.join(DEFAULT_OUT_DIR));
            let artifacts = crate::emit::emit_all(model);
            if let Err(error) = crate::output::write_all(&artifacts, &out) {
                eprintln!("error: cannot write {}: {error}", out.display());
                return 2;
            }
            println!("wrote {} files to {}", artifacts.len(), out.display());
            0
        }
    }
}

/// Loads and analyses, printing every diagnostic; `None` on an I/O error.
fn front(cli: &Cli, path: &Path) -> Option<Compilation> {
    match compile(path) {
        Ok(compilation) => {
            report(cli, &compilation);
            Some(compilation)
        }
        Err(error) => {
            eprintln!("error: {error}");
            None
        }
    }
}

fn report(cli: &Cli, compilation: &Compilation) {
    let sources = &compilation.workspace.sources;
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
    for diagnostic in compilation.diagnostics.sorted() {
        let text = match cli.message_format {
            MessageFormat::Human => format!("{}\n", render_human(diagnostic, sources, color)),
            MessageFormat::Json => render_json(diagnostic, sources),
        };
        let _ = writeln!(stderr, "{text}");
    }
    let errors = compilation.diagnostics.error_count();
    if errors > 0 && cli.message_format == MessageFormat::Human {
        let _ = writeln!(
            stderr,
            "error: found {errors} error{} in the specs",
            if errors == 1 { "" } else { "s" }
        );
    }
}
