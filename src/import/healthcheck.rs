//! A service's `healthcheck` as a `health { }` block: `CMD`/`CMD-SHELL` (or
//! a string) become a `command` check, a plain HTTP probe of the container
//! (`curl -f http://localhost:8080/health`) an `http` check on the port.
//!
//! Timing: Compose probes every `interval` (default 30s) and gives up after
//! `retries` failures (default 3) past `start_period`; the language's
//! `timeout` is that deadline, from which stackc derives `retries` again
//! (docs/compose.md, "Health checks").

use super::command::{join_words, split_words};
use super::interpolation::compose_unescape;
use super::lang_value::{describe, LangValue};
use super::ports::PortEntry;
use super::report::{Place, Reporter};
use super::yaml::{Node, Value};

/// The `health { }` block's attributes, in order.
pub type Health = Vec<(String, LangValue)>;

/// What a health check lost: the sub-key it is about (`None`: the whole
/// check), and in words, for the report.
pub type HealthIssue = (Option<&'static str>, String);

/// The outcome of reading `healthcheck`.
#[derive(Debug, Default)]
pub struct Read {
    pub health: Option<Health>,
    pub issues: Vec<HealthIssue>,
}

/// One W0006 per file for the health checks (`healthcheck` key, service
/// name) that give no probe `timeout`: Compose gives each probe 30s,
/// stackc `min(interval, 10s)`, so a probe slower than that now fails.
/// One per file, at its first such check, naming the services: the same
/// words at every service would be noise.
pub fn report_default_timeouts(untimed: &[(Place, String)], report: &mut Reporter) {
    let mut files: Vec<_> = untimed.iter().map(|(p, _)| p.file).collect();
    files.dedup();
    for file in files {
        let here: Vec<&(Place, String)> = untimed.iter().filter(|(p, _)| p.file == file).collect();
        let Some((first, _)) = here.first() else {
            continue;
        };
        let mut names: Vec<String> = here.iter().map(|(_, n)| format!("`{n}`")).collect();
        names.dedup();
        report.approximated(
            *first,
            format!(
                "health check without `timeout` ({}): Compose gives each probe 30s, stackc `min(interval, 10s)`, so a probe slower than that now fails",
                names.join(", ")
            ),
            "if the probes answer in time, write in each `healthcheck` a `timeout` of `min(interval, 10s)` (`timeout: 10s` for the default interval); nothing is reported then",
        );
    }
}

/// Reads `healthcheck` against the component's ports.
pub fn read(node: &Node, ports: &[PortEntry]) -> Read {
    let mut out = Read::default();
    if node
        .get("disable")
        .is_some_and(|d| d.value == Value::Bool(true))
    {
        out.issues.push((
            Some("disable"),
            "`disable: true` turns the image's own health check off; the language cannot: \
             the image's check (if any) runs"
                .into(),
        ));
        return out;
    }
    let command = match node.get("test").map(|t| &t.value) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::List(items)) => {
            let words: Vec<String> = items.iter().filter_map(Node::scalar_text).collect();
            match words.split_first() {
                Some((first, rest)) if first == "NONE" => {
                    out.issues.push((
                        Some("test"),
                        "`NONE` turns the image's own health check off; the language cannot: \
                         the image's check (if any) runs"
                            .into(),
                    ));
                    let _ = rest;
                    return out;
                }
                Some((first, rest)) if first == "CMD-SHELL" => Some(rest.join(" ")),
                Some((first, rest)) if first == "CMD" => Some(join_words(rest)),
                _ => {
                    out.issues.push((
                        Some("test"),
                        "`test` starts with neither `CMD` nor `CMD-SHELL`".into(),
                    ));
                    return out;
                }
            }
        }
        _ => None,
    };
    let Some(command) = command.filter(|c| !c.trim().is_empty()) else {
        out.issues.push((
            None,
            "a health check without a `test` (it only changes the image's own check's timing)"
                .into(),
        ));
        return out;
    };
    // Compose unescapes `$$` (and expands references) before the probe
    // runs; the language's `command` is run as written.
    let (command, lost) = compose_unescape(&command);
    for loss in lost {
        out.issues.push((
            Some("test"),
            describe(&loss).replace(
                "kept as literal text",
                "passed to the probe as written, not expanded by Compose",
            ),
        ));
    }
    let interval = duration_of(node, "interval", &mut out.issues).unwrap_or(30_000);
    let retries = node
        .get("retries")
        .and_then(|r| match r.value {
            Value::Int(i) if i > 0 => u64::try_from(i).ok(),
            _ => None,
        })
        .unwrap_or(3);
    let start = duration_of(node, "start_period", &mut out.issues).unwrap_or(0);
    // stackc gives each probe `min(interval, 10s)`: reported only where
    // that is shorter than the file's, so that a probe that passed may now
    // fail; a longer one fails no probe the original passed.
    let probe = interval.min(10_000);
    if let Some(timeout) = duration_of(node, "timeout", &mut out.issues) {
        if timeout > probe {
            out.issues.push((
                Some("timeout"),
                format!(
                    "`timeout: {}` (one probe's) becomes {}: stackc gives each probe `min(interval, 10s)`; a slower probe now fails",
                    write_duration(timeout),
                    write_duration(probe)
                ),
            ));
        }
    }
    if node.get("start_interval").is_some() {
        out.issues.push((
            Some("start_interval"),
            "`start_interval`: stackc probes at `interval` from the start".into(),
        ));
    }
    if start > 0 {
        out.issues.push((
            Some("start_period"),
            "`start_period`: added to the deadline (`timeout`), as failures during start-up count"
                .into(),
        ));
    }
    let mut deadline = interval
        .saturating_mul(retries)
        .saturating_add(start)
        .max(interval);
    if deadline > MAX_MS {
        deadline = MAX_MS;
        out.issues.push((
            Some("retries"),
            format!(
                "the deadline (`interval × retries + start_period`) is longer than a duration Compose reads; it is cut to {}",
                write_duration(MAX_MS)
            ),
        ));
    }
    let mut health = match http_probe(&command, ports) {
        Some((path, port)) => vec![
            ("http".to_string(), LangValue::literal(&path)),
            ("port".to_string(), LangValue::Name(port)),
        ],
        None => vec![("command".to_string(), LangValue::literal(&command))],
    };
    health.push(("interval".into(), LangValue::Name(write_duration(interval))));
    health.push(("timeout".into(), LangValue::Name(write_duration(deadline))));
    out.health = Some(health);
    out
}

/// The longest duration written, in whole hours: Compose (Go) reads at
/// most `i64::MAX` nanoseconds, and so does the language.
const MAX_MS: u64 = (i64::MAX as u64 / 1_000_000) / 3_600_000 * 3_600_000;

fn duration_of(node: &Node, key: &'static str, issues: &mut Vec<HealthIssue>) -> Option<u64> {
    let text = node.get(key)?.scalar_text()?;
    match parse_duration(&text) {
        Some(ms) if ms > MAX_MS => {
            issues.push((
                Some(key),
                format!("`{key}: {text}` is longer than a duration Compose reads; Compose's default is used"),
            ));
            None
        }
        Some(0) | None => {
            issues.push((
                Some(key),
                format!("`{key}: {text}` is not a duration above zero; Compose's default is used"),
            ));
            None
        }
        some => some,
    }
}

/// A Go duration (`1m30s`, `500ms`, `2h`; Compose's form) in milliseconds.
/// Fractions below a millisecond are dropped.
pub fn parse_duration(text: &str) -> Option<u64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if text == "0" {
        return Some(0);
    }
    let mut total: f64 = 0.0;
    let mut rest = text;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = rest.get(..number_len)?.parse().ok()?;
        rest = rest.get(number_len..)?;
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let factor = match rest.get(..unit_len)? {
            "ns" => 1e-6,
            "us" | "µs" => 1e-3,
            "ms" => 1.0,
            "s" => 1000.0,
            "m" => 60_000.0,
            "h" => 3_600_000.0,
            _ => return None,
        };
        rest = rest.get(unit_len..)?;
        total += number * factor;
    }
    (total.is_finite() && total < 1e15).then_some(total as u64)
}

/// Milliseconds in the language's one-unit form (`90s`, `2m`, `1500ms`).
pub fn write_duration(ms: u64) -> String {
    if ms > 0 && ms.is_multiple_of(3_600_000) {
        format!("{}h", ms / 3_600_000)
    } else if ms > 0 && ms.is_multiple_of(60_000) {
        format!("{}m", ms / 60_000)
    } else if ms.is_multiple_of(1000) {
        format!("{}s", ms / 1000)
    } else {
        format!("{ms}ms")
    }
}

/// `(path, port name)` when the command is plainly an HTTP GET of the
/// container itself by curl or wget, failing on an error status, of a
/// declared port: `curl -f http://localhost:8080/health`,
/// `wget -q --spider http://127.0.0.1/`, optionally `|| exit 1`.
pub fn http_probe(command: &str, ports: &[PortEntry]) -> Option<(String, String)> {
    let command = command.trim();
    let command = command
        .strip_suffix("|| exit 1")
        .map(str::trim_end)
        .unwrap_or(command);
    let words = split_words(command)?;
    let (program, args) = words.split_first()?;
    let mut url = None;
    let mut fails = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let arg = arg.as_str();
        if arg.starts_with("http://") {
            if url.is_some() {
                return None;
            }
            url = Some(arg);
            continue;
        }
        match (program.as_str(), arg) {
            ("curl", "-f" | "--fail" | "-fs" | "-sf" | "-fsS" | "-sSf" | "-fS" | "-Sf") => {
                fails = true
            }
            ("curl", "-s" | "-S" | "-sS" | "--silent" | "--show-error") => {}
            ("curl" | "wget", "-o" | "-O") => {
                let target = args.next()?;
                if target != "/dev/null" && target != "-" {
                    return None;
                }
            }
            ("wget", "-q" | "--quiet" | "--spider" | "-qO-" | "-qO" | "-O-") => fails = true,
            _ => return None,
        }
    }
    if !fails {
        return None;
    }
    let rest = url?.strip_prefix("http://")?;
    let (authority, path) = match rest.find('/') {
        Some(at) => (rest.get(..at)?, rest.get(at..)?),
        None => (rest, "/"),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host, port.parse::<u16>().ok()?),
        None => (authority, 80),
    };
    if !matches!(host, "localhost" | "127.0.0.1") {
        return None;
    }
    if path.contains(['#', ' ', '"', '\'', '$', '`', '\\', ';', '|', '&', '<', '>']) {
        return None;
    }
    let entry = ports.iter().find(|p| p.container == port)?;
    Some((path.to_string(), entry.name.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn port(name: &str, container: u16) -> PortEntry {
        PortEntry {
            name: name.into(),
            container,
            publish: Some(container),
            host_ip: None,
            protocols: vec!["tcp".into()],
        }
    }

    #[test]
    fn probes_see_what_compose_gives_them() {
        let node =
            crate::import::yaml::parse("test: [CMD-SHELL, 'test -n \"$$HOME\" && echo ${X}']\n")
                .unwrap_or_else(|e| panic!("{e:?}"));
        let read = read(&node, &[]);
        let text = read
            .health
            .map(|h| h.first().map(|(_, v)| v.text()))
            .unwrap_or_default();
        assert_eq!(
            text.as_deref(),
            Some("\"test -n \\\"$HOME\\\" && echo ${X}\"")
        );
        assert_eq!(read.issues.len(), 1);
    }

    #[test]
    fn a_probe_timeout_is_reported_only_where_it_changes() {
        let issues = |text: &str| {
            let node = crate::import::yaml::parse(text).unwrap_or_else(|e| panic!("{e:?}"));
            read(&node, &[]).issues
        };
        // `min(3s, 10s)` is what the file says: nothing to report.
        assert!(issues("test: [CMD, true]\ninterval: 3s\ntimeout: 3s\n").is_empty());
        assert!(issues("test: [CMD, true]\ninterval: 1m\ntimeout: 10s\n").is_empty());
        // Longer than the file's: no probe that passed fails.
        assert!(issues("test: [CMD, true]\ninterval: 30s\ntimeout: 5s\n").is_empty());
        let shorter = issues("test: [CMD, true]\ninterval: 30s\ntimeout: 20s\n");
        assert_eq!(shorter.len(), 1);
        assert_eq!(shorter.first().map(|(k, _)| *k), Some(Some("timeout")));
        assert!(
            shorter
                .first()
                .is_some_and(|(_, m)| m.contains("`timeout: 20s`") && m.contains("becomes 10s")),
            "{shorter:?}"
        );
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("1m30s"), Some(90_000));
        assert_eq!(parse_duration("500ms"), Some(500));
        assert_eq!(parse_duration("1.5s"), Some(1500));
        assert_eq!(parse_duration("5 s"), None);
        assert_eq!(write_duration(90_000), "90s");
        assert_eq!(write_duration(120_000), "2m");
        assert_eq!(write_duration(1500), "1500ms");
    }

    #[test]
    fn http_probes_are_recognised() {
        let ports = [port("http", 8080)];
        assert_eq!(
            http_probe("curl -f http://localhost:8080/health", &ports),
            Some(("/health".into(), "http".into()))
        );
        assert_eq!(
            http_probe("wget -q --spider http://127.0.0.1:8080/ || exit 1", &ports),
            Some(("/".into(), "http".into()))
        );
        assert_eq!(
            http_probe("curl http://localhost:8080/health", &ports),
            None
        );
        assert_eq!(
            http_probe("curl -f http://localhost:9999/health", &ports),
            None
        );
        assert_eq!(http_probe("curl -f http://db:8080/", &ports), None);
        assert_eq!(
            http_probe("curl -f http://localhost:8080/ && echo", &ports),
            None
        );
    }
}
