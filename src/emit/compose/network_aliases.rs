//! Extra names a service answers to on the project's default network
//! (Compose's `networks: { default: { aliases: [...] } }`), merged with the
//! networks the spec passes through.

use super::pass_through_rewrite::DEFAULT_NETWORK;
use crate::model::{PassValue, Text};

/// The service's `networks` value with `alias` added on the default
/// network. `networks` is what the service has so far (the pass-through,
/// already rewritten): a list of names becomes the map form, which alone
/// can carry aliases; a `default` entry keeps its options and gets the
/// alias appended to its `aliases`; without one, `default` is added. The
/// service stays on every network it named.
pub fn with_alias(networks: Option<&PassValue>, alias: &str) -> PassValue {
    let alias_value = PassValue::String(Text::literal(alias));
    let mut entries: Vec<(String, PassValue)> = match networks {
        Some(PassValue::List(items)) => items
            .iter()
            .filter_map(|item| match item {
                PassValue::String(name) => Some((name.display(), PassValue::Map(Vec::new()))),
                _ => None,
            })
            .collect(),
        Some(PassValue::Map(entries)) => entries.clone(),
        _ => Vec::new(),
    };
    match entries.iter_mut().find(|(name, _)| name == DEFAULT_NETWORK) {
        Some((_, options)) => {
            let mut fields = match options {
                PassValue::Map(fields) => fields.clone(),
                _ => Vec::new(),
            };
            match fields.iter_mut().find(|(key, _)| key == "aliases") {
                Some((_, PassValue::List(aliases))) => {
                    if !aliases.contains(&alias_value) {
                        aliases.push(alias_value);
                    }
                }
                Some((_, other)) => *other = PassValue::List(vec![alias_value]),
                None => fields.push(("aliases".to_string(), PassValue::List(vec![alias_value]))),
            }
            *options = PassValue::Map(fields);
        }
        None => entries.push((
            DEFAULT_NETWORK.to_string(),
            PassValue::Map(vec![(
                "aliases".to_string(),
                PassValue::List(vec![alias_value]),
            )]),
        )),
    }
    PassValue::Map(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: &str) -> PassValue {
        PassValue::String(Text::literal(value))
    }

    fn aliases(names: &[&str]) -> PassValue {
        PassValue::Map(vec![(
            "aliases".into(),
            PassValue::List(names.iter().map(|n| text(n)).collect()),
        )])
    }

    #[test]
    fn no_networks_gives_the_default_one_with_the_alias() {
        assert_eq!(
            with_alias(None, "api-blue"),
            PassValue::Map(vec![("default".into(), aliases(&["api-blue"]))])
        );
    }

    #[test]
    fn a_list_becomes_a_map_keeping_every_network() {
        let list = PassValue::List(vec![text("backend"), text("default")]);
        assert_eq!(
            with_alias(Some(&list), "api"),
            PassValue::Map(vec![
                ("backend".into(), PassValue::Map(Vec::new())),
                ("default".into(), aliases(&["api"])),
            ])
        );
    }

    #[test]
    fn default_keeps_its_options_and_aliases() {
        let map = PassValue::Map(vec![
            (
                "default".into(),
                PassValue::Map(vec![
                    ("priority".into(), PassValue::Integer(10)),
                    ("aliases".into(), PassValue::List(vec![text("legacy")])),
                ]),
            ),
            ("frontend".into(), PassValue::Map(Vec::new())),
        ]);
        assert_eq!(
            with_alias(Some(&map), "api-blue"),
            PassValue::Map(vec![
                (
                    "default".into(),
                    PassValue::Map(vec![
                        ("priority".into(), PassValue::Integer(10)),
                        (
                            "aliases".into(),
                            PassValue::List(vec![text("legacy"), text("api-blue")])
                        ),
                    ]),
                ),
                ("frontend".into(), PassValue::Map(Vec::new())),
            ])
        );
    }
}
