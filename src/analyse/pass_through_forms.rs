//! The pass-through value forms Compose (or Docker) parses itself, beyond
//! its schema: each rule below was checked against Docker Compose v5.6.1's
//! `docker compose config`, except `restart`, which Compose passes on and
//! the Docker engine refuses when it creates the container. A string that
//! holds a `${...}` reference is left alone: Compose replaces it first.

use super::pass_through_node::{NodeKind, PassNode};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::syntax::ast::Ident;

/// Go duration units, and the day and week Compose adds.
const DURATION_UNITS: [&str; 10] = ["ns", "us", "µs", "μs", "ms", "s", "m", "h", "d", "w"];

/// Byte-size suffixes Compose takes after the number, any case.
const SIZE_SUFFIXES: [&str; 16] = [
    "", "b", "k", "kb", "kib", "m", "mb", "mib", "g", "gb", "gib", "t", "tb", "tib", "p", "pb",
];

/// Reports the value of `key` when its form is one Compose cannot read.
pub fn forms(key: &Ident, node: &PassNode, diagnostics: &mut Diagnostics) {
    let name = key.name.as_str();
    match name {
        "stop_grace_period" => each(
            name,
            node,
            is_duration,
            "a duration such as `10s` or `1m30s`",
            diagnostics,
        ),
        "mem_limit" | "memswap_limit" | "mem_reservation" | "shm_size" => {
            each(
                name,
                node,
                is_size,
                "a byte size such as `512m` or `2g`",
                diagnostics,
            );
        }
        "cpus" => each(
            name,
            node,
            is_cpus,
            "a number of CPUs such as `0.5`",
            diagnostics,
        ),
        "restart" => each(
            name,
            node,
            is_restart,
            "`no`, `always`, `unless-stopped`, `on-failure` or `on-failure:3`",
            diagnostics,
        ),
        "extra_hosts" => {
            if let NodeKind::List(items) = &node.kind {
                for (i, item) in items.iter().enumerate() {
                    let path = format!("extra_hosts[{i}]");
                    each(
                        &path,
                        item,
                        is_host_entry,
                        "`host:ip` or `host=ip`, as in `db:10.0.0.2`",
                        diagnostics,
                    );
                }
            }
        }
        "ulimits" => ulimits(node, diagnostics),
        "deploy" => {
            if let Some((_, policy)) = node.entry("restart_policy") {
                if let Some((_, delay)) = policy.entry("delay") {
                    each(
                        "deploy.restart_policy.delay",
                        delay,
                        is_duration,
                        "a duration such as `5s`",
                        diagnostics,
                    );
                }
            }
        }
        _ => {}
    }
}

/// `ulimits`: each limit, or its `soft` and `hard`, is an integer; Compose
/// reads a string there as one.
fn ulimits(node: &PassNode, diagnostics: &mut Diagnostics) {
    let NodeKind::Map(entries) = &node.kind else {
        return;
    };
    for (limit, value) in entries {
        let path = format!("ulimits.{}", limit.name);
        for bound in ["soft", "hard"] {
            if let Some((_, v)) = value.entry(bound) {
                each(
                    &format!("{path}.{bound}"),
                    v,
                    is_integer,
                    "an integer such as `1024`",
                    diagnostics,
                );
            }
        }
        each(
            &path,
            value,
            is_integer,
            "an integer such as `1024`",
            diagnostics,
        );
    }
}

/// Reports `node` when it is a string (without a reference) that `valid`
/// refuses; `expected` says what Compose takes, with an example.
fn each(
    path: &str,
    node: &PassNode,
    valid: fn(&str) -> bool,
    expected: &str,
    diagnostics: &mut Diagnostics,
) {
    let NodeKind::String(literal) = &node.kind else {
        return;
    };
    let text = literal.value.as_str();
    if text.contains("${") || valid(text) {
        return;
    }
    diagnostics.push(
        Diagnostic::error(
            Code::OutOfRange,
            format!("`{path}`: Docker cannot read `{text}`; it takes {expected}"),
        )
        .at(node.span)
        .with_label("refused by Docker")
        .with_help(format!("write {expected}")),
    );
}

/// Go's `time.ParseDuration` form (`1m30s`, `.5s`, `-1s`, `0`), with the
/// units Compose adds.
pub fn is_duration(text: &str) -> bool {
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    if body == "0" {
        return true;
    }
    let mut rest = body;
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let number_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (number, after) = rest.split_at(number_end);
        if !number.chars().any(|c| c.is_ascii_digit()) || number.matches('.').count() > 1 {
            return false;
        }
        let Some(after_unit) = DURATION_UNITS
            .iter()
            .filter_map(|u| after.strip_prefix(*u))
            .min_by_key(|r| r.len())
        else {
            return false;
        };
        rest = after_unit;
    }
    true
}

/// A byte size: `-1`, or a number, an optional space and a suffix
/// (`512m`, `1.5g`, `1 KiB`).
pub fn is_size(text: &str) -> bool {
    if text == "-1" {
        return true;
    }
    let number_end = text
        .find(|c: char| !(c.is_ascii_digit() || ".eE".contains(c)))
        .unwrap_or(text.len());
    let (number, suffix) = text.split_at(number_end);
    let suffix = suffix
        .strip_prefix(' ')
        .unwrap_or(suffix)
        .to_ascii_lowercase();
    !number.is_empty() && number.parse::<f64>().is_ok() && SIZE_SUFFIXES.contains(&suffix.as_str())
}

/// A finite decimal number, as Go's `strconv.ParseFloat` reads it.
pub fn is_cpus(text: &str) -> bool {
    let plain = text.replace('_', "");
    text.chars()
        .all(|c| c.is_ascii_digit() || "._eE+-".contains(c))
        && plain.parse::<f64>().is_ok_and(f64::is_finite)
}

/// A restart policy the Docker engine takes.
pub fn is_restart(text: &str) -> bool {
    match text.strip_prefix("on-failure") {
        Some("") => true,
        Some(count) => count
            .strip_prefix(':')
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())),
        None => matches!(text, "no" | "always" | "unless-stopped"),
    }
}

/// `host:ip` or `host=ip`, with a host before the separator.
pub fn is_host_entry(text: &str) -> bool {
    let separator = if text.contains('=') { '=' } else { ':' };
    text.split_once(separator)
        .is_some_and(|(host, _)| !host.is_empty())
}

/// An integer, as Go's `strconv.Atoi` reads it.
pub fn is_integer(text: &str) -> bool {
    text.parse::<i64>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_compose_takes_and_refuses() {
        for ok in [
            "10s", "1m30s", "1.5s", ".5s", "5.s", "-1s", "+5s", "0", "1d", "1w", "10µs",
        ] {
            assert!(is_duration(ok), "{ok}");
        }
        for bad in ["10 sec", "10", "", "1S", "1y", "1h2", "1h 2m"] {
            assert!(!is_duration(bad), "{bad}");
        }
        for ok in [
            "512m", "512mb", "512MB", "1.5g", "512 m", "1KiB", "100", "-1", "1e3",
        ] {
            assert!(is_size(ok), "{ok}");
        }
        for bad in ["lots", " 512m", "1gi", "1i", "1x", "-5m", "1.5.5g", "1  m"] {
            assert!(!is_size(bad), "{bad}");
        }
        for ok in ["0.5", "1e2", "-1", ".5", "1_0", "1.", "+1"] {
            assert!(is_cpus(ok), "{ok}");
        }
        for bad in ["half", " 1", "inf", "NaN", "0x10", "1e400", ""] {
            assert!(!is_cpus(bad), "{bad}");
        }
        for bad in ["nocolon", ":1.2.3.4"] {
            assert!(!is_host_entry(bad), "{bad}");
        }
        for ok in ["a:1.2.3.4", "a=::1", "a:::1", "a:host-gateway", "a:"] {
            assert!(is_host_entry(ok), "{ok}");
        }
        assert!(is_restart("on-failure:3") && is_restart("no") && !is_restart("sometimes"));
        assert!(!is_restart("on-failure:") && !is_restart("always:3"));
    }
}
