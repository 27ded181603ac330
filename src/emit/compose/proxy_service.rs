//! The `haproxy` service of an environment's whole-stack file: HAProxy
//! running `generated/haproxy/ENV.cfg` (see docs/deploy.md).

use super::{BindMount, Dependency, PortMapping, PullPolicy, Service};
use crate::emit::haproxy;
use crate::model::{Component, Environment, Model, RuntimeApi, Text, TextPart, VarOperator};

/// The label whose value is the configuration's checksum: a new
/// configuration changes the service, so `docker compose up` recreates it
/// (a running container keeps the file it was started with).
pub const CONFIG_LABEL: &str = "dev.stackc.haproxy-config";

/// Where the official image reads its configuration.
const CONFIG_TARGET: &str = "/usr/local/etc/haproxy/haproxy.cfg";

/// The configuration's `STACK_HAPROXY_RUN_DIR` default: the runtime API's
/// socket and the server-state file.
const RUN_DIR: &str = "/var/run/haproxy";

/// The ports the configuration binds inside the container by default.
const HTTP_TARGET: u16 = 80;
const STATS_TARGET: u16 = 8404;

/// The `haproxy` service of `environment`, whose HAProxy configuration is
/// `config` (as [`haproxy::config`] renders it; only its checksum is
/// written). `compose_path` is the compose file's path in the output folder
/// and `root` the workspace root seen from its folder.
pub fn proxy_service<'m>(
    model: &'m Model,
    environment: &Environment,
    config: &str,
    compose_path: &str,
    root: &str,
) -> Service<'m> {
    let proxy = &environment.proxy;
    let mut service = Service::new(proxy.image.to_compose());
    service.pull_policy = Some(PullPolicy::Missing);
    service.user = Some("${STACK_UID:-0}:${STACK_GID:-0}".to_string());
    let routed = model.components.iter().filter(|c| !c.routes.is_empty());
    for component in routed {
        // HAProxy judges the slots' health itself.
        service
            .depends_on
            .insert(component.name.clone(), Dependency::on_service(false));
    }
    let host_ip = environment.host_ip.as_ref().map(Text::to_compose);
    service.ports = vec![
        PortMapping::tcp(HTTP_TARGET, Some(proxy.http_port), host_ip.as_deref()),
        PortMapping::tcp(STATS_TARGET, Some(proxy.stats_port), host_ip.as_deref()),
    ];
    if let RuntimeApi::Tcp { address, port } = &proxy.runtime_api {
        service
            .ports
            .push(PortMapping::tcp(*port, Some(*port), Some(address)));
        // The configuration binds the loopback address by default, which
        // Docker's forwarding cannot reach inside the container.
        service.environment.insert(
            haproxy::RUNTIME_BIND_VARIABLE.to_string(),
            haproxy::container_runtime_bind(*port),
        );
    }
    let config_path = haproxy::config_path(&environment.name);
    service.volumes = vec![
        BindMount::read_only(relative(compose_path, &config_path), CONFIG_TARGET),
        BindMount::folder(state_folder(root, &environment.name), RUN_DIR),
    ];
    service.labels.insert(
        CONFIG_LABEL.to_string(),
        haproxy::checksum(config.as_bytes()),
    );
    service
}

/// Whether `component` is served through HAProxy.
pub fn is_routed(component: &Component) -> bool {
    !component.routes.is_empty()
}

/// `to` (a path in the output folder) seen from the folder of `from`
/// (another path there).
fn relative(from: &str, to: &str) -> String {
    let depth = from.matches('/').count();
    format!("{}{to}", "../".repeat(depth))
}

/// `${STACK_STATE_DIR:-ROOT/.stack}/ENV/haproxy`: the environment's HAProxy
/// state folder, in the task runner's state folder (which the runner passes
/// as an absolute path). A root that a reference's default cannot hold
/// (with `$`, `{` or `}`) is written without the override.
fn state_folder(root: &str, environment: &str) -> String {
    let default = format!("{root}/.stack");
    let suffix = format!("/{environment}/haproxy");
    if default.contains(['$', '{', '}']) {
        return Text::literal(format!("{default}{suffix}")).to_compose();
    }
    Text {
        parts: vec![
            TextPart::Variable {
                name: "STACK_STATE_DIR".to_string(),
                operator: Some(VarOperator::DefaultIfEmpty),
                word: default,
            },
            TextPart::Literal(suffix),
        ],
    }
    .to_compose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_from_the_compose_file() {
        assert_eq!(
            relative("compose/environments/prod.yml", "haproxy/prod.cfg"),
            "../../haproxy/prod.cfg"
        );
        assert_eq!(
            state_folder("../../..", "prod"),
            "${STACK_STATE_DIR:-../../../.stack}/prod/haproxy"
        );
        assert_eq!(
            state_folder("../a$b", "prod"),
            "../a$$b/.stack/prod/haproxy"
        );
    }
}
