//! The HAProxy binary, free loopback ports, and the two ways the tests talk
//! to HAProxy: HTTP and the runtime API.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

const INSTALL: &str =
    "run `scripts/install-tools` (it installs Debian's haproxy 2.6 and socat with apt-get)";

/// How long one request or runtime API command may take.
const IO_TIMEOUT: Duration = Duration::from_secs(20);

/// HAProxy 2.6: `haproxy` on PATH, else Debian's `/usr/sbin/haproxy`.
pub fn haproxy() -> PathBuf {
    let on_path = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join("haproxy"))
            .find(|p| p.is_file())
    });
    let found = on_path
        .or_else(|| Some(PathBuf::from("/usr/sbin/haproxy")).filter(|p| p.is_file()))
        .unwrap_or_else(|| panic!("haproxy not found on PATH nor in /usr/sbin; {INSTALL}"));
    let version = std::process::Command::new(&found)
        .arg("-v")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}; {INSTALL}", found.display()));
    let text = String::from_utf8_lossy(&version.stdout);
    assert!(
        text.contains("version 2.6."),
        "{} is not HAProxy 2.6 ({text}); {INSTALL}",
        found.display()
    );
    found
}

/// A loopback port nothing listens on right now (the kernel's pick).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free loopback port")
}

/// An HTTP response: status code and body (for a chunked body, the raw
/// chunks: the tests look for words in it).
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Response {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// `GET path` with `Host: host` on 127.0.0.1:`port`.
pub fn get(port: u16, host: &str, path: &str) -> std::io::Result<Response> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other(format!("no header end in {raw:?}")))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status in {head:?}")))?;
    Ok(Response {
        status,
        body: raw[split + 4..].to_vec(),
    })
}

/// Where HAProxy's runtime API listens.
#[derive(Debug, Clone)]
pub enum RuntimeApi {
    Unix(PathBuf),
    Tcp(u16),
}

impl RuntimeApi {
    /// Sends one command (non-interactive mode: HAProxy answers and closes)
    /// and returns the reply.
    pub fn command(&self, command: &str) -> std::io::Result<String> {
        let mut reply = String::new();
        match self {
            RuntimeApi::Unix(path) => {
                let mut stream = UnixStream::connect(path)?;
                stream.set_read_timeout(Some(IO_TIMEOUT))?;
                stream.write_all(format!("{command}\n").as_bytes())?;
                stream.read_to_string(&mut reply)?;
            }
            RuntimeApi::Tcp(port) => {
                let mut stream = TcpStream::connect(("127.0.0.1", *port))?;
                stream.set_read_timeout(Some(IO_TIMEOUT))?;
                stream.write_all(format!("{command}\n").as_bytes())?;
                stream.read_to_string(&mut reply)?;
            }
        }
        Ok(reply)
    }

    /// `show stat` as (proxy, server) → field → value.
    pub fn stat(&self) -> std::io::Result<Vec<Stat>> {
        let text = self.command("show stat")?;
        Ok(parse_stat(&text))
    }
}

/// One line of `show stat`.
#[derive(Debug, Clone)]
pub struct Stat {
    pub proxy: String,
    pub server: String,
    pub fields: Vec<(String, String)>,
}

impl Stat {
    pub fn get(&self, field: &str) -> &str {
        self.fields
            .iter()
            .find(|(name, _)| name == field)
            .map_or("", |(_, value)| value.as_str())
    }
}

fn parse_stat(text: &str) -> Vec<Stat> {
    let mut lines = text.lines();
    let Some(header) = lines.next().and_then(|h| h.strip_prefix("# ")) else {
        return Vec::new();
    };
    let names: Vec<&str> = header.split(',').collect();
    lines
        .filter(|line| !line.is_empty())
        .map(|line| {
            let fields: Vec<(String, String)> = names
                .iter()
                .zip(line.split(','))
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect();
            let get = |name: &str| {
                fields
                    .iter()
                    .find(|(n, _)| n == name)
                    .map_or(String::new(), |(_, v)| v.clone())
            };
            Stat {
                proxy: get("pxname"),
                server: get("svname"),
                fields,
            }
        })
        .collect()
}

/// The `show stat` line of `proxy`/`server`.
pub fn find<'a>(stats: &'a [Stat], proxy: &str, server: &str) -> Option<&'a Stat> {
    stats
        .iter()
        .find(|s| s.proxy == proxy && s.server == server)
}

/// Writes `text` to `path`, creating its folder.
pub fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
}
