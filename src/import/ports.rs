//! Compose `ports` (short `"[IP:][HOST:]CONTAINER[/PROTOCOL]"` strings,
//! ranges, numbers and the long map form) as the language's named ports.

use super::interpolation::with_defaults;
use super::lang_value::LangValue;
use super::yaml::{Node, Value};

/// One published or exposed container port, as Compose describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortMapping {
    pub container: u16,
    /// The host port; `None` when Compose picks one (`"8080"`).
    pub published: Option<u16>,
    pub host_ip: Option<String>,
    pub protocol: String,
    /// The long form's `name`, when given.
    pub name: Option<String>,
}

/// One entry of the language's `ports` map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortEntry {
    pub name: String,
    pub container: u16,
    /// `None`: not published.
    pub publish: Option<u16>,
    pub host_ip: Option<String>,
    /// `tcp`, `udp`, or both (in that order).
    pub protocols: Vec<String>,
}

impl PortEntry {
    /// The entry's value in the language.
    pub fn value(&self) -> LangValue {
        let plain = self.publish == Some(self.container)
            && self.host_ip.is_none()
            && self.protocols == ["tcp"];
        if plain {
            return LangValue::Int(i64::from(self.container));
        }
        let mut entries = vec![(
            "container".to_string(),
            LangValue::Int(i64::from(self.container)),
        )];
        // `publish = true` (on the container's number) is the default.
        match self.publish {
            None => entries.push(("publish".into(), LangValue::Bool(false))),
            Some(p) if p == self.container => {}
            Some(p) => entries.push(("publish".into(), LangValue::Int(i64::from(p)))),
        }
        match self.protocols.as_slice() {
            [one] if one == "tcp" => {}
            [one] => entries.push(("protocol".into(), LangValue::literal(one))),
            many => entries.push((
                "protocol".into(),
                LangValue::List(many.iter().map(|p| LangValue::literal(p)).collect()),
            )),
        }
        // An address only means something for a published port.
        if let (Some(ip), Some(_)) = (&self.host_ip, self.publish) {
            entries.push(("host_ip".into(), LangValue::literal(ip)));
        }
        LangValue::Map(entries)
    }
}

/// One item of a service's `ports`, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub mappings: Vec<PortMapping>,
    /// The run-time references the item held (`${APP_PORT:-8080}`), as
    /// written: each was read as its default, or as nothing without one
    /// (the language publishes a port on a number it names).
    pub references: Vec<String>,
}

/// Parses one item of a service's `ports`; `Err` says why it cannot be
/// read (the caller reports it).
pub fn parse_item(node: &Node) -> Result<Parsed, String> {
    let mut references = Vec::new();
    let mappings = match &node.value {
        Value::Int(n) => {
            let container = port(&n.to_string())?;
            vec![PortMapping {
                container,
                published: None,
                host_ip: None,
                protocol: "tcp".into(),
                name: None,
            }]
        }
        Value::String(s) => {
            let (text, found) = with_defaults(s);
            references = found;
            parse_short(&text)?
        }
        Value::Map(_) => parse_long(node, &mut references)?,
        _ => return Err("a port is a string, a number or a map".into()),
    };
    Ok(Parsed {
        mappings,
        references,
    })
}

fn port(text: &str) -> Result<u16, String> {
    match text.trim().parse::<u16>() {
        Ok(p) if p > 0 => Ok(p),
        _ if text.trim().is_empty() => Err("a port number is missing".into()),
        _ => Err(format!("`{text}` is not a port number (1-65535)")),
    }
}

/// `A` or `A-B` as the ports it covers.
fn range(text: &str) -> Result<Vec<u16>, String> {
    match text.split_once('-') {
        None => Ok(vec![port(text)?]),
        Some((a, b)) => {
            let (a, b) = (port(a)?, port(b)?);
            if b < a || b - a > 1000 {
                return Err(format!("`{text}` is not a port range"));
            }
            Ok((a..=b).collect())
        }
    }
}

/// The short syntax.
pub fn parse_short(text: &str) -> Result<Vec<PortMapping>, String> {
    let (spec, protocol) = match text.rsplit_once('/') {
        Some((spec, protocol)) => (spec, protocol.to_ascii_lowercase()),
        None => (text, "tcp".to_string()),
    };
    if !matches!(protocol.as_str(), "tcp" | "udp" | "sctp") {
        return Err(format!("`{protocol}` is not a protocol"));
    }
    // An IPv6 host address is written in brackets: `[::1]:8080:80`.
    let (host_ip, rest) = if let Some(stripped) = spec.strip_prefix('[') {
        let (ip, rest) = stripped
            .split_once("]:")
            .ok_or_else(|| format!("`{text}`: an unclosed `[`"))?;
        (Some(ip.to_string()), rest.to_string())
    } else {
        let parts: Vec<&str> = spec.split(':').collect();
        match parts.as_slice() {
            [ip, host, container] => (Some((*ip).to_string()), format!("{host}:{container}")),
            _ => (None, spec.to_string()),
        }
    };
    let (host, container) = match rest.split_once(':') {
        Some((host, container)) => (Some(host), container),
        None => (None, rest.as_str()),
    };
    let containers = range(container)?;
    let hosts = match host {
        None | Some("") => None,
        Some(h) => Some(range(h)?),
    };
    let host_ip = host_ip.filter(|ip| !ip.is_empty());
    let mut out = Vec::new();
    match hosts {
        None => {
            for c in containers {
                out.push(PortMapping {
                    container: c,
                    published: None,
                    host_ip: host_ip.clone(),
                    protocol: protocol.clone(),
                    name: None,
                });
            }
        }
        Some(hosts) if hosts.len() == containers.len() => {
            for (h, c) in hosts.into_iter().zip(containers) {
                out.push(PortMapping {
                    container: c,
                    published: Some(h),
                    host_ip: host_ip.clone(),
                    protocol: protocol.clone(),
                    name: None,
                });
            }
        }
        Some(_) => {
            return Err(format!(
                "`{text}`: a range of host ports Compose picks from, which a port cannot name"
            ))
        }
    }
    Ok(out)
}

fn parse_long(node: &Node, references: &mut Vec<String>) -> Result<Vec<PortMapping>, String> {
    // Each value read as Compose reads it with no variable set.
    let mut text = |key: &str| {
        node.get(key).and_then(Node::scalar_text).map(|t| {
            let (t, found) = with_defaults(&t);
            references.extend(found);
            t
        })
    };
    let target = text("target").ok_or("a port in the long form needs `target`")?;
    let container = port(&target)?;
    let published = match text("published") {
        None => None,
        Some(p) if p.is_empty() => None,
        Some(p) => {
            let ports = range(&p)?;
            match ports.as_slice() {
                [one] => Some(*one),
                _ => {
                    return Err(format!(
                        "`published: {p}`: a range of host ports Compose picks from"
                    ))
                }
            }
        }
    };
    Ok(vec![PortMapping {
        container,
        published,
        host_ip: text("host_ip").filter(|s| !s.is_empty()),
        protocol: text("protocol")
            .unwrap_or_else(|| "tcp".into())
            .to_ascii_lowercase(),
        name: node.get("name").and_then(Node::scalar_text),
    }])
}

/// The name of a well-known service's port.
pub fn known_name(port: u16) -> Option<&'static str> {
    Some(match port {
        21 => "ftp",
        22 => "ssh",
        25 => "smtp",
        53 => "dns",
        80 => "http",
        443 => "https",
        1433 => "mssql",
        1883 => "mqtt",
        1521 => "oracle",
        2181 => "zookeeper",
        3306 => "mysql",
        4222 => "nats",
        5432 => "postgres",
        5672 => "amqp",
        6379 => "redis",
        8080 => "http",
        8443 => "https",
        8086 => "influxdb",
        8091 => "couchbase",
        8125 => "statsd",
        8500 => "consul",
        9042 => "cassandra",
        9090 => "prometheus",
        9092 => "kafka",
        9200 => "elasticsearch",
        9300 => "transport",
        11211 => "memcached",
        15672 => "management",
        27017 => "mongodb",
        _ => return None,
    })
}

/// A port name from a long-form `name` (lowercased, other characters `-`),
/// when it follows the language's name rules.
fn clean_name(name: &str) -> Option<String> {
    let lowered: String = name
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let ok = lowered
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase())
        && lowered.len() <= 63;
    ok.then_some(lowered)
}

/// Groups mappings into named entries: a port on `tcp` and `udp` with the
/// same numbers and address is one entry with both protocols. A port Compose
/// publishes on a host port it picks is written unpublished (the caller
/// reports it: the language names every host port).
pub fn entries(mappings: &[PortMapping]) -> Vec<PortEntry> {
    let mut out: Vec<PortEntry> = Vec::new();
    for m in mappings {
        if let Some(existing) = out.iter_mut().find(|e| {
            e.container == m.container
                && e.publish == m.published
                && e.host_ip == m.host_ip
                && !e.protocols.contains(&m.protocol)
        }) {
            existing.protocols.push(m.protocol.clone());
            existing.protocols.sort();
            continue;
        }
        let base = m
            .name
            .as_deref()
            .and_then(clean_name)
            .or_else(|| known_name(m.container).map(str::to_string))
            .unwrap_or_else(|| format!("p{}", m.container));
        let mut name = base.clone();
        let mut n = 2;
        while out
            .iter()
            .any(|e| e.name == name || same_variable(&e.name, &name))
        {
            name = format!("{base}-{n}");
            n += 1;
        }
        out.push(PortEntry {
            name,
            container: m.container,
            publish: m.published,
            host_ip: m.host_ip.clone(),
            protocols: vec![m.protocol.clone()],
        });
    }
    out
}

/// Two port names that give one `STACK_PORT_*` variable.
fn same_variable(a: &str, b: &str) -> bool {
    a.replace('-', "_") == b.replace('-', "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn short(text: &str) -> Vec<PortMapping> {
        parse_short(text).unwrap_or_default()
    }

    #[test]
    fn short_forms() {
        let m = short("127.0.0.1:5433:5432");
        assert_eq!(m.len(), 1);
        assert_eq!(m.first().map(|m| m.container), Some(5432));
        assert_eq!(m.first().and_then(|m| m.published), Some(5433));
        assert_eq!(
            m.first().and_then(|m| m.host_ip.clone()).as_deref(),
            Some("127.0.0.1")
        );
        assert_eq!(short("8000-8002:9000-9002").len(), 3);
        assert_eq!(
            short("[::1]:80:80")
                .first()
                .and_then(|m| m.host_ip.clone())
                .as_deref(),
            Some("::1")
        );
        assert_eq!(
            short("53:53/udp").first().map(|m| m.protocol.as_str()),
            Some("udp")
        );
        assert_eq!(short("3000").first().and_then(|m| m.published), None);
        assert!(parse_short("x:80").is_err());
        assert!(parse_short("8000-8010:80").is_err());
    }

    #[test]
    fn entries_are_named_and_merged() {
        let mut all = short("53:53/tcp");
        all.extend(short("53:53/udp"));
        all.extend(short("5432:5432"));
        all.extend(short("8080:80"));
        all.extend(short("8081:80"));
        all.extend(short("7000:7000"));
        let e = entries(&all);
        let names: Vec<&str> = e.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["dns", "postgres", "http", "http-2", "p7000"]);
        assert_eq!(
            entries(&short("8125:8125/udp"))
                .first()
                .map(|e| e.name.as_str()),
            Some("statsd")
        );
        assert_eq!(
            e.first().map(|e| e.value().text()).as_deref(),
            Some("{ container = 53 protocol = [\"tcp\", \"udp\"] }")
        );
        assert_eq!(e.get(1).map(|e| e.value().text()).as_deref(), Some("5432"));
        assert_eq!(
            e.get(2).map(|e| e.value().text()).as_deref(),
            Some("{ container = 80 publish = 8080 }")
        );
    }
}
