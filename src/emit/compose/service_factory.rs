//! Builds the services of every kind of Compose file from the Model.

use std::borrow::Cow;

use super::{
    command_line, compose_string, pass_through_rewrite, BuildContext, Dependency, FileMount,
    FileObjects, Healthcheck, PassThroughValue, PortMapping, PullPolicy, Service, ServiceCommand,
    SharedParts,
};
use crate::model::{Component, Fixture, Model, Port};

/// Which of a component's ports a file publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Publish<'a> {
    /// None: fragments, and dependencies in a test stack.
    Nothing,
    /// Every port whose `published` is set, on this host address, or when
    /// `None` on the environment's `host_ip` (all addresses without one).
    Published(Option<&'a str>),
    /// Every port whose `published` is set, on this host address and a
    /// host port Docker picks: the component of a test stack, so that two
    /// runs (or a running environment) never compete for a port.
    Ephemeral(&'a str),
}

/// How much of a component a file describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServicePlan<'a> {
    /// The environment whose env values are written.
    pub environment: &'a str,
    pub publish: Publish<'a>,
    /// Its own `depends_on` (off for the dependencies in a fragment, whose
    /// own dependencies are not in the file).
    pub dependencies: bool,
    /// Wait for its fixture loaders (on when the file holds them).
    pub fixtures: bool,
    /// The pull policy of its services that have a build context.
    pub pull_policy: PullPolicy,
}

/// Builds services; `root` is the workspace root seen from a compose file's folder.
#[derive(Debug, Clone, Copy)]
pub struct ServiceFactory<'m> {
    pub model: &'m Model,
    pub root: &'m str,
    /// What the build's services of a component share; `None`: computed
    /// for each service.
    pub parts: Option<&'m SharedParts<'m>>,
}

impl<'m> ServiceFactory<'m> {
    pub fn component(&self, component: &'m Component, plan: ServicePlan<'_>) -> Service<'m> {
        let mut service = Service::new(compose_string::text(&component.image));
        service.build = component
            .build
            .as_ref()
            .map(|build| BuildContext::of_build(self.root, build));
        // A pull policy the spec passes through wins over stackc's.
        if !component
            .compose
            .iter()
            .any(|(key, _)| key == "pull_policy")
        {
            service.pull_policy = service.build.as_ref().map(|_| plan.pull_policy);
        }
        service.command = component.command.as_ref().map(|command| {
            let argv = command.argv();
            ServiceCommand::Exec(
                argv.iter()
                    .map(|arg| compose_string::literal(arg))
                    .collect(),
            )
        });
        if plan.dependencies {
            for name in &component.depends_on {
                service
                    .depends_on
                    .insert(name.clone(), Dependency::on_service(self.has_health(name)));
            }
        }
        if plan.fixtures {
            for fixture in &component.fixtures {
                service
                    .depends_on
                    .insert(fixture.service.clone(), Dependency::on_loader());
            }
        }
        for var in &component.env {
            if let Some(value) = var.value(plan.environment) {
                service
                    .environment
                    .insert(var.name.clone(), compose_string::text(value));
            }
        }
        let host_ip = self
            .model
            .environment(plan.environment)
            .and_then(|e| e.host_ip.as_ref())
            .map(compose_string::text);
        service.ports = ports(component, plan.publish, host_ip.as_deref());
        service.healthcheck = match self.parts {
            Some(parts) => parts.healthcheck(self.model, component),
            None => component
                .health
                .as_ref()
                .map(|health| Cow::Owned(Healthcheck::from_health(health))),
        };
        service.secrets = component.secrets.iter().map(FileMount::new).collect();
        service.configs = component.configs.iter().map(FileMount::new).collect();
        service.file_objects = FileObjects::of_component(self.model, component, self.root);
        for (key, value) in &component.compose {
            let value = match pass_through_rewrite::rewrite(key, value, self.root) {
                Some(rewritten) => Cow::Owned(rewritten),
                None => Cow::Borrowed(value),
            };
            service.pass_through(key, PassThroughValue(value));
        }
        service
    }

    /// A one-shot loader: runs once its target is up, exits, is never
    /// restarted. Its command is written in exec form
    /// ([`command_line::exec_form`]); `pull_policy` applies when it has a
    /// build context.
    pub fn fixture_loader(&self, fixture: &'m Fixture, pull_policy: PullPolicy) -> Service<'m> {
        let mut service = Service::new(compose_string::text(&fixture.image));
        service.build = fixture
            .build
            .as_deref()
            .map(|context| BuildContext::new(self.root, context));
        service.pull_policy = service.build.as_ref().map(|_| pull_policy);
        service.command = fixture
            .command
            .as_deref()
            .map(|line| ServiceCommand::Exec(command_line::exec_form(line)));
        service.restart = Some("no");
        service.depends_on.insert(
            fixture.target.clone(),
            Dependency::on_service(self.has_health(&fixture.target)),
        );
        service
    }

    fn has_health(&self, name: &str) -> bool {
        self.model
            .component(name)
            .is_some_and(|component| component.health.is_some())
    }
}

/// The ports `publish` asks for: those the spec publishes, one entry per
/// protocol; `host_ip` is the environment's, used where neither `publish`
/// nor the port names an address.
fn ports(component: &Component, publish: Publish<'_>, host_ip: Option<&str>) -> Vec<PortMapping> {
    let published = component.ports.iter().filter_map(|port| {
        port.published.map(|host_port| {
            (
                port,
                host_port,
                port.host_ip.as_ref().map(compose_string::text),
            )
        })
    });
    let each_protocol = |port: &Port, host_port: Option<u16>, address: Option<&str>| {
        port.protocols
            .iter()
            .map(|&protocol| PortMapping::new(port.container, host_port, address, protocol))
            .collect::<Vec<_>>()
    };
    match publish {
        Publish::Nothing => Vec::new(),
        Publish::Published(address) => published
            .flat_map(|(port, host_port, own)| {
                each_protocol(
                    port,
                    Some(host_port),
                    address.or(own.as_deref()).or(host_ip),
                )
            })
            .collect(),
        // A test stack publishes on loopback whatever the port says.
        Publish::Ephemeral(host_ip) => published
            .flat_map(|(port, _, _)| each_protocol(port, None, Some(host_ip)))
            .collect(),
    }
}
