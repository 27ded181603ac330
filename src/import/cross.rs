//! What the analyser refuses across or within components, taken out at
//! import and reported, so the imported workspace passes `stackc check`:
//! a service depending on itself (E0103) and a host port published twice
//! (E0107).

use super::component::Component;
use super::report::{Place, Reporter};
use super::service::component_name;
use super::yaml::{Node, Value};

/// Takes the component's own name out of its `depends_on` (Compose itself
/// refuses the file: "dependency cycle detected"), reported at the entry
/// that names it in `node` (the service as written), else at the service.
pub fn drop_self_dependency(component: &mut Component, node: &Node, report: &mut Reporter) {
    let own = component.name.clone();
    if !component.body.depends_on.contains(&own) {
        return;
    }
    component.body.depends_on.retain(|d| *d != own);
    let names_own = |text: &str| {
        let service = text.split(':').next().unwrap_or_default();
        component_name(service).as_deref() == Some(own.as_str())
    };
    let mut at = None;
    for key in ["depends_on", "links"] {
        match node.get(key).map(|n| &n.value) {
            Some(Value::List(items)) => {
                at = at.or_else(|| {
                    items
                        .iter()
                        .find(|i| i.scalar_text().is_some_and(|t| names_own(&t)))
                        .map(|i| Place::of(component.place.file, i))
                });
            }
            Some(Value::Map(entries)) => {
                at = at.or_else(|| {
                    entries
                        .iter()
                        .find(|(k, _)| names_own(&k.name))
                        .map(|(k, _)| Place::key(component.place.file, k))
                });
            }
            _ => {}
        }
    }
    report.dropped(
        at.unwrap_or(component.place),
        format!("`{own}` depends on itself; the dependency is not imported"),
        "list only other services in `depends_on`",
    );
}

/// Keeps each host port (number and protocol) published by the first
/// component, in the order imported, that publishes it; a later one is
/// imported unpublished and reported at its service, with the first.
/// Every environment runs the whole stack on one host, where Compose would
/// fail to start the second ("port is already allocated").
pub fn one_publisher(components: &mut [Component], report: &mut Reporter) {
    // (host port, protocol) → (component, port name, place)
    let mut seen: Vec<(u16, String, String, String, Place)> = Vec::new();
    for component in components.iter_mut() {
        for port in component.body.ports.iter_mut() {
            let Some(number) = port.publish else {
                continue;
            };
            let first = port.protocols.iter().find_map(|protocol| {
                seen.iter()
                    .find(|(n, p, ..)| *n == number && p == protocol)
                    .cloned()
            });
            match first {
                Some((_, protocol, other, other_port, place)) => {
                    port.publish = None;
                    let shown = if protocol == "tcp" {
                        number.to_string()
                    } else {
                        format!("{number}/{protocol}")
                    };
                    report.push(
                        crate::diagnostic::Diagnostic::warning(
                            crate::diagnostic::Code::ImportApproximated,
                            format!(
                                "host port {shown} is published by `{other}` (its port `{other_port}`) already: `{}`'s port `{}` is imported unpublished",
                                component.name, port.name
                            ),
                        )
                        .at(component.place.span())
                        .with_label("imported approximately")
                        .also(place.span(), "publishes it first")
                        .with_help("every environment runs the whole stack on one host: give one of them another host port"),
                    );
                }
                None => {
                    for protocol in &port.protocols {
                        seen.push((
                            number,
                            protocol.clone(),
                            component.name.clone(),
                            port.name.clone(),
                            component.place,
                        ));
                    }
                }
            }
        }
    }
}
