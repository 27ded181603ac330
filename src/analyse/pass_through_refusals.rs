//! The Compose service keys the pass-through refuses whole (E0119): each
//! says why stackc cannot carry the key into its files, and what to write
//! instead. Each is a [`Refusal`](super::compose_keys::Refusal): the message
//! and the help, for the key's value.

use super::file_objects::Kind;
use super::pass_through_node::PassNode;
use super::pass_through_scope::PassScope;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;

/// An E0119 diagnostic at `span`.
pub fn refused(span: Span, message: impl Into<String>, help: impl Into<String>) -> Diagnostic {
    Diagnostic::error(Code::PassThroughRefused, message)
        .at(span)
        .with_help(help)
}

/// The text of the first item of a list (or of a single value).
fn first_text<'a>(node: &PassNode<'a>) -> Option<&'a str> {
    node.items().first().and_then(|item| item.text())
}

/// The name the first entry of a `secrets` or `configs` list mounts: a
/// short entry's text, a long one's `source`.
fn first_source<'a>(node: &PassNode<'a>) -> Option<&'a str> {
    let items = node.items();
    let first = items.first()?;
    first
        .text()
        .or_else(|| first.entry("source").and_then(|(_, source)| source.text()))
}

/// The help for a pass-through `secrets` or `configs` naming `name`: list
/// it in the component's own attribute when it is declared (of either
/// kind), else declare it.
fn file_object_help(node: &PassNode, scope: &PassScope, kind: Kind) -> Option<String> {
    let name = first_source(node)?;
    let Some((declared, _)) = scope.declared.iter().find(|(_, n)| *n == name) else {
        let bare = name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        return bare.then(|| match kind {
            Kind::Secret => format!("declare the secret at the top level, `secret {name} {{ file = \"secrets/{name}.txt\" }}`, and list it on the component: `secrets = [{name}]` (mounted at /run/secrets/{name})"),
            Kind::Config => format!("declare the config at the top level, `config {name} {{ file = \"config/{name}\" }}`, and list it on the component: `configs = [{name}]` or `configs = [{{ source = \"{name}\"  target = \"/etc/{name}\" }}]`"),
        });
    };
    let list = match declared {
        Kind::Secret => "secrets",
        Kind::Config => "configs",
    };
    let what = if *declared == kind {
        format!("`{name}` is a declared {}", declared.word())
    } else {
        format!(
            "`{name}` is a declared {}, not a {}",
            declared.word(),
            kind.word()
        )
    };
    Some(format!(
        "{what}: the component's own `{list} = [{name}]`, outside `compose {{ }}`, mounts it; remove this one"
    ))
}

/// `configs`: a file or external config, from a top-level entry.
pub fn configs(node: &PassNode, scope: &PassScope) -> (String, String) {
    (
        "`configs` is written by stackc from the component's own `configs`, not passed through".into(),
        file_object_help(node, scope, Kind::Config).unwrap_or_else(|| "declare the config at the top level, `config app_conf { file = \"config/app.conf\" }`, and list it on the component: `configs = [app_conf]` or `configs = [{ source = \"app_conf\"  target = \"/etc/app.conf\" }]`".into()),
    )
}

/// `container_name`: a name global on the Docker host.
pub fn container_name(_: &PassNode, scope: &PassScope) -> (String, String) {
    let c = scope.component;
    (
        format!("`container_name` is global on the Docker host: the test stack and the environment's stack of `{c}` could not run at the same time"),
        format!("remove it: Compose names the container `PROJECT-{c}-1` in each project; other components reach it as `{{{{ {c}.host }}}}`, and `docker compose -f FILE exec {c} ...` reaches it from the host"),
    )
}

/// `extends`: a base service stackc cannot see.
pub fn extends(_: &PassNode, scope: &PassScope) -> (String, String) {
    (
        "`extends` cannot be passed through: stackc cannot check what the base service sets (ports, dependencies, names, paths)".into(),
        format!("write the keys `{}` needs in its own `compose {{ }}` block", scope.component),
    )
}

/// `external_links`: containers outside the stack.
pub fn external_links(_: &PassNode, _: &PassScope) -> (String, String) {
    (
        "`external_links` names containers outside the stack, which are global on the Docker host".into(),
        "make the other service a component and list it in `depends_on`, or pass its address in `env` (`DB_HOST = \"${DB_HOST:-db.example.internal}\"`)".into(),
    )
}

/// `links`: a dependency outside `depends_on`, named after the first link.
pub fn links(node: &PassNode, scope: &PassScope) -> (String, String) {
    let c = scope.component;
    let target = first_text(node)
        .map(|link| link.split(':').next().unwrap_or(link))
        .filter(|t| !t.is_empty() && !t.contains('$'));
    match target {
        Some(t) => (
            format!("`links` makes `{c}` depend on `{t}` outside stackc's `depends_on`"),
            format!("write `depends_on = [{t}]` in the component; `{c}` reaches it by name (`{{{{ {t}.host }}}}`) on the default network"),
        ),
        None => (
            format!("`links` makes `{c}` depend on other services outside stackc's `depends_on`"),
            format!("list them in `depends_on = [...]` in the component; `{c}` reaches each by name (`{{{{ NAME.host }}}}`) on the default network"),
        ),
    }
}

/// `models`: a model runner, from a top-level entry.
pub fn models(_: &PassNode, _: &PassScope) -> (String, String) {
    (
        "`models` needs a top-level `models:` entry, which stackc does not write".into(),
        "run the model server as a component and pass its address in `env` (`MODEL_URL = \"http://{{ llm.host }}:{{ llm.ports.http }}\"`)".into(),
    )
}

/// `profiles`: a service that starts only with a profile.
pub fn profiles(_: &PassNode, scope: &PassScope) -> (String, String) {
    let c = scope.component;
    (
        format!("`profiles` keeps `{c}` from starting unless a profile is enabled, so its dependents and its test stack would not start it"),
        format!("remove it: every component runs in every environment; to start part of an environment, name the services: `docker compose -f compose/environments/ENV.yml up {c}`"),
    )
}

/// `provider`: a service run by an external program.
pub fn provider(_: &PassNode, scope: &PassScope) -> (String, String) {
    (
        format!(
            "`provider` hands `{}` to an external program instead of a container",
            scope.component
        ),
        "make it a component with an `image`, or pass the external resource's address through `env`".into(),
    )
}

/// `secrets`: a file or external secret, from a top-level entry.
pub fn secrets(node: &PassNode, scope: &PassScope) -> (String, String) {
    (
        "`secrets` is written by stackc from the component's own `secrets`, not passed through".into(),
        file_object_help(node, scope, Kind::Secret).unwrap_or_else(|| "declare the secret at the top level, `secret db_password { file = \"secrets/db_password.txt\" }`, and list it on the component: `secrets = [db_password]` (mounted at /run/secrets/db_password)".into()),
    )
}

/// `volumes_from`: another service's or container's volumes, named after the first.
pub fn volumes_from(node: &PassNode, scope: &PassScope) -> (String, String) {
    let c = scope.component;
    let source = first_text(node).unwrap_or_default();
    let message = match source.strip_prefix("container:") {
        Some(container) => {
            let name = container.split(':').next().unwrap_or(container);
            format!("`volumes_from` ties `{c}` to the volumes of container `{name}`, outside the stack; container names are global on the Docker host")
        }
        None => {
            let name = source.split(':').next().unwrap_or(source);
            format!("`volumes_from` ties `{c}` to the volumes of `{name}`, which is not in every file `{c}` is written to")
        }
    };
    (
        message,
        "mount the same named volume in both components (`volumes = [\"shared:/data\"]` in each `compose { }`); Compose keeps a named volume per project, so both see the same one".into(),
    )
}
