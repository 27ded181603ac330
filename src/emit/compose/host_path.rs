//! Host paths in the `compose { }` pass-through: relative ones rebased onto
//! the workspace root, and the source side of short-syntax volumes.

use crate::lexical_path::relative_parts;
use crate::model::{Text, TextPart};

/// A host path as written in the pass-through (`./data`, `.env`, `/srv/x`,
/// `${DATA:-/srv}`), possibly holding run-time references.
#[derive(Debug, Clone, Copy)]
pub struct HostPath<'a>(pub &'a Text);

impl HostPath<'_> {
    /// The path rebased onto `root` (the workspace root seen from the
    /// compose file's folder) when it is relative (`./data`, `.env`,
    /// `conf/app.env`, `.`): Compose resolves a relative path against the
    /// compose file's folder, which is not the workspace root. `None` when
    /// the path is absolute (`/`, `~`, `C:`), starts with a run-time
    /// reference, is empty, or climbs above the workspace root (`../x`,
    /// `./a/../../x`): those are left as written.
    pub fn rebased(self, root: &str) -> Option<Text> {
        let (first, rest) = self.0.parts.split_first()?;
        let TextPart::Literal(literal) = first else {
            return None;
        };
        let absolute = literal.is_empty()
            || literal.starts_with(['/', '~', '\\'])
            || is_windows_drive(literal);
        if absolute || relative_parts(literal).is_none() {
            return None;
        }
        let inside = literal.trim_start_matches("./");
        let joined = match inside {
            "" | "." if rest.is_empty() => root.to_string(),
            "" => format!("{root}/"),
            _ => format!("{root}/{inside}"),
        };
        let mut parts = vec![TextPart::Literal(joined)];
        parts.extend(rest.iter().cloned());
        Some(Text { parts })
    }

    /// Whether the path is a name rather than a path, the way Compose tells
    /// a named volume from a bind mount: fully literal, not empty, and not
    /// starting with `/`, `.` or `~` (nor with `$`, a run-time reference).
    pub fn name(self) -> Option<String> {
        if !self.0.is_literal() {
            return None;
        }
        let text = self.0.display();
        let path_like = text.is_empty()
            || text.starts_with(['/', '.', '~', '$', '\\'])
            || is_windows_drive(&text);
        (!path_like).then_some(text)
    }
}

/// Splits a short-syntax volume `SOURCE:TARGET[:MODE]` at its first literal
/// `:` (a `:` inside `${VAR:-default}` does not count). `None` for a
/// single-part (anonymous) volume.
pub fn split_short_volume(spec: &Text) -> Option<(Text, Text)> {
    for (index, part) in spec.parts.iter().enumerate() {
        let TextPart::Literal(literal) = part else {
            continue;
        };
        let Some(colon) = literal.find(':') else {
            continue;
        };
        let mut source: Vec<TextPart> = spec.parts.iter().take(index).cloned().collect();
        let mut rest = Vec::new();
        let (before, after) = literal.split_at(colon);
        if !before.is_empty() {
            source.push(TextPart::Literal(before.to_string()));
        }
        rest.push(TextPart::Literal(after.to_string()));
        rest.extend(spec.parts.iter().skip(index + 1).cloned());
        return Some((Text { parts: source }, Text { parts: rest }));
    }
    None
}

/// `C:` or `C:\...`, which Compose reads as a Windows path, not a name.
fn is_windows_drive(text: &str) -> bool {
    let mut chars = text.chars();
    matches!(
        (chars.next(), chars.next()),
        (Some(letter), Some(':')) if letter.is_ascii_alphabetic()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::VarOperator;

    fn var(name: &str) -> TextPart {
        TextPart::Variable {
            name: name.into(),
            operator: None,
            word: String::new(),
        }
    }

    fn rebased(text: &Text) -> Option<String> {
        HostPath(text).rebased("../../..").map(|t| t.to_compose())
    }

    #[test]
    fn relative_paths_are_rebased_onto_the_root() {
        let cases = [
            ("./data", "../../../data"),
            ("./data/", "../../../data/"),
            ("././data", "../../../data"),
            (".", "../../.."),
            ("./", "../../.."),
            ("./a/../b", "../../../a/../b"),
            ("./$weird", "../../../$$weird"),
            (".env", "../../../.env"),
            ("conf/app.env", "../../../conf/app.env"),
        ];
        for (written, want) in cases {
            assert_eq!(
                rebased(&Text::literal(written)).as_deref(),
                Some(want),
                "{written}"
            );
        }
    }

    #[test]
    fn other_paths_are_left_as_written() {
        for written in [
            "/srv/data",
            "~/data",
            "C:\\data",
            "..",
            "../x",
            "./a/../../x",
            "",
        ] {
            assert_eq!(rebased(&Text::literal(written)), None, "{written}");
        }
        let reference = Text {
            parts: vec![var("DATA"), TextPart::Literal("/x".into())],
        };
        assert_eq!(rebased(&reference), None);
    }

    #[test]
    fn references_after_a_relative_start_are_kept() {
        let text = Text {
            parts: vec![TextPart::Literal("./".into()), var("DIR")],
        };
        assert_eq!(rebased(&text).as_deref(), Some("../../../${DIR}"));
        let text = Text {
            parts: vec![TextPart::Literal("./data-".into()), var("ENV")],
        };
        assert_eq!(rebased(&text).as_deref(), Some("../../../data-${ENV}"));
    }

    #[test]
    fn short_volumes_split_at_the_first_literal_colon() {
        let split =
            |text: &Text| split_short_volume(text).map(|(s, r)| (s.to_compose(), r.to_compose()));
        assert_eq!(
            split(&Text::literal("pgdata:/data:ro")),
            Some(("pgdata".into(), ":/data:ro".into()))
        );
        assert_eq!(split(&Text::literal("/anonymous")), None);
        let defaulted = Text {
            parts: vec![
                TextPart::Variable {
                    name: "PG".into(),
                    operator: Some(VarOperator::DefaultIfEmpty),
                    word: "/srv/pg".into(),
                },
                TextPart::Literal(":/var/lib/pg".into()),
            ],
        };
        assert_eq!(
            split(&defaulted),
            Some(("${PG:-/srv/pg}".into(), ":/var/lib/pg".into()))
        );
    }

    #[test]
    fn names_are_what_compose_reads_as_volume_names() {
        let name = |s: &str| HostPath(&Text::literal(s)).name();
        assert_eq!(name("pgdata").as_deref(), Some("pgdata"));
        assert_eq!(name("pg.data-1_x").as_deref(), Some("pg.data-1_x"));
        for path in ["/srv", "./d", ".d", "~/d", "", "C:\\data", "c:"] {
            assert_eq!(name(path), None, "{path}");
        }
        let reference = Text {
            parts: vec![var("VOLUME")],
        };
        assert_eq!(HostPath(&reference).name(), None);
    }
}
