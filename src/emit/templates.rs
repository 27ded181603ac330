//! The minijinja environment every text target renders with (bash and
//! HAProxy), parametrised by the format's escaping.
//!
//! - Templates are embedded in the binary (`include_str!`), never read at
//!   run time.
//! - Comments are `{## ... ##}`: bash's `${#name}` and HAProxy's `#` comments
//!   must not open one.
//! - Undefined values are errors, and so is writing `none`, a list or a map.
//! - Every string written with `{{ }}` goes through the format's quoting
//!   function; a template opts out only with a filter that returns a safe
//!   string (the quoting filter itself, or a target's own escaping filter).
//! - Block tags eat their own line (`trim_blocks`, `lstrip_blocks`), and a
//!   template's final newline is kept.
//! - `comment` writes a value on one `#` comment line (control characters as
//!   visible escapes), for any format.

use std::fmt;

use minijinja::functions::Function;
use minijinja::syntax::SyntaxConfig;
use minijinja::value::{FunctionArgs, FunctionResult, Value, ValueKind};
use minijinja::{AutoEscape, Environment, Error, ErrorKind, UndefinedBehavior};

/// How a text format writes a value from the Model so that it means exactly
/// that value: [`Escaping::SHELL`] for bash; an HAProxy target passes its
/// own quoting.
#[derive(Debug, Clone, Copy)]
pub struct Escaping {
    /// The auto-escape mode's name (minijinja's `AutoEscape::Custom`).
    pub name: &'static str,
    /// The filter a template calls to quote a value explicitly
    /// (`{{ x|shell_quote }}`); its result is not quoted again.
    pub filter: &'static str,
    /// Turns any string into the format's source for exactly that string.
    pub quote: fn(&str) -> String,
    /// The same as `quote`, written into the output (the formatter quotes
    /// every value this way, without a string of its own).
    pub write: fn(&mut dyn fmt::Write, &str) -> fmt::Result,
}

impl Escaping {
    /// Bash: every string single-quoted by [`crate::shell::quote`].
    pub const SHELL: Escaping = Escaping {
        name: "shell",
        filter: "shell_quote",
        quote: crate::shell::quote,
        write: crate::shell::write_quoted,
    };
}

/// An environment of embedded templates for one text format.
pub struct Templates {
    env: Environment<'static>,
}

impl Templates {
    /// The environment for `escaping`, holding `sources` (template name →
    /// source). Errors when a template does not parse: templates are part of
    /// the binary, so that is a bug in stackc, which the tests catch.
    pub fn new(
        escaping: Escaping,
        sources: &[(&'static str, &'static str)],
    ) -> Result<Templates, Error> {
        let mut env = Environment::new();
        env.set_syntax(
            SyntaxConfig::builder()
                .comment_delimiters("{##", "##}")
                .build()?,
        );
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.set_keep_trailing_newline(true);
        env.set_auto_escape_callback(move |_| AutoEscape::Custom(escaping.name));
        let quote = escaping.quote;
        let write = escaping.write;
        env.set_formatter(move |out, _state, value| {
            let written = match value.kind() {
                _ if value.is_safe() => out.write_str(value.as_str().unwrap_or_default()),
                ValueKind::String => write(out, value.as_str().unwrap_or_default()),
                ValueKind::Number => write!(out, "{value}"),
                kind => {
                    return Err(Error::new(
                        ErrorKind::InvalidOperation,
                        format!("a {kind} cannot be written into a generated file"),
                    ))
                }
            };
            written.map_err(Error::from)
        });
        env.add_filter(escaping.filter, move |value: &str| {
            Value::from_safe_string(quote(value))
        });
        env.add_filter("comment", |value: &str| {
            Value::from_safe_string(comment(value))
        });
        for (name, source) in sources {
            env.add_template(name, source)?;
        }
        Ok(Templates { env })
    }

    /// Adds a filter of the target's own (minijinja's filter signature).
    pub fn add_filter<F, Rv, Args>(&mut self, name: &'static str, filter: F)
    where
        F: Function<Rv, Args>,
        Rv: FunctionResult,
        Args: for<'a> FunctionArgs<'a>,
    {
        self.env.add_filter(name, filter);
    }

    /// Renders template `name` with `context`. Errors on an undefined value
    /// or a value the formatter refuses: a bug in stackc, never in the spec.
    pub fn render(&self, name: &str, context: impl serde::Serialize) -> Result<String, Error> {
        self.env.get_template(name)?.render(context)
    }

    /// [`Templates::render`], writing into `out` as it renders (nothing is
    /// held whole). A failure of `out` is an error of kind
    /// [`minijinja::ErrorKind::WriteFailure`].
    pub fn render_to(
        &self,
        name: &str,
        context: impl serde::Serialize,
        out: &mut dyn std::io::Write,
    ) -> Result<(), Error> {
        self.env
            .get_template(name)?
            .render_captured_to(context, out)
            .map(drop)
    }

    /// Adds a template from a string (unit tests).
    #[cfg(test)]
    pub(crate) fn add_template_owned(&mut self, name: &str, source: &str) -> Result<(), Error> {
        self.env
            .add_template_owned(name.to_string(), source.to_string())
    }
}

/// Text for a `#` comment line: control characters (newlines above all,
/// which would end the comment) are written as visible escapes.
pub fn comment(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An escaping unlike the shell's, to show the environment uses the one given.
    fn brackets(value: &str) -> String {
        format!("[{value}]")
    }

    fn write_brackets(out: &mut dyn fmt::Write, value: &str) -> fmt::Result {
        out.write_str(&brackets(value))
    }

    const BRACKETS: Escaping = Escaping {
        name: "brackets",
        filter: "bracket",
        quote: brackets,
        write: write_brackets,
    };

    fn render(escaping: Escaping, source: &str, context: Value) -> Result<String, Error> {
        let mut templates = Templates::new(escaping, &[])?;
        templates.add_template_owned("t", source)?;
        templates.render("t", context)
    }

    #[test]
    fn every_string_goes_through_the_escaping_given() {
        let context = minijinja::context! { v => "a'b", n => 8080 };
        let out = render(
            Escaping::SHELL,
            "{{ v }} {{ n }} {{ v|shell_quote }}",
            context.clone(),
        );
        assert_eq!(out.ok().as_deref(), Some("'a'\\''b' 8080 'a'\\''b'"));
        let out = render(BRACKETS, "{{ v }} {{ n }} {{ v|bracket }}", context);
        assert_eq!(out.ok().as_deref(), Some("[a'b] 8080 [a'b]"));
    }

    #[test]
    fn undefined_none_and_containers_are_errors() {
        for (source, context) in [
            ("{{ missing }}", minijinja::context! {}),
            ("{{ v }}", minijinja::context! { v => () }),
            ("{{ v }}", minijinja::context! { v => vec![1] }),
        ] {
            assert!(render(BRACKETS, source, context).is_err(), "{source}");
        }
    }

    #[test]
    fn hash_braces_are_not_a_comment() {
        let out = render(BRACKETS, "${#x} {## gone ##}", minijinja::context! {});
        assert_eq!(out.ok().as_deref(), Some("${#x} "));
    }

    #[test]
    fn comments_stay_on_one_line() {
        assert_eq!(comment("a\nb\r\tc\u{7}"), "a\\nb\\r\\tc\\u{7}");
        assert_eq!(comment("é ✓"), "é ✓");
        let out = render(
            BRACKETS,
            "# {{ v|comment }}",
            minijinja::context! { v => "x\ny" },
        );
        assert_eq!(out.ok().as_deref(), Some("# x\\ny"));
    }
}
