//! Reading a health check's `test` the way the round trip compares it: the
//! words of a simple shell command, and the URL of a plain HTTP probe.

use serde_json::Value;

/// The words a POSIX shell makes of `line` when it is one simple command
/// without expansions: quotes and backslashes are removed; `None` when the
/// line holds anything else (an operator, a redirection, `$`, a backquote,
/// a glob, a comment, an unclosed quote).
pub fn shell_words(line: &str) -> Option<Vec<String>> {
    words(line, false)
}

/// [`shell_words`], taking the glob characters `*?[` as written: a
/// pattern that matches no file is left as written by the shell, as a
/// URL's query (`/health?wait_for_status=yellow`) is.
fn words_globs_literal(line: &str) -> Option<Vec<String>> {
    words(line, true)
}

fn words(line: &str, globs_literal: bool) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => word.push(c),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '$' | '`' => return None,
                        '\\' => match chars.next()? {
                            c @ ('"' | '\\' | '$' | '`') => word.push(c),
                            '\n' => {}
                            c => {
                                word.push('\\');
                                word.push(c);
                            }
                        },
                        c => word.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next()? {
                    '\n' => {}
                    c => word.push(c),
                }
            }
            '*' | '?' | '[' if !globs_literal => return None,
            '|' | '&' | ';' | '<' | '>' | '(' | ')' | '$' | '`' | '\n' => return None,
            '#' if !in_word => return None,
            '~' if !in_word => return None,
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Some(words)
}

/// A health check `test` as Compose prints it: `["CMD", word...]` or
/// `["CMD-SHELL", line]`.
pub enum Test<'a> {
    Exec(Vec<&'a str>),
    Shell(&'a str),
}

impl<'a> Test<'a> {
    pub fn of(value: &'a Value) -> Option<Test<'a>> {
        let items: Vec<&str> = value
            .as_array()?
            .iter()
            .map(Value::as_str)
            .collect::<Option<_>>()?;
        match items.split_first()? {
            (&"CMD", words) => Some(Test::Exec(words.to_vec())),
            (&"CMD-SHELL", [line]) => Some(Test::Shell(line)),
            _ => None,
        }
    }

    /// The program and arguments it runs when it is one simple command.
    pub fn words(&self) -> Option<Vec<String>> {
        match self {
            Test::Exec(words) => Some(words.iter().map(|w| (*w).to_owned()).collect()),
            Test::Shell(line) => shell_words(line),
        }
    }
}

/// The port and the path (with its query) a plain HTTP probe GETs, with
/// the probe succeeding only on a 2xx/3xx answer, from the container
/// itself (`localhost`, `127.0.0.1`, `0.0.0.0`):
/// - `curl` with `-f`/`--fail` (and only `-s`, `-S`, `-L` and `-o
///   /dev/null` besides), or `wget` with `-q`, `--spider`, `-O -`, `-O
///   /dev/null` (`-qO-`, `-qO /dev/null`), then one URL;
/// - in the shell form, optionally followed by `|| exit 1`;
/// - stackc's own probe: `wget -q -O /dev/null 'URL' || curl -fsS -o
///   /dev/null 'URL'` with the same URL twice.
pub fn http_target(value: &Value) -> Option<(u16, String)> {
    let test = Test::of(value)?;
    let words = match &test {
        Test::Shell(line) => {
            if let Some(target) = stackc_http(line) {
                return Some(target);
            }
            let line = line.trim_end();
            let line = line.strip_suffix("|| exit 1").unwrap_or(line);
            words_globs_literal(line)?
        }
        Test::Exec(_) => test.words()?,
    };
    let (program, args) = words.split_first()?;
    let mut url = None;
    let mut fail = program == "wget";
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match (program.as_str(), arg.as_str()) {
            ("curl", "-f" | "--fail" | "-fs" | "-sf" | "-fsS" | "-fSs" | "-sSf") => fail = true,
            ("curl", "-s" | "-S" | "-sS" | "-L" | "--silent" | "--show-error" | "--location") => {}
            ("curl", "-o") | ("wget", "-O") | ("wget", "-qO") => {
                let target = args.next()?;
                if target != "/dev/null" && !(program == "wget" && target == "-") {
                    return None;
                }
            }
            ("wget", "-q" | "--quiet" | "--spider" | "-qO-" | "-O-") => {}
            (_, arg) if arg.starts_with("http://") && url.is_none() => url = Some(arg.to_owned()),
            _ => return None,
        }
    }
    if !fail {
        return None;
    }
    parse_url(&url?)
}

fn stackc_http(line: &str) -> Option<(u16, String)> {
    let rest = line.strip_prefix("wget -q -O /dev/null '")?;
    let (url, rest) = rest.split_once('\'')?;
    let rest = rest.strip_prefix(" || curl -fsS -o /dev/null '")?;
    if rest != format!("{url}'") {
        return None;
    }
    parse_url(url)
}

fn parse_url(url: &str) -> Option<(u16, String)> {
    let rest = url.strip_prefix("http://")?;
    let (authority, path) = match rest.find('/') {
        Some(at) => (&rest[..at], &rest[at..]),
        None => (rest, "/"),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host, port.parse().ok()?),
        None => (authority, 80),
    };
    if !matches!(host, "localhost" | "127.0.0.1" | "0.0.0.0") {
        return None;
    }
    Some((port, path.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn words_of_simple_commands_only() {
        assert_eq!(
            shell_words("mongosh --quiet --eval \"db.adminCommand('ping')\""),
            Some(vec![
                "mongosh".into(),
                "--quiet".into(),
                "--eval".into(),
                "db.adminCommand('ping')".into()
            ])
        );
        assert_eq!(
            shell_words("a 'b c' d\\ e"),
            Some(vec!["a".into(), "b c".into(), "d e".into()])
        );
        assert_eq!(shell_words("valkey-cli ping | grep PONG"), None);
        assert_eq!(shell_words("echo $HOME"), None);
        assert_eq!(shell_words("echo 'open"), None);
    }

    #[test]
    fn http_probes() {
        let probe = |v: Value| http_target(&v);
        assert_eq!(
            probe(json!([
                "CMD",
                "curl",
                "-f",
                "http://localhost:9200/_cluster/health"
            ])),
            Some((9200, "/_cluster/health".into()))
        );
        assert_eq!(
            probe(json!([
                "CMD-SHELL",
                "curl -fsS http://localhost:9200/x?y=1 || exit 1"
            ])),
            Some((9200, "/x?y=1".into()))
        );
        assert_eq!(
            probe(json!(["CMD-SHELL", "wget -q -O /dev/null 'http://127.0.0.1:80/' || curl -fsS -o /dev/null 'http://127.0.0.1:80/'"])),
            Some((80, "/".into()))
        );
        assert_eq!(
            probe(json!(["CMD", "curl", "http://localhost/"])),
            None,
            "no --fail"
        );
        assert_eq!(
            probe(json!(["CMD", "curl", "-f", "http://example.com/"])),
            None
        );
    }
}
