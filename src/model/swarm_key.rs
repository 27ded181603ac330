//! What a Docker Swarm stack file does with each key of a component's
//! `compose { }` pass-through: the one table the analyser (which refuses
//! what a stack file cannot hold) and the Swarm emitter (which leaves out
//! what Swarm ignores) both read.
//!
//! `docker stack deploy` reads the Compose file format 3.8 (the schema
//! inside the docker CLI, `config_schema_v3.8.json`), not the Compose
//! Specification: a key that schema lacks makes `docker stack config` and
//! `docker stack deploy` refuse the whole file ("Additional property ... is
//! not allowed"), and some keys it has are ignored at deploy time, with a
//! warning ("Ignoring unsupported options: ..."). Measured with docker CLI
//! 28.2.2 against Docker Engine 20.10 (tests/swarm/README.md).

/// How a pass-through key reaches a stack file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SwarmKey {
    /// Written as in a Compose file: Swarm reads it for every task.
    Kept,
    /// Left out: `docker stack deploy` ignores it ("Ignoring unsupported
    /// options" or "Ignoring deprecated options"). These are settings of
    /// one container on one host (`restart`: Swarm restarts tasks itself;
    /// `privileged`, `devices`, `network_mode`, ...).
    Ignored,
    /// Left out: it tells the `docker compose` command itself what to do
    /// (pull, watch, attach, scale), which Swarm does its own way.
    ComposeOnly,
    /// `deploy`: stackc writes the service's `deploy` from the component;
    /// the pass-through's `labels` and `endpoint_mode` are merged into it,
    /// and the analyser refuses its other keys.
    Deploy,
    /// A stack file has no place for it: the analyser refuses it (E0127)
    /// when some environment runs on Swarm, so the emitter never meets it.
    Refused,
}

/// Keys the 3.8 format has and Swarm applies to every task.
const KEPT: &[&str] = &[
    "cap_add",
    "cap_drop",
    "credential_spec",
    "dns",
    "dns_search",
    "entrypoint",
    "env_file",
    "extra_hosts",
    "hostname",
    "init",
    "isolation",
    "labels",
    "logging",
    "networks",
    "read_only",
    "stdin_open",
    "stop_grace_period",
    "stop_signal",
    "sysctls",
    "tmpfs",
    "tty",
    "ulimits",
    "user",
    "volumes",
    "working_dir",
];

/// Keys the 3.8 format has and `docker stack deploy` ignores, with a
/// warning (CLI 28: "Ignoring unsupported options: build, cgroup_parent,
/// devices, domainname, external_links, ipc, links, mac_address,
/// network_mode, pid, privileged, restart, security_opt, shm_size,
/// userns_mode"; "Ignoring deprecated options: container_name, expose").
const IGNORED: &[&str] = &[
    "cgroup_parent",
    "container_name",
    "devices",
    "domainname",
    "expose",
    "external_links",
    "ipc",
    "links",
    "mac_address",
    "network_mode",
    "pid",
    "privileged",
    "restart",
    "security_opt",
    "shm_size",
    "userns_mode",
];

/// Keys of the `docker compose` command's own work.
const COMPOSE_ONLY: &[&str] = &[
    "attach",
    "develop",
    "pull_policy",
    "pull_refresh_after",
    "scale",
];

impl SwarmKey {
    /// What a stack file does with the pass-through key `name`: extension
    /// keys (`x-...`) are kept, as the 3.8 format allows them; a key of
    /// neither table is refused.
    pub fn of(name: &str) -> SwarmKey {
        if name.starts_with("x-") || KEPT.contains(&name) {
            SwarmKey::Kept
        } else if IGNORED.contains(&name) {
            SwarmKey::Ignored
        } else if COMPOSE_ONLY.contains(&name) {
            SwarmKey::ComposeOnly
        } else if name == "deploy" {
            SwarmKey::Deploy
        } else {
            SwarmKey::Refused
        }
    }

    /// Whether the key is left out of a stack file without a word.
    pub fn is_dropped(self) -> bool {
        matches!(self, SwarmKey::Ignored | SwarmKey::ComposeOnly)
    }
}

/// The keys of a pass-through `deploy` that stackc merges into the
/// service's own `deploy` (the others it writes from the component).
pub const MERGED_DEPLOY_KEYS: &[&str] = &["endpoint_mode", "labels"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_key_has_one_treatment() {
        for name in KEPT {
            assert_eq!(SwarmKey::of(name), SwarmKey::Kept, "{name}");
        }
        for name in IGNORED {
            assert_eq!(SwarmKey::of(name), SwarmKey::Ignored, "{name}");
        }
        for name in COMPOSE_ONLY {
            assert_eq!(SwarmKey::of(name), SwarmKey::ComposeOnly, "{name}");
        }
        assert_eq!(SwarmKey::of("deploy"), SwarmKey::Deploy);
        assert_eq!(SwarmKey::of("x-team"), SwarmKey::Kept);
        assert_eq!(SwarmKey::of("mem_limit"), SwarmKey::Refused);
        assert!(SwarmKey::of("restart").is_dropped());
        assert!(!SwarmKey::of("labels").is_dropped());
    }
}
