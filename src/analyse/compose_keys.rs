//! Every key of a Compose service, as the Compose specification lists it,
//! with what stackc does when a component's `compose { }` block sets it.
//! docs/compose.md has the same table, in words; a test keeps the two in
//! step, and another holds this list to the schema inside Docker Compose
//! (v5.6.1, the version the tests use).

use super::pass_through_checks as checks;
use super::pass_through_node::PassNode;
use super::pass_through_paths as paths;
use super::pass_through_refusals as refusals;
use super::pass_through_scope::PassScope;
use crate::diagnostic::Diagnostics;
use crate::syntax::ast::Ident;

/// Checks one key's value (`key`, its value, where it is), reporting what
/// cannot be carried into the generated files.
pub type Check = fn(&Ident, &PassNode, &PassScope, &mut Diagnostics);

/// The message and help of a key refused whole, for its value and place.
pub type Refusal = fn(&PassNode, &PassScope) -> (String, String);

/// What stackc does with a Compose service key written in `compose { }`.
#[derive(Clone, Copy)]
pub enum KeyRule {
    /// stackc writes the key from the component's own fields, so the
    /// pass-through may not set it (E0116); the text is how the spec says it.
    Modelled(&'static str),
    /// Copied as written.
    Passed,
    /// Copied as written once its values pass the check.
    Checked(Check),
    /// Relative host paths are rebased onto the workspace root by the
    /// Compose emitter; the check refuses those that leave it (E0003).
    Rebased(Check),
    /// The names it uses are declared in each file, so they belong to the
    /// Compose project; the check refuses what cannot be.
    Scoped(Check),
    /// Init containers, each checked with the container keys of this table.
    Hooks,
    /// Refused whole (E0119), saying what to write instead.
    Refused(Refusal),
}

impl KeyRule {
    /// The outcome in one word, as the table in docs/compose.md gives it
    /// (a test holds the two together).
    #[cfg(test)]
    pub fn outcome(&self) -> &'static str {
        match self {
            KeyRule::Modelled(_) => "modelled",
            KeyRule::Passed => "passed",
            KeyRule::Checked(_) => "checked",
            KeyRule::Rebased(_) | KeyRule::Hooks => "rebased",
            KeyRule::Scoped(_) => "scoped",
            KeyRule::Refused(_) => "refused",
        }
    }
}

/// One key of a Compose service.
pub struct ComposeKey {
    /// As Compose spells it (`env_file`).
    pub name: &'static str,
    /// A key of a container (the schema's `container_spec`), which a
    /// `pre_start` hook takes too; the others belong to the service only.
    pub container: bool,
    /// What stackc does with it.
    pub rule: KeyRule,
}

const fn key(name: &'static str, container: bool, rule: KeyRule) -> ComposeKey {
    ComposeKey {
        name,
        container,
        rule,
    }
}

use KeyRule::{Checked, Hooks, Modelled, Passed, Rebased, Refused, Scoped};

/// Every key of a Compose service, sorted by name.
pub const SERVICE_KEYS: &[ComposeKey] = &[
    key("annotations", true, Passed),
    key("attach", false, Passed),
    key("blkio_config", true, Checked(checks::blkio_config)),
    key("build", false, Modelled("`build = \"...\"`")),
    key("cap_add", true, Passed),
    key("cap_drop", true, Passed),
    key("cgroup", true, Passed),
    key("cgroup_parent", true, Passed),
    key(
        "command",
        true,
        Modelled("`command = \"...\"` (run by `/bin/sh -c`) or `command = [\"program\", \"arg\"]`"),
    ),
    key("configs", true, Refused(refusals::configs)),
    key("container_name", false, Refused(refusals::container_name)),
    key("cpu_count", true, Passed),
    key("cpu_percent", true, Passed),
    key("cpu_period", true, Passed),
    key("cpu_quota", true, Passed),
    key("cpu_rt_period", true, Passed),
    key("cpu_rt_runtime", true, Passed),
    key("cpu_shares", true, Passed),
    key("cpus", true, Passed),
    key("cpuset", true, Passed),
    key("credential_spec", true, Checked(checks::credential_spec)),
    key("depends_on", false, Modelled("`depends_on = [...]`")),
    key("deploy", false, Checked(checks::deploy)),
    key("develop", false, Rebased(paths::develop)),
    key("device_cgroup_rules", true, Passed),
    key("devices", true, Checked(checks::devices)),
    key("dns", true, Passed),
    key("dns_opt", true, Passed),
    key("dns_search", true, Passed),
    key("domainname", true, Passed),
    key("entrypoint", true, Passed),
    key("env_file", true, Rebased(paths::env_files)),
    key("environment", true, Modelled("an `env { }` block")),
    key("expose", false, Passed),
    key("extends", false, Refused(refusals::extends)),
    key("external_links", false, Refused(refusals::external_links)),
    key("extra_hosts", true, Passed),
    key("gpus", true, Passed),
    key("group_add", true, Passed),
    key("healthcheck", false, Modelled("a `health { }` block")),
    key("hostname", true, Passed),
    key("image", true, Modelled("`image = \"...\"`")),
    key("init", true, Passed),
    key("ipc", true, Checked(checks::namespace)),
    key("isolation", true, Passed),
    key("label_file", true, Rebased(paths::label_files)),
    key("labels", true, Checked(checks::labels)),
    key("links", false, Refused(refusals::links)),
    key("logging", true, Passed),
    key("mac_address", true, Passed),
    key("mem_limit", true, Passed),
    key("mem_reservation", true, Passed),
    key("mem_swappiness", true, Passed),
    key("memswap_limit", true, Passed),
    key("models", true, Refused(refusals::models)),
    key("network_mode", true, Checked(checks::network_mode)),
    key("networks", true, Scoped(checks::networks)),
    key("oom_kill_disable", true, Passed),
    key("oom_score_adj", true, Passed),
    key("pid", true, Checked(checks::namespace)),
    key("pids_limit", true, Passed),
    key("platform", true, Passed),
    key("ports", false, Modelled("`ports = { ... }`")),
    key("post_start", false, Passed),
    key("pre_start", false, Hooks),
    key("pre_stop", false, Passed),
    key("privileged", true, Passed),
    key("profiles", false, Refused(refusals::profiles)),
    key("provider", false, Refused(refusals::provider)),
    key("pull_policy", true, Passed),
    key("pull_refresh_after", true, Passed),
    key("read_only", true, Passed),
    key("restart", false, Passed),
    key("runtime", true, Passed),
    key("scale", false, Checked(checks::scale)),
    key("secrets", true, Refused(refusals::secrets)),
    key("security_opt", true, Rebased(paths::security_opt)),
    key("shm_size", true, Passed),
    key("stdin_open", false, Passed),
    key("stop_grace_period", true, Passed),
    key("stop_signal", true, Passed),
    key("storage_opt", true, Passed),
    key("sysctls", true, Passed),
    key("tmpfs", true, Passed),
    key("tty", false, Passed),
    key("ulimits", true, Passed),
    key("use_api_socket", true, Passed),
    key("user", true, Passed),
    key("userns_mode", true, Passed),
    key("uts", true, Checked(checks::namespace)),
    key("volumes", true, Rebased(paths::volumes)),
    key("volumes_from", true, Refused(refusals::volumes_from)),
    key("working_dir", true, Passed),
];

/// The key only a `pre_start` hook takes, besides the container keys.
pub const HOOK_ONLY_KEY: &str = "per_replica";

/// The service key `name`.
pub fn service_key(name: &str) -> Option<&'static ComposeKey> {
    SERVICE_KEYS
        .binary_search_by(|k| k.name.cmp(name))
        .ok()
        .and_then(|at| SERVICE_KEYS.get(at))
}

/// Extension keys, which Compose ignores: `x-` and anything after it.
pub fn is_extension(name: &str) -> bool {
    name.starts_with("x-")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::MODELLED_COMPOSE_KEYS;

    #[test]
    fn keys_are_sorted_and_unique() {
        for pair in SERVICE_KEYS.windows(2) {
            if let [a, b] = pair {
                assert!(a.name < b.name, "{} before {}", a.name, b.name);
            }
        }
    }

    #[test]
    fn modelled_rows_are_the_keys_the_model_writes() {
        let mut modelled: Vec<&str> = SERVICE_KEYS
            .iter()
            .filter(|k| matches!(k.rule, KeyRule::Modelled(_)))
            .map(|k| k.name)
            .collect();
        let mut want = MODELLED_COMPOSE_KEYS.to_vec();
        modelled.sort_unstable();
        want.sort_unstable();
        assert_eq!(modelled, want);
    }

    /// `(key, outcome, in a hook)` of each row of the table of every key
    /// in docs/compose.md.
    fn documented() -> Vec<(String, String, bool)> {
        let docs = include_str!("../../docs/compose.md");
        let table = docs
            .split("\n| key | outcome | in a hook |")
            .nth(1)
            .unwrap_or_default();
        table
            .lines()
            .skip(1)
            .take_while(|line| line.starts_with('|'))
            .filter_map(|line| {
                let cells: Vec<&str> = line.split('|').map(str::trim).collect();
                let key = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
                if is_extension(key) {
                    return None;
                }
                let outcome = cells.get(2)?.to_string();
                let hook = *cells.get(3)? == "yes";
                Some((key.to_string(), outcome, hook))
            })
            .collect()
    }

    #[test]
    fn the_docs_list_every_key_with_its_outcome() {
        let table: Vec<(String, String, bool)> = SERVICE_KEYS
            .iter()
            .map(|k| {
                (
                    k.name.to_string(),
                    k.rule.outcome().to_string(),
                    k.container,
                )
            })
            .collect();
        assert_eq!(documented(), table);
    }

    #[test]
    fn the_table_lists_the_keys_of_the_compose_schema() {
        let schema = include_str!("../../tests/fixtures/compose/schema/service-keys.txt");
        let names: Vec<&str> = SERVICE_KEYS.iter().map(|k| k.name).collect();
        let listed: Vec<&str> = schema.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(names, listed);
        let containers = include_str!("../../tests/fixtures/compose/schema/container-keys.txt");
        let names: Vec<&str> = SERVICE_KEYS
            .iter()
            .filter(|k| k.container)
            .map(|k| k.name)
            .collect();
        let listed: Vec<&str> = containers.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(names, listed);
    }
}
