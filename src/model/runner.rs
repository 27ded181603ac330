//! The test runners the generated task runner knows how to call.

/// A test runner, written in the spec and in the Model by its name
/// (`runner = mocha`); the task runner maps each to its command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Runner {
    Mocha,
    Cucumber,
    Jest,
    Npm,
    Pytest,
    Cargo,
    Go,
    Bats,
    Shell,
}

impl Runner {
    /// Every runner, in the order diagnostics and the docs list them.
    pub const ALL: [Runner; 9] = [
        Runner::Mocha,
        Runner::Cucumber,
        Runner::Jest,
        Runner::Npm,
        Runner::Pytest,
        Runner::Cargo,
        Runner::Go,
        Runner::Bats,
        Runner::Shell,
    ];

    /// The name the spec writes and the task runner reads.
    pub fn as_str(self) -> &'static str {
        match self {
            Runner::Mocha => "mocha",
            Runner::Cucumber => "cucumber",
            Runner::Jest => "jest",
            Runner::Npm => "npm",
            Runner::Pytest => "pytest",
            Runner::Cargo => "cargo",
            Runner::Go => "go",
            Runner::Bats => "bats",
            Runner::Shell => "shell",
        }
    }

    /// The runner spelled `name`; `None` for a name stackc does not know.
    pub fn from_name(name: &str) -> Option<Runner> {
        Runner::ALL
            .into_iter()
            .find(|runner| runner.as_str() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::Runner;

    #[test]
    fn names_round_trip_and_serialize_as_written() {
        for runner in Runner::ALL {
            assert_eq!(Runner::from_name(runner.as_str()), Some(runner));
            assert_eq!(
                serde_json::to_value(runner).ok(),
                Some(serde_json::Value::from(runner.as_str()))
            );
        }
        assert_eq!(Runner::from_name("moca"), None);
    }
}
