//! `links` aliases (`db:database`) carried as network aliases: the linked
//! service gets `compose { networks { default { aliases = [...] } } }`,
//! merged with the networks it already names. An alias the analyser would
//! refuse (another component's name, a fixtures loader's service name:
//! docs/language.md, E0119) is reported instead.

use std::collections::BTreeSet;

use super::component::Component;
use super::lang_value::LangValue;
use super::report::Reporter;

/// Gives each linked component the aliases the `links` of `components`
/// name it by.
pub fn apply(components: &mut [Component], report: &mut Reporter) {
    let names: BTreeSet<String> = components.iter().map(|c| c.name.clone()).collect();
    let wanted: Vec<_> = components
        .iter()
        .flat_map(|c| c.aliases.iter().cloned())
        .collect();
    for link in wanted {
        if let Some(clash) = refused(&link.alias, &names) {
            report.dropped(
                link.place,
                format!(
                    "the link alias `{}` is not imported: it is {clash}, so the name would reach two containers",
                    link.alias
                ),
                format!("reach the service as `{}`", link.target),
            );
            continue;
        }
        let Some(target) = components.iter_mut().find(|c| c.name == link.target) else {
            // A dependency none of the files declares: reported already.
            continue;
        };
        add_alias(&mut target.body.compose, &link.alias);
    }
}

/// What makes `alias` a name the analyser refuses as a network alias.
fn refused(alias: &str, components: &BTreeSet<String>) -> Option<String> {
    if components.contains(alias) {
        return Some(format!("the component `{alias}`'s name"));
    }
    // `COMPONENT-fixtures-DEPENDENCY`, the service a fixtures loader runs as.
    let (owner, dependency) = alias.split_once("-fixtures-")?;
    (components.contains(owner) && components.contains(dependency))
        .then(|| "a fixtures loader's service name".to_string())
}

/// Adds `alias` to `networks.default.aliases` of a pass-through.
fn add_alias(compose: &mut Vec<(String, LangValue)>, alias: &str) {
    let position = match compose.iter().position(|(k, _)| k == "networks") {
        Some(at) => at,
        None => {
            compose.push(("networks".into(), LangValue::Map(Vec::new())));
            compose.len() - 1
        }
    };
    let Some((_, networks)) = compose.get_mut(position) else {
        return;
    };
    // The list form (`[backend]`) as the map form: aliases need it.
    if let LangValue::List(items) = networks {
        let entries = items
            .iter()
            .filter_map(|item| match item {
                LangValue::String(s) => Some((s.0.clone(), LangValue::Map(Vec::new()))),
                LangValue::Name(n) => Some((n.clone(), LangValue::Map(Vec::new()))),
                _ => None,
            })
            .collect();
        *networks = LangValue::Map(entries);
    }
    let LangValue::Map(entries) = networks else {
        return;
    };
    let default = match entries.iter().position(|(k, _)| k == "default") {
        Some(at) => at,
        None => {
            entries.push(("default".into(), LangValue::Map(Vec::new())));
            entries.len() - 1
        }
    };
    let Some((_, settings)) = entries.get_mut(default) else {
        return;
    };
    if !matches!(settings, LangValue::Map(_)) {
        *settings = LangValue::Map(Vec::new());
    }
    let LangValue::Map(settings) = settings else {
        return;
    };
    let aliases = match settings.iter().position(|(k, _)| k == "aliases") {
        Some(at) => at,
        None => {
            settings.push(("aliases".into(), LangValue::List(Vec::new())));
            settings.len() - 1
        }
    };
    if let Some((_, LangValue::List(list))) = settings.get_mut(aliases) {
        let value = LangValue::literal(alias);
        if !list.contains(&value) {
            list.push(value);
        }
    }
}
