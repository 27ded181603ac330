//! Values of the `compose { }` pass-through block, for what stackc does not model.

use super::Text;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum PassValue {
    String(Text),
    Integer(i64),
    Boolean(bool),
    List(Vec<PassValue>),
    /// Keys in the order written.
    Map(Vec<(String, PassValue)>),
}
