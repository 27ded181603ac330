//! A variable's value in each environment of the model.

use std::sync::Arc;

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::Text;

/// A variable's value in each environment, by environment name.
///
/// The names are shared by every variable of the model (one list, in the
/// model's order), and each value sits at its environment's place: a map
/// per variable cost a tree node and a copy of every name (about 600 bytes
/// per distinct value of a large workspace). Serialized as a map in the
/// names' sorted order, as a `BTreeMap` was.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EnvValues {
    /// The environments' names; shared.
    environments: Arc<[String]>,
    /// `texts[i]` is the value in `environments[i]`; `None` where none was
    /// resolved (a template that failed to render there).
    texts: Box<[Option<Text>]>,
}

impl EnvValues {
    /// The values `texts`, one per name of `environments` in the same
    /// order (`None`: no value there). Missing ones at the end are `None`;
    /// extra ones are dropped.
    pub fn new(environments: Arc<[String]>, mut texts: Vec<Option<Text>>) -> EnvValues {
        texts.resize(environments.len(), None);
        EnvValues {
            environments,
            texts: texts.into_boxed_slice(),
        }
    }

    /// `text` in every one of `environments`.
    pub fn everywhere(environments: Arc<[String]>, text: &Text) -> EnvValues {
        let texts = vec![Some(text.clone()); environments.len()];
        EnvValues::new(environments, texts)
    }

    /// The value in `environment`, if it has one.
    pub fn get(&self, environment: &str) -> Option<&Text> {
        let index = self.environments.iter().position(|e| e == environment)?;
        self.texts.get(index)?.as_ref()
    }

    /// Every value, in the environments' order.
    pub fn values(&self) -> impl Iterator<Item = &Text> {
        self.texts.iter().flatten()
    }

    /// Every environment's value, in the environments' order (not sorted).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Text)> {
        self.environments
            .iter()
            .zip(self.texts.iter())
            .filter_map(|(name, text)| Some((name.as_str(), text.as_ref()?)))
    }
}

impl<'n> FromIterator<(&'n str, Text)> for EnvValues {
    /// The values of the pairs `(environment, value)`, in their order.
    fn from_iter<I: IntoIterator<Item = (&'n str, Text)>>(pairs: I) -> EnvValues {
        let (names, texts): (Vec<String>, Vec<Option<Text>>) = pairs
            .into_iter()
            .map(|(name, text)| (name.to_string(), Some(text)))
            .unzip();
        EnvValues::new(names.into(), texts)
    }
}

impl Serialize for EnvValues {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut pairs: Vec<(&str, &Text)> = self.iter().collect();
        pairs.sort_unstable_by_key(|(name, _)| *name);
        let mut map = serializer.serialize_map(Some(pairs.len()))?;
        for (name, text) in pairs {
            map.serialize_entry(name, text)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_found_by_name_and_serialized_sorted() {
        let names: Arc<[String]> = vec!["test".to_string(), "dev".to_string()].into();
        let values = EnvValues::new(names, vec![Some(Text::literal("a"))]);
        assert_eq!(values.get("test"), Some(&Text::literal("a")));
        assert_eq!(values.get("dev"), None);
        assert_eq!(values.get("prod"), None);
        let both: EnvValues = [("test", Text::literal("a")), ("dev", Text::literal("b"))]
            .into_iter()
            .collect();
        assert_eq!(
            serde_json::to_string(&both).ok().as_deref(),
            Some(r#"{"dev":{"parts":[{"Literal":"b"}]},"test":{"parts":[{"Literal":"a"}]}}"#)
        );
    }
}
