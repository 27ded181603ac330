//! A command a component's container runs instead of its image's own.

/// `command = "..."` or `command = ["...", ...]` in a component, with the
/// meaning a Dockerfile gives the two forms of `CMD`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Command {
    /// A shell command line, run as `/bin/sh -c LINE` inside the container,
    /// so `&&`, pipes and `$VAR` work (the image needs `/bin/sh`).
    Shell(String),
    /// A program and its arguments, run as they are, without a shell.
    Exec(Vec<String>),
}

impl Command {
    /// The program and arguments the container runs.
    pub fn argv(&self) -> Vec<String> {
        match self {
            Command::Shell(line) => vec!["/bin/sh".to_string(), "-c".to_string(), line.clone()],
            Command::Exec(argv) => argv.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Command;

    #[test]
    fn a_shell_line_reaches_a_shell() {
        assert_eq!(
            Command::Shell("a && b".into()).argv(),
            ["/bin/sh", "-c", "a && b"]
        );
        assert_eq!(
            Command::Exec(vec!["a".into(), "&&".into()]).argv(),
            ["a", "&&"]
        );
    }
}
