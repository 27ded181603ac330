//! A `compose { }` pass-through value, serialized as YAML.

use std::borrow::Cow;

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::model::PassValue;

/// A [`PassValue`], borrowed from the Model or rewritten by the emitter
/// (host paths, networks): strings keep their `${VAR}` references and get
/// literal `$` doubled, integers and booleans stay typed, lists and maps
/// keep the order written.
#[derive(Debug, Clone)]
pub struct PassThroughValue<'a>(pub Cow<'a, PassValue>);

impl Serialize for PassThroughValue<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0.as_ref() {
            PassValue::String(text) => serializer.serialize_str(&text.to_compose()),
            PassValue::Integer(n) => serializer.serialize_i64(*n),
            PassValue::Boolean(b) => serializer.serialize_bool(*b),
            PassValue::List(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&PassThroughValue(Cow::Borrowed(item)))?;
                }
                seq.end()
            }
            PassValue::Map(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(key, &PassThroughValue(Cow::Borrowed(value)))?;
                }
                map.end()
            }
        }
    }
}
