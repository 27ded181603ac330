//! `stackc affected`: which components a change touches, with their
//! dependents, for CI jobs to decide whether to run (docs/workflow.md).

use camino::Utf8Path;
use serde::Serialize;

use super::{front, say, Cli};
use crate::affected::{affected as select, Affected, Change, Everything, Request};

/// How `stackc affected` prints its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AffectedFormat {
    /// One component per line.
    Lines,
    /// One JSON object on one line: since, head, files, components, all.
    Json,
    /// One line `STACK_AFFECTED=,db,api,` for `$GITHUB_OUTPUT` or a GitLab
    /// dotenv report; `,NAME,` is an exact-match substring.
    Dotenv,
}

/// The options of `stackc affected`, as given.
#[derive(Debug, Clone, Copy)]
pub(super) struct AffectedArgs<'a> {
    pub path: &'a Utf8Path,
    pub since: &'a str,
    pub head: Option<&'a str>,
    pub format: AffectedFormat,
    pub all_if_unknown: bool,
}

/// The JSON answer, fields in this order.
#[derive(Serialize)]
struct Report<'a> {
    since: &'a str,
    head: Option<&'a str>,
    files: &'a [Change],
    components: &'a [String],
    all: bool,
}

/// Runs `stackc affected` and returns the exit code: 0 (also when nothing
/// is affected), 1 spec errors, 2 usage or git errors.
pub(super) fn affected(cli: &Cli, args: AffectedArgs<'_>) -> u8 {
    let Some(compilation) = front(cli, args.path) else {
        return 2;
    };
    let Some(model) = &compilation.model else {
        return 1;
    };
    let request = Request {
        since: args.since,
        head: args.head,
        all_if_unknown: args.all_if_unknown,
    };
    let answer = match select(model, &compilation.workspace.root, request) {
        Ok(answer) => answer,
        Err(error) => {
            eprintln!("error: {error}");
            if let Some(help) = error.help() {
                eprintln!("help: {help}");
            }
            return 2;
        }
    };
    if let Some(reason) = &answer.everything {
        eprintln!("{}", explain(reason, args.since));
    }
    say(&render(&answer, args));
    0
}

/// Why every component is affected, for standard error.
fn explain(reason: &Everything, since: &str) -> String {
    match reason {
        Everything::NoBase if since.is_empty() => {
            "note: --since is empty (no commit to compare with): every component is affected"
                .to_string()
        }
        Everything::NoBase => format!(
            "note: --since {since} is the null commit (a new branch, or a first push): every component is affected"
        ),
        Everything::UnknownSince => format!(
            "warning: git cannot resolve --since {since} to a commit (a shallow clone?): every component is affected (--all-if-unknown)"
        ),
        Everything::File(path) => {
            format!("note: {path} changed, which concerns every component")
        }
    }
}

/// The answer in the requested format, ending in a line break (nothing
/// at all for `lines` when no component is affected).
fn render(answer: &Affected, args: AffectedArgs<'_>) -> String {
    match args.format {
        AffectedFormat::Lines => answer.components.iter().map(|c| format!("{c}\n")).collect(),
        AffectedFormat::Dotenv => {
            let mut line = String::from("STACK_AFFECTED=,");
            for component in &answer.components {
                line.push_str(component);
                line.push(',');
            }
            line.push('\n');
            line
        }
        AffectedFormat::Json => {
            let report = Report {
                since: args.since,
                head: args.head,
                files: &answer.files,
                components: &answer.components,
                all: answer.everything.is_some(),
            };
            // Strings and lists only: serialising cannot fail.
            let json = serde_json::to_string(&report).unwrap_or_default();
            format!("{json}\n")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::affected::ChangeStatus;

    fn args(format: AffectedFormat) -> AffectedArgs<'static> {
        AffectedArgs {
            path: Utf8Path::new("."),
            since: "abc",
            head: None,
            format,
            all_if_unknown: false,
        }
    }

    #[test]
    fn each_format_prints_the_answer() {
        let answer = Affected {
            files: vec![Change {
                status: ChangeStatus::Renamed,
                path: "b c".into(),
                from: Some("a\"".into()),
            }],
            components: vec!["db".into(), "api".into()],
            everything: None,
        };
        assert_eq!(render(&answer, args(AffectedFormat::Lines)), "db\napi\n");
        assert_eq!(
            render(&answer, args(AffectedFormat::Dotenv)),
            "STACK_AFFECTED=,db,api,\n"
        );
        assert_eq!(
            render(&answer, args(AffectedFormat::Json)),
            "{\"since\":\"abc\",\"head\":null,\"files\":[{\"status\":\"R\",\"path\":\"b c\",\"from\":\"a\\\"\"}],\"components\":[\"db\",\"api\"],\"all\":false}\n"
        );
        let none = Affected {
            files: vec![],
            components: vec![],
            everything: None,
        };
        assert_eq!(render(&none, args(AffectedFormat::Lines)), "");
        assert_eq!(
            render(&none, args(AffectedFormat::Dotenv)),
            "STACK_AFFECTED=,\n"
        );
    }
}
