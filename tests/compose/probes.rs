//! Health probes run in minimal images: each is run here by busybox's `sh`
//! with a PATH holding only what such an image has, against a real server.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use stackc::emit::compose::Healthcheck;
use stackc::model::{Health, HealthCheck, Port};

use crate::tools;

/// A folder of executables: `name → target` symlinks.
fn image(programs: &[(&str, &Path)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, target) in programs {
        std::os::unix::fs::symlink(target, dir.path().join(name)).expect("symlink");
    }
    dir
}

/// Answers `GET /health...` with 200 and anything else with 500, forever.
fn http_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let _ = answer(stream);
        }
    });
    port
}

fn answer(mut stream: TcpStream) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    let mut header = String::new();
    while reader.read_line(&mut header)? > 2 {
        header.clear();
    }
    let status = if request.starts_with("GET /health") {
        "200 OK"
    } else {
        "500 Internal Server Error"
    };
    write!(
        stream,
        "HTTP/1.0 {status}\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
    )
}

/// A port nothing listens on (bound, then released).
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("address").port()
}

/// Runs the healthcheck's `CMD-SHELL` command the way Compose and Docker
/// would (`$$` unescaped, `/bin/sh -c`), with `bin` as the only PATH.
fn probe_passes(check: HealthCheck, bin: &Path) -> bool {
    let health = Health {
        check,
        interval_ms: 2_000,
        timeout_ms: 10_000,
    };
    let healthcheck = Healthcheck::from_health(&health);
    assert_eq!(healthcheck.test[0], "CMD-SHELL");
    let command = healthcheck.test[1].replace("$$", "$");
    let mut child = Command::new(bin.join("sh"))
        .arg("-c")
        .arg(&command)
        .env_clear()
        .env("PATH", bin)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("sh runs");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status.success();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("probe hung: {command}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn port(container: u16) -> Port {
    Port::tcp("http", container, None)
}

fn http(path: &str, container: u16) -> HealthCheck {
    HealthCheck::Http {
        path: path.into(),
        port: port(container),
    }
}

fn tcp(container: u16) -> HealthCheck {
    HealthCheck::Tcp {
        port: port(container),
    }
}

#[test]
fn http_probe_with_busybox_wget() {
    let busybox = tools::busybox();
    let bin = image(&[("sh", &busybox), ("wget", &busybox)]);
    let up = http_server();
    assert!(probe_passes(http("/health?a=1&b='x'&c=$5", up), bin.path()));
    assert!(!probe_passes(http("/broken", up), bin.path()));
    assert!(!probe_passes(http("/health", closed_port()), bin.path()));
}

#[test]
fn http_probe_falls_back_to_curl() {
    let busybox = tools::busybox();
    let curl: PathBuf = tools::host_program("curl");
    let bin = image(&[("sh", &busybox), ("curl", &curl)]);
    let up = http_server();
    assert!(probe_passes(http("/health", up), bin.path()));
    assert!(!probe_passes(http("/broken", up), bin.path()));
    assert!(!probe_passes(http("/health", closed_port()), bin.path()));
}

#[test]
fn tcp_probe_with_busybox_only() {
    // Debian's busybox `nc` has no `-z`, and there is no bash: the probe
    // must fall through to /proc/net/tcp.
    let busybox = tools::busybox();
    let bin = image(&[("sh", &busybox), ("nc", &busybox), ("grep", &busybox)]);
    let up = http_server();
    assert!(probe_passes(tcp(up), bin.path()));
    assert!(!probe_passes(tcp(closed_port()), bin.path()));
}

#[test]
fn tcp_probe_falls_back_to_bash() {
    let busybox = tools::busybox();
    let bash = tools::host_program("bash");
    let bin = image(&[("sh", &busybox), ("bash", &bash)]);
    let up = http_server();
    assert!(probe_passes(tcp(up), bin.path()));
    assert!(!probe_passes(tcp(closed_port()), bin.path()));
}

#[test]
fn command_probe_runs_in_the_shell() {
    let busybox = tools::busybox();
    let bin = image(&[("sh", &busybox)]);
    let command = |c: &str| HealthCheck::Command { command: c.into() };
    assert!(probe_passes(
        command("test \"$(echo ok)\" = ok"),
        bin.path()
    ));
    assert!(!probe_passes(command("exit 3"), bin.path()));
}
