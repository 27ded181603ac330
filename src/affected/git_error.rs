//! A git command that could not run or that failed.

/// A git command that failed: the command as a user would type it, and
/// what git said on standard error (or why it could not be run).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{command}` failed: {stderr}")]
pub struct GitError {
    /// `git diff -z --name-status -M --no-color 1a2b… 3c4d…`, with its
    /// arguments quoted for the shell where they need it.
    pub command: String,
    /// git's standard error, trimmed; or the error of starting git (git
    /// not installed), or why its output could not be read.
    pub stderr: String,
}

impl GitError {
    /// The error of running `git ARGS`.
    pub fn new(args: &[&str], stderr: impl Into<String>) -> GitError {
        let mut command = String::from("git");
        for arg in args {
            command.push(' ');
            command.push_str(&crate::shell::quote_if_needed(arg));
        }
        let stderr = stderr.into();
        let stderr = stderr.trim();
        GitError {
            command,
            stderr: if stderr.is_empty() {
                "git said nothing on standard error".to_string()
            } else {
                stderr.to_string()
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_is_shown_as_typed() {
        let error = GitError::new(&["diff", "a b"], "fatal: bad revision\n");
        assert_eq!(error.command, "git diff 'a b'");
        assert_eq!(
            error.to_string(),
            "`git diff 'a b'` failed: fatal: bad revision"
        );
        assert_eq!(
            GitError::new(&["x"], "  ").stderr,
            "git said nothing on standard error"
        );
    }
}
