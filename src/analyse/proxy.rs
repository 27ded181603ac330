//! An environment's `proxy { }` block: the image of its `haproxy` service,
//! the host ports that service publishes, and where its runtime API listens.

use std::net::IpAddr;

use super::fields::{wrong_type, Fields, Schema};
use super::images::image;
use super::labels;
use super::runtime;
use super::template::reject_template;
use super::values::port_number;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{Proxy, RuntimeApi};
use crate::source::Span;
use crate::syntax::ast::{Block, StringLit, ValueKind};

const PROXY: Schema = Schema {
    what: "`proxy`",
    attributes: &["image", "port", "stats_port", "runtime_api"],
    blocks: &[],
};

/// What a TCP runtime API is written as, for help texts.
const RUNTIME_API_FORM: &str = "a TCP runtime API is written `ADDRESS:PORT` on a loopback address, such as `127.0.0.1:9999` or `[::1]:9999`; leave `runtime_api` out for a UNIX socket";

/// A host port an environment's `haproxy` service publishes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyPort {
    pub number: u16,
    /// The attribute that sets it: `port`, `stats_port` or `runtime_api`.
    pub attribute: &'static str,
    /// Where the spec sets it; `None` for a default.
    pub span: Option<Span>,
}

/// An environment's proxy, with the host ports it publishes for the rules
/// that compare them with the components' ports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyDecl {
    pub model: Proxy,
    pub ports: Vec<ProxyPort>,
}

impl Default for ProxyDecl {
    /// The proxy of an environment without a `proxy { }` block.
    fn default() -> Self {
        let model = Proxy::default();
        let ports = vec![
            ProxyPort {
                number: model.http_port,
                attribute: "port",
                span: None,
            },
            ProxyPort {
                number: model.stats_port,
                attribute: "stats_port",
                span: None,
            },
        ];
        ProxyDecl { model, ports }
    }
}

/// The environment's proxy from its `proxy` blocks among `blocks` (at most
/// one), defaults filled in.
pub fn proxy(blocks: &[&Block], diagnostics: &mut Diagnostics) -> ProxyDecl {
    let mut decl = ProxyDecl::default();
    let Some(block) = labels::at_most_once(blocks, "proxy", diagnostics) else {
        return decl;
    };
    labels::forbidden(block, diagnostics);
    let fields = Fields::read(&block.items, block.span(), &PROXY, diagnostics);
    if let Some(written) = fields.string("image", diagnostics) {
        if let Some(value) = image(written, diagnostics) {
            decl.model.image = runtime::split(&value);
        }
    }
    for (index, key) in ["port", "stats_port"].into_iter().enumerate() {
        let Some(value) = fields.value(key, diagnostics) else {
            continue;
        };
        if let ValueKind::String(_) = value.kind {
            diagnostics.push(
                wrong_type(value, "a port number")
                    .with_help(format!("write the number without quotes: `{key} = 8080`")),
            );
            continue;
        }
        if let (Some(number), Some(port)) =
            (port_number(value, diagnostics), decl.ports.get_mut(index))
        {
            port.number = number;
            port.span = Some(value.span);
        }
    }
    decl.model.http_port = decl
        .ports
        .first()
        .map_or(decl.model.http_port, |p| p.number);
    decl.model.stats_port = decl
        .ports
        .get(1)
        .map_or(decl.model.stats_port, |p| p.number);
    if let Some(written) = fields.string("runtime_api", diagnostics) {
        if let Some((address, port)) = runtime_api(written, diagnostics) {
            decl.ports.push(ProxyPort {
                number: port,
                attribute: "runtime_api",
                span: Some(written.span),
            });
            decl.model.runtime_api = RuntimeApi::Tcp { address, port };
        }
    }
    check_distinct(&decl.ports, diagnostics);
    decl
}

/// `runtime_api = "127.0.0.1:9999"`: a loopback address and a port.
fn runtime_api(literal: &StringLit, diagnostics: &mut Diagnostics) -> Option<(String, u16)> {
    if !reject_template(literal, diagnostics) {
        return None;
    }
    let malformed = |problem: String| {
        Diagnostic::error(
            Code::InvalidName,
            format!("`{}` is not an address and a port", literal.value),
        )
        .at(literal.span)
        .with_label(problem)
        .with_help(RUNTIME_API_FORM)
    };
    let Some((host, port)) = literal.value.rsplit_once(':') else {
        diagnostics.push(malformed("no `:PORT`".to_string()));
        return None;
    };
    let address = match host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        Some(inner) => inner.parse::<std::net::Ipv6Addr>().ok().map(IpAddr::V6),
        None => host.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4),
    };
    let Some(address) = address else {
        let problem = if host.contains(':') && !host.starts_with('[') {
            "an IPv6 address is written in brackets: `[::1]:9999`".to_string()
        } else {
            format!("`{host}` is not an IP address")
        };
        diagnostics.push(malformed(problem));
        return None;
    };
    let port = match port.parse::<u16>() {
        Ok(port) if port > 0 => port,
        _ => {
            diagnostics.push(
                Diagnostic::error(Code::OutOfRange, format!("`{port}` is not a port number"))
                    .at(literal.span)
                    .with_help("ports are numbers from 1 to 65535"),
            );
            return None;
        }
    };
    if !address.is_loopback() {
        diagnostics.push(
            Diagnostic::error(
                Code::OutOfRange,
                format!("the runtime API would listen on `{address}`, which is not a loopback address"),
            )
            .at(literal.span)
            .with_label("reachable from other machines")
            .with_help("HAProxy's runtime API has no authentication: whoever reaches it can change weights and take servers down. Publish it on a loopback address (`127.0.0.1:9999`, `[::1]:9999`), or leave `runtime_api` out for a UNIX socket"),
        );
        return None;
    }
    Some((address.to_string(), port))
}

/// The proxy publishes each of its ports on its own host port.
fn check_distinct(ports: &[ProxyPort], diagnostics: &mut Diagnostics) {
    for (index, port) in ports.iter().enumerate() {
        let Some(first) = ports
            .get(..index)
            .unwrap_or_default()
            .iter()
            .find(|p| p.number == port.number)
        else {
            continue;
        };
        // At least one of two equal ports is written: defaults differ.
        let (again, other) = match port.span {
            Some(span) => (span, first),
            None => match first.span {
                Some(span) => (span, port),
                None => continue,
            },
        };
        let mut diagnostic = Diagnostic::error(
            Code::PortPublishedTwice,
            format!("host port {} is published twice by the proxy", port.number),
        )
        .at(again)
        .with_label("published here");
        diagnostic = match other.span {
            Some(span) => diagnostic.also(span, format!("and by `{}` here", other.attribute)),
            None => diagnostic.with_label(format!(
                "published here, and by the default `{}`",
                other.attribute
            )),
        };
        diagnostics.push(diagnostic.with_help(
            "`port`, `stats_port` and a TCP `runtime_api` are each published on a host port of their own: choose another",
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::analyse::tests::{codes, model};
    use crate::model::{Proxy, RuntimeApi};

    /// A routed stack with environment `prod { BODY }`.
    fn stack(prod: &str) -> String {
        format!(
            "stack s {{ }}\nenvironment prod {{ {prod} }}\ncomponent api {{\n  ports = {{ http = 3000 }}\n  health {{ http = \"/health\" }}\n  route public {{ host = \"api.example\" }}\n}}\n"
        )
    }

    fn proxy_of(prod: &str) -> Proxy {
        model(&stack(prod))
            .environment("prod")
            .map(|e| e.proxy.clone())
            .expect("prod")
    }

    #[test]
    fn an_environment_without_a_proxy_block_has_the_defaults() {
        let model = model(&stack(""));
        for environment in &model.environments {
            assert_eq!(environment.proxy, Proxy::default(), "{}", environment.name);
        }
        assert_eq!(
            Proxy::default().image.display(),
            "docker.io/library/haproxy:2.6"
        );
    }

    #[test]
    fn the_proxy_block_sets_image_ports_and_a_loopback_runtime_api() {
        let proxy = proxy_of(
            "proxy { image = \"haproxy:${HAPROXY_TAG:-2.6}\"  port = 8080  stats_port = 9000  runtime_api = \"127.0.0.2:9999\" }",
        );
        assert_eq!(proxy.image.to_compose(), "haproxy:${HAPROXY_TAG:-2.6}");
        assert_eq!((proxy.http_port, proxy.stats_port), (8080, 9000));
        assert_eq!(
            proxy.runtime_api,
            RuntimeApi::Tcp {
                address: "127.0.0.2".into(),
                port: 9999
            }
        );
        let ipv6 = proxy_of("proxy { runtime_api = \"[::1]:9999\" }");
        assert_eq!(
            ipv6.runtime_api,
            RuntimeApi::Tcp {
                address: "::1".into(),
                port: 9999
            }
        );
        assert_eq!((ipv6.http_port, ipv6.stats_port), (80, 8404));
    }

    #[test]
    fn a_runtime_api_off_loopback_or_malformed_is_refused() {
        for (api, expected) in [
            ("0.0.0.0:9999", "E0108"),
            ("192.168.1.5:9999", "E0108"),
            ("[::]:9999", "E0108"),
            ("[::ffff:127.0.0.1]:9999", "E0108"),
            ("127.0.0.1:0", "E0108"),
            ("127.0.0.1:65536", "E0108"),
            ("localhost:9999", "E0106"),
            ("127.0.0.1", "E0106"),
            ("::1:9999", "E0106"),
            ("[127.0.0.1]:9999", "E0106"),
            ("127.0.0.1:8404", "E0107"),
        ] {
            assert_eq!(
                codes(&stack(&format!("proxy {{ runtime_api = \"{api}\" }}"))),
                [expected],
                "{api}"
            );
        }
    }

    #[test]
    fn the_proxys_ports_are_distinct_and_in_range() {
        for (body, expected) in [
            ("proxy { port = 8404 }", vec!["E0107"]),
            ("proxy { stats_port = 80 }", vec!["E0107"]),
            ("proxy { port = 81  stats_port = 81 }", vec!["E0107"]),
            ("proxy { port = 0 }", vec!["E0108"]),
            ("proxy { port = \"80\" }", vec!["E0110"]),
            ("proxy { }\nproxy { }", vec!["E0101"]),
            ("proxy p { }", vec!["E0109"]),
            ("proxy { port = 8404  stats_port = 80 }", vec![]),
        ] {
            assert_eq!(codes(&stack(body)), expected, "{body}");
        }
    }
}
