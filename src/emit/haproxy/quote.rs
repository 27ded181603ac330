//! HAProxy 2.6 configuration quoting (configuration manual, section 2.2
//! "Quoting and escaping"): turning a value into one configuration word
//! that HAProxy reads back as exactly that value.
//!
//! Every spec-derived string in a generated configuration goes through
//! [`quote`], the template's one quoting filter (`haproxy_quote`). The
//! run-time overrides (`"${STACK_SLOT_API_BLUE-api-blue:8080}"`) are written
//! by [`env_reference`]: HAProxy expands environment variables only inside
//! double quotes.

/// Characters that HAProxy reads as themselves outside quotes, in any word.
fn is_bare(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | ':' | '@' | '+' | '=' | ',')
}

/// One configuration word whose value is exactly `value`.
///
/// A value made only of plain characters (letters, digits, `_-./:@+=,`) is
/// written bare, so the configuration stays readable. Anything else is
/// strongly quoted (`'...'`): inside single quotes HAProxy interprets
/// nothing, so `$`, `${X}`, `#`, `\`, `"`, spaces and tabs are themselves.
/// What single quotes cannot hold is written between quoted runs, escaped
/// the way HAProxy reads it outside quotes: `'` as `\'`, a line feed as
/// `\n`, a carriage return as `\r`, other control characters as `\xNN`.
/// (HAProxy joins adjacent quoted and unquoted runs into one word, as a
/// shell does.)
///
/// The empty string is `''`, an empty word; the keywords stackc writes
/// never take one.
pub fn quote(value: &str) -> String {
    if !value.is_empty() && value.chars().all(is_bare) {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len() + 2);
    let mut quoted = false;
    for c in value.chars() {
        let escape = match c {
            '\'' => Some("\\'".to_string()),
            '\n' => Some("\\n".to_string()),
            '\r' => Some("\\r".to_string()),
            '\t' => None,
            c if c.is_ascii_control() => Some(format!("\\x{:02x}", u32::from(c))),
            _ => None,
        };
        match escape {
            Some(escaped) => {
                if quoted {
                    out.push('\'');
                    quoted = false;
                }
                out.push_str(&escaped);
            }
            None => {
                if !quoted {
                    out.push('\'');
                    quoted = true;
                }
                out.push(c);
            }
        }
    }
    if quoted {
        out.push('\'');
    }
    if out.is_empty() {
        out.push_str("''");
    }
    out
}

/// [`quote`], written into `out` (the template's formatter): a bare word
/// is copied as it is, without a new string.
pub fn write_quoted(out: &mut dyn std::fmt::Write, value: &str) -> std::fmt::Result {
    if !value.is_empty() && value.chars().all(is_bare) {
        out.write_str(value)
    } else {
        out.write_str(&quote(value))
    }
}

/// A word HAProxy reads as the environment variable `variable` followed by
/// `suffix`, or `default` followed by `suffix` when the variable is not set:
/// `"${VARIABLE-default}suffix"`, in double quotes, where HAProxy expands
/// variables. HAProxy copies a default as written up to the first `}` and
/// processes no escape in it, so `default` and `suffix` may hold only plain
/// characters (stackc's own paths and addresses, component names, ports).
/// When one of the three holds anything else (never, for a Model the
/// analyser accepted), the override is left out and the word is
/// `default` + `suffix`, quoted by [`quote`].
pub fn env_reference(variable: &str, default: &str, suffix: &str) -> String {
    let name_ok = !variable.is_empty()
        && !variable.starts_with(|c: char| c.is_ascii_digit())
        && variable
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_');
    if name_ok && default.chars().all(is_bare) && suffix.chars().all(is_bare) {
        format!("\"${{{variable}-{default}}}{suffix}\"")
    } else {
        quote(&format!("{default}{suffix}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_words_stay_bare() {
        for word in [
            "api",
            "/api/v1",
            "api.newsroom.example",
            "200-399",
            "2s",
            "a:b@c,d+e=f",
        ] {
            assert_eq!(quote(word), word);
        }
    }

    #[test]
    fn everything_else_is_strongly_quoted() {
        let cases = [
            ("", "''"),
            ("a b", "'a b'"),
            ("$HOME ${HOME}", "'$HOME ${HOME}'"),
            ("#x", "'#x'"),
            ("a\\b", "'a\\b'"),
            ("\"q\"", "'\"q\"'"),
            ("a'b", "'a'\\''b'"),
            ("'", "\\'"),
            ("x\ny\rz", "'x'\\n'y'\\r'z'"),
            ("\t", "'\t'"),
            ("a\u{1}", "'a'\\x01"),
            ("é✓", "'é✓'"),
        ];
        for (value, want) in cases {
            assert_eq!(quote(value), want, "{value:?}");
        }
    }

    #[test]
    fn overrides_are_double_quoted_references() {
        assert_eq!(
            env_reference("STACK_SLOT_API_BLUE", "api-blue:8080", ""),
            "\"${STACK_SLOT_API_BLUE-api-blue:8080}\""
        );
        assert_eq!(
            env_reference("STACK_HAPROXY_RUN_DIR", "/var/run/haproxy", "/admin.sock"),
            "\"${STACK_HAPROXY_RUN_DIR-/var/run/haproxy}/admin.sock\""
        );
        assert_eq!(env_reference("X", "a}b", ""), "'a}b'");
        assert_eq!(env_reference("1X", "a", ""), "a");
        assert_eq!(env_reference("X", "a", " b"), "'a b'");
    }
}
