//! What `docker compose config --format json` says about a project, as
//! records the round trip compares field by field. The only reshaping is
//! flattening: a map-valued key whose entries are compared one by one
//! (`environment`, `depends_on`, `healthcheck`, ...) becomes one field per
//! entry (`environment.PGHOST`), so a difference names the entry. Nothing
//! is dropped or rewritten here: every difference the round trip forgives
//! is an entry of `difference::DIFFERENCES`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

/// Service keys whose map values are compared entry by entry.
const FLATTENED: [&str; 10] = [
    "environment",
    "depends_on",
    "healthcheck",
    "networks",
    "labels",
    "build",
    "ulimits",
    "logging",
    "deploy",
    "extra_hosts",
];

/// Top-level keys of declared resources, compared entry by entry.
const RESOURCES: [&str; 4] = ["networks", "volumes", "secrets", "configs"];

/// A service's fields: `image`, `command`, `environment.PGHOST`, ...
pub type Fields = BTreeMap<String, Value>;

/// One project as Compose read it.
#[derive(Debug)]
pub struct Project {
    /// The top-level `name`.
    pub name: String,
    /// Each service's fields, by service name.
    pub services: BTreeMap<String, Fields>,
    /// Declared resources: `networks.backend`, `volumes.pgdata`, ...
    pub resources: Fields,
}

impl Project {
    /// The records of `config`, the JSON `docker compose config` printed.
    pub fn from_config(config: &Value) -> Project {
        let name = config["name"].as_str().unwrap_or_default().to_owned();
        let services = config["services"]
            .as_object()
            .map(|services| {
                services
                    .iter()
                    .map(|(name, service)| (name.clone(), fields(service)))
                    .collect()
            })
            .unwrap_or_default();
        let mut resources = Fields::new();
        for key in RESOURCES {
            if let Some(map) = config[key].as_object() {
                for (name, value) in map {
                    resources.insert(format!("{key}.{name}"), value.clone());
                }
            }
        }
        Project {
            name,
            services,
            resources,
        }
    }

    /// The union of several projects' services (each original file read by
    /// Compose on its own); a service in several must be described the same.
    pub fn union(projects: Vec<(String, Project)>) -> Result<Project, String> {
        let mut merged: Option<Project> = None;
        let mut from: BTreeMap<String, String> = BTreeMap::new();
        for (file, project) in projects {
            let Some(into) = merged.as_mut() else {
                for service in project.services.keys() {
                    from.insert(service.clone(), file.clone());
                }
                merged = Some(project);
                continue;
            };
            for (service, fields) in project.services {
                match into.services.get(&service) {
                    Some(existing) if existing != &fields => {
                        return Err(format!(
                            "service {service} differs between {} and {file}",
                            from[&service]
                        ))
                    }
                    Some(_) => {}
                    None => {
                        from.insert(service.clone(), file.clone());
                        into.services.insert(service, fields);
                    }
                }
            }
            for (key, value) in project.resources {
                // Each file's resources carry its own project name; the
                // first file's project names them all.
                into.resources.entry(key).or_insert(value);
            }
        }
        merged.ok_or_else(|| "no original file".to_owned())
    }
}

/// A service's fields, flattened one level for [`FLATTENED`] keys.
pub fn fields(service: &Value) -> Fields {
    let mut out = Fields::new();
    let empty = Map::new();
    for (key, value) in service.as_object().unwrap_or(&empty) {
        match value {
            Value::Object(map) if FLATTENED.contains(&key.as_str()) => {
                for (entry, value) in map {
                    out.insert(format!("{key}.{entry}"), value.clone());
                }
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    out
}

/// Every field name of two records, sorted.
pub fn keys<'a>(a: &'a Fields, b: &'a Fields) -> BTreeSet<&'a String> {
    a.keys().chain(b.keys()).collect()
}

/// A Go duration as Compose prints it (`1m30s`, `500ms`, `10s`), in
/// milliseconds.
pub fn millis(text: &str) -> Option<u64> {
    let mut total = 0u64;
    let mut number = String::new();
    let mut chars = text.chars().peekable();
    if text.is_empty() {
        return None;
    }
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let value: u64 = number.parse().ok()?;
        number.clear();
        let unit = match c {
            'h' => 3_600_000,
            'm' if chars.peek() == Some(&'s') => {
                chars.next();
                1
            }
            'm' => 60_000,
            's' => 1_000,
            _ => return None,
        };
        total += value * unit;
    }
    number.is_empty().then_some(total)
}

/// A health check's `interval`, `timeout`, `retries` and `start_period` in
/// `fields`, Compose's defaults (30s, 30s, 3, 0s) where unset, in
/// milliseconds and a count.
pub fn health_timing(fields: &Fields) -> Option<(u64, u64, u64, u64)> {
    let duration = |key: &str, default: u64| match fields.get(key) {
        None | Some(Value::Null) => Some(default),
        Some(value) => millis(value.as_str()?),
    };
    let retries = match fields.get("healthcheck.retries") {
        None | Some(Value::Null) => 3,
        Some(value) => value.as_u64()?,
    };
    Some((
        duration("healthcheck.interval", 30_000)?,
        duration("healthcheck.timeout", 30_000)?,
        retries,
        duration("healthcheck.start_period", 0)?,
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn durations() {
        assert_eq!(super::millis("1m30s"), Some(90_000));
        assert_eq!(super::millis("500ms"), Some(500));
        assert_eq!(super::millis("2h"), Some(7_200_000));
        assert_eq!(super::millis("10"), None);
        assert_eq!(super::millis(""), None);
    }
}
