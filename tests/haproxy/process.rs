//! A running HAProxy, killed by its pid when dropped.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::tools;

/// How long HAProxy may take to start listening; generous, for a slow
/// shared machine.
const START_DEADLINE: Duration = Duration::from_secs(30);

/// An HAProxy started on one configuration, with only the given variables
/// in its environment (and PATH).
pub struct Haproxy {
    child: Child,
    log: PathBuf,
}

impl Haproxy {
    /// Starts `haproxy -db -f config` and waits until `ready` holds (bounded).
    /// Its output goes to `log`.
    pub fn start(
        config: &Path,
        vars: &[(String, String)],
        log: &Path,
        ready: impl Fn() -> bool,
    ) -> Haproxy {
        let out = File::create(log).expect("log file");
        let err = out.try_clone().expect("log file");
        let child = Command::new(tools::haproxy())
            .arg("-db")
            .arg("-f")
            .arg(config)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .envs(vars.iter().map(|(n, v)| (n, v)))
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .expect("haproxy starts");
        let mut haproxy = Haproxy {
            child,
            log: log.to_path_buf(),
        };
        let deadline = Instant::now() + START_DEADLINE;
        while !ready() {
            if let Ok(Some(status)) = haproxy.child.try_wait() {
                panic!("haproxy exited ({status}):\n{}", haproxy.log());
            }
            assert!(
                Instant::now() < deadline,
                "haproxy not ready within {START_DEADLINE:?}:\n{}",
                haproxy.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        haproxy
    }

    /// What HAProxy has printed so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Kills it (by pid) and waits for it to exit.
    pub fn stop(mut self) {
        self.kill();
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Haproxy {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Polls `condition` every 100 ms until it holds or `within` has passed.
pub fn eventually(within: Duration, condition: impl Fn() -> bool) -> bool {
    let deadline = Instant::now() + within;
    loop {
        if condition() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}
