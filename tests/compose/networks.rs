//! Declared networks and static addresses (`tests/fixtures/compose/networks`):
//! Compose reads each network's settings and each service's address back
//! as the spec gives them, and a test stack brought up for real gives its
//! container the fixed address (the one test here that needs the Docker
//! daemon: a busybox image made with `docker import`, nothing pulled, and
//! everything it creates removed).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::compose_json_with;
use crate::tools::{busybox, Compose};
use crate::workspaces::{self, Built};

/// The image `probe` runs, made by [`probe_image`].
const PROBE_IMAGE: &str = "stackc-networks/busybox:1";

fn networks() -> &'static Built {
    workspaces::named("tests/fixtures/compose/networks")
}

fn config(file: &str) -> Value {
    compose_json_with(networks(), file, &[])
}

#[test]
fn declared_networks_keep_their_settings_in_every_file() {
    for file in [
        "compose/environments/dev.yml",
        "compose/test/api.yml",
        "compose/components/api.yml",
    ] {
        let config = config(file);
        let networks = &config["networks"];
        let backend = &networks["backend"];
        assert_eq!(backend["driver"], json!("bridge"), "{file}");
        assert_eq!(backend["internal"], json!(true), "{file}");
        assert_eq!(
            backend["ipam"]["config"],
            json!([{ "subnet": "172.31.240.0/24", "gateway": "172.31.240.254", "ip_range": "172.31.240.128/25" }]),
            "{file}"
        );
        let project = config["name"].as_str().unwrap_or_default();
        assert_eq!(
            backend["name"],
            json!(format!("{project}_backend")),
            "{file}"
        );
        assert_eq!(networks["v6"]["enable_ipv6"], json!(true), "{file}");
        assert_eq!(
            networks["v6"]["ipam"]["config"],
            json!([{ "subnet": "fd00:5c:240::/64" }]),
            "{file}"
        );
        // External: looked up by its own name, not the project's.
        assert_eq!(networks["edge"]["external"], json!(true), "{file}");
        assert_eq!(networks["edge"]["name"], json!("edge"), "{file}");
        // Undeclared: Compose's defaults.
        assert_eq!(networks["plain"]["ipam"].get("config"), None, "{file}");
        assert_eq!(networks["plain"].get("driver"), None, "{file}");

        let db = &config["services"]["db"]["networks"];
        assert_eq!(
            db["backend"]["ipv4_address"],
            json!("172.31.240.10"),
            "{file}"
        );
        assert_eq!(db["backend"]["aliases"], json!(["database"]), "{file}");
        assert_eq!(db["v6"]["ipv6_address"], json!("fd00:5c:240::10"), "{file}");
    }
}

/// `docker` with `args`; its standard output when it succeeds.
fn docker(args: &[&str]) -> Result<String, String> {
    let out = Command::new("docker")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run docker: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// A busybox root imported as [`PROBE_IMAGE`] (about 2 MB, a second).
fn probe_image(scratch: &Path) {
    let root = scratch.join("root");
    let _ = std::fs::remove_dir_all(&root);
    let bin = root.join("bin");
    std::fs::create_dir_all(&bin).expect("scratch root");
    std::fs::copy(busybox(), bin.join("busybox")).expect("copy busybox");
    for applet in ["sh", "sleep"] {
        std::os::unix::fs::symlink("busybox", bin.join(applet)).expect("applet link");
    }
    let archive = scratch.join("root.tar");
    let tar = Command::new("tar")
        .arg("-C")
        .arg(&root)
        .arg("-cf")
        .arg(&archive)
        .arg(".")
        .status()
        .expect("tar");
    assert!(tar.success(), "tar of the busybox root failed");
    let status = Command::new("docker")
        .args(["import"])
        .arg(&archive)
        .arg(PROBE_IMAGE)
        .stdout(Stdio::null())
        .status()
        .expect("docker import");
    assert!(status.success(), "docker import {PROBE_IMAGE} failed");
}

/// Removes the project (containers, networks) and the image when
/// dropped, pass or fail.
struct Project<'a> {
    file: &'a str,
    name: String,
}

impl Drop for Project<'_> {
    fn drop(&mut self) {
        let _ = Compose::get().run(
            ["-f", self.file, "-p", &self.name, "down", "--timeout", "1"],
            &[],
        );
        let _ = docker(&["image", "rm", PROBE_IMAGE]);
    }
}

#[test]
fn a_test_stack_gives_its_container_the_static_address() {
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("networks-up");
    std::fs::create_dir_all(&scratch).expect("scratch folder");
    let file = networks()
        .path("compose/test/probe.yml")
        .display()
        .to_string();
    let project = Project {
        file: &file,
        name: format!("stackc-networks-{}", std::process::id()),
    };
    probe_image(&scratch);
    let started = Instant::now();
    let up = Compose::get().run(
        [
            "-f",
            &file,
            "-p",
            &project.name,
            "up",
            "-d",
            "--timeout",
            "1",
        ],
        &[],
    );
    assert!(
        up.status.success(),
        "docker compose up failed:\n{}",
        String::from_utf8_lossy(&up.stderr)
    );
    let container = format!("{}-probe-1", project.name);
    let network = format!("{}_backend", project.name);
    let template = format!("{{{{ (index .NetworkSettings.Networks \"{network}\").IPAddress }}}}");
    let address =
        docker(&["inspect", "-f", &template, &container]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(address.trim(), "172.31.240.20");
    let subnet = docker(&[
        "network",
        "inspect",
        "-f",
        "{{ json .IPAM.Config }}",
        &network,
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        subnet.contains("\"Subnet\":\"172.31.240.0/24\""),
        "{subnet}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "up took {:?}",
        started.elapsed()
    );
}
