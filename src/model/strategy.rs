//! How a new version of a component takes over its traffic.

/// A deploy strategy, written in the spec and in the Model by its name
/// (`strategy = blue_green`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// Traffic shifts to the new version step by step (the default).
    Canary,
    /// The new version runs beside the old one and takes all traffic at once.
    BlueGreen,
    /// The old version stops before the new one starts.
    Recreate,
}

impl Strategy {
    /// Every strategy, in the order diagnostics list them.
    pub const ALL: [Strategy; 3] = [Strategy::Canary, Strategy::BlueGreen, Strategy::Recreate];

    /// The name the spec writes.
    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::Canary => "canary",
            Strategy::BlueGreen => "blue_green",
            Strategy::Recreate => "recreate",
        }
    }

    /// The strategy spelled `name`; `None` for a name stackc does not know.
    pub fn from_name(name: &str) -> Option<Strategy> {
        Strategy::ALL
            .into_iter()
            .find(|strategy| strategy.as_str() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::Strategy;

    #[test]
    fn names_round_trip_and_serialize_as_written() {
        for strategy in Strategy::ALL {
            assert_eq!(Strategy::from_name(strategy.as_str()), Some(strategy));
            assert_eq!(
                serde_json::to_value(strategy).ok(),
                Some(serde_json::Value::from(strategy.as_str()))
            );
        }
        assert_eq!(Strategy::from_name("rolling"), None);
    }
}
