//! Diagnostics as text (like rustc, via annotate-snippets) or as JSON lines.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::visible::VisibleText;
use super::{Diagnostic, Severity};
use crate::source::{without_byte_order_mark, FileId, SourceFile, SourceMap, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    Always,
    Never,
}

/// Renders one diagnostic the way rustc does: header, `-->` location, the
/// source line with a caret under the span, secondary labels, help.
pub fn render_human(diagnostic: &Diagnostic, sources: &SourceMap, color: ColorChoice) -> String {
    render_in_windows(diagnostic, sources, color, Window::of)
}

/// [`render_human`], showing the lines of each file `window` picks.
fn render_in_windows(
    diagnostic: &Diagnostic,
    sources: &SourceMap,
    color: ColorChoice,
    window: fn(&SourceFile, &mut dyn Iterator<Item = Span>) -> Window,
) -> String {
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let title = level
        .primary_title(diagnostic.message.as_str())
        .id(diagnostic.code.as_str());
    let mut group = Group::with_title(title);

    // One snippet per file, primary file first, each with all its annotations.
    let mut files = Vec::new();
    if let Some(span) = diagnostic.span {
        files.push(span.file);
    }
    for label in &diagnostic.labels {
        if !files.contains(&label.span.file) {
            files.push(label.span.file);
        }
    }
    // The shown texts outlive the snippets that borrow them.
    let shown: Vec<_> = files
        .iter()
        .filter_map(|&file| {
            let source = sources.get(file)?;
            let window = window(source, &mut spans_in(diagnostic, file));
            let text = source.text.get(window.start..window.end).unwrap_or("");
            Some((file, source.path.as_str(), VisibleText::new(text), window))
        })
        .collect();
    for (file, path, visible, window) in &shown {
        let clamp = |range: std::ops::Range<usize>| {
            let range = window.local(range.start)..window.local(range.end);
            clamp(visible.range(range), visible.text())
        };
        let mut snippet = Snippet::source(visible.text())
            .path(*path)
            .line_start(window.first_line);
        if let Some(span) = diagnostic.span.filter(|s| s.file == *file) {
            let mut annotation = AnnotationKind::Primary.span(clamp(span.range()));
            if let Some(label) = &diagnostic.label {
                annotation = annotation.label(label.as_str());
            }
            snippet = snippet.annotation(annotation);
        }
        for label in diagnostic.labels.iter().filter(|l| l.span.file == *file) {
            snippet = snippet.annotation(
                AnnotationKind::Context
                    .span(clamp(label.span.range()))
                    .label(label.message.as_str()),
            );
        }
        group = group.element(snippet);
    }
    if let Some(help) = &diagnostic.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    let renderer = match color {
        ColorChoice::Always => Renderer::styled(),
        ColorChoice::Never => Renderer::plain(),
    };
    renderer.render(&[group])
}

/// Every span of `diagnostic` in `file`, primary first.
fn spans_in(diagnostic: &Diagnostic, file: FileId) -> impl Iterator<Item = Span> + '_ {
    diagnostic
        .span
        .into_iter()
        .chain(diagnostic.labels.iter().map(|l| l.span))
        .filter(move |s| s.file == file)
}

/// The lines of a file a diagnostic's snippet shows: from the line of its
/// first span to the line of its last, whole. Only these are handed to
/// annotate-snippets (numbered from `first_line`), so rendering costs the
/// lines shown, not the file; what it shows is the same either way.
struct Window {
    /// Byte range in the file's text (after a byte-order mark).
    start: usize,
    end: usize,
    /// The 1-based number of the line at `start`.
    first_line: usize,
}

impl Window {
    fn of(source: &SourceFile, spans: &mut dyn Iterator<Item = Span>) -> Window {
        let text = source.text.as_str();
        // A byte-order mark is not shown and takes no column.
        let skipped = without_byte_order_mark(text).1;
        let mut low = text.len();
        let mut high = skipped;
        for span in spans {
            low = low.min(span.range().start);
            high = high.max(span.range().end).max(span.range().start);
        }
        // An offset inside a character stands for the character's start,
        // as in the shown text.
        let char_start = |mut offset: usize| {
            while !text.is_char_boundary(offset) {
                offset -= 1;
            }
            offset
        };
        let low = char_start(low.clamp(skipped, text.len()));
        let high = char_start(high.clamp(low, text.len()));
        let mut first_line = source.lines.line(low);
        // Spans that all start and end where a line starts: annotate-snippets
        // counts lines up to the last span's end and leaves out a newline
        // ending what it counted (and shows the end of a text ending in a
        // newline on the last line), so it must see the newline before them.
        if first_line > 1 && source.lines.line_start(first_line) >= Some(high) {
            first_line -= 1;
        }
        let start = source
            .lines
            .line_start(first_line)
            .unwrap_or(0)
            .max(skipped);
        // Through the end of the last span's line, its newline included.
        let last_line = source.lines.line(high);
        let end = source
            .lines
            .line_start(last_line + 1)
            .unwrap_or(text.len())
            .max(start);
        Window {
            start,
            end,
            first_line,
        }
    }

    /// A byte offset of the file as an offset in the window (offsets
    /// outside it are clamped by the caller's range clamp).
    fn local(&self, offset: usize) -> usize {
        offset.clamp(self.start, self.end.max(self.start)) - self.start
    }
}

/// A span that annotate-snippets can show: inside the text, on char
/// boundaries, at least one character wide when the text allows.
fn clamp(range: std::ops::Range<usize>, text: &str) -> std::ops::Range<usize> {
    let mut start = range.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = range.end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

#[derive(serde::Serialize)]
struct JsonDiagnostic<'a> {
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    code: &'static str,
    severity: Severity,
    message: &'a str,
    help: Option<&'a str>,
    labels: Vec<JsonLabel<'a>>,
}

#[derive(serde::Serialize)]
struct JsonLabel<'a> {
    file: Option<&'a str>,
    line: usize,
    column: usize,
    message: &'a str,
}

/// One JSON object on one line, for editors and hooks.
pub fn render_json(diagnostic: &Diagnostic, sources: &SourceMap) -> String {
    let position = |file, offset| sources.line_col(file, offset);
    let start = diagnostic.span.map(|s| position(s.file, s.start));
    let end = diagnostic.span.map(|s| position(s.file, s.end));
    let json = JsonDiagnostic {
        file: diagnostic
            .span
            .and_then(|s| sources.get(s.file))
            .map(|f| f.path.as_str()),
        line: start.map(|p| p.0),
        column: start.map(|p| p.1),
        end_line: end.map(|p| p.0),
        end_column: end.map(|p| p.1),
        code: diagnostic.code.as_str(),
        severity: diagnostic.severity,
        message: &diagnostic.message,
        help: diagnostic.help.as_deref(),
        labels: diagnostic
            .labels
            .iter()
            .map(|l| {
                let (line, column) = position(l.span.file, l.span.start);
                JsonLabel {
                    file: sources.get(l.span.file).map(|f| f.path.as_str()),
                    line,
                    column,
                    message: &l.message,
                }
            })
            .collect(),
    };
    serde_json::to_string(&json).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use proptest::prelude::*;

    use super::{render_human, render_in_windows, ColorChoice, Window};
    use crate::diagnostic::{Code, Diagnostic};
    use crate::source::{without_byte_order_mark, SourceFile, SourceMap, Span};

    /// The whole file, as diagnostics were rendered before windows.
    fn whole(source: &SourceFile, _: &mut dyn Iterator<Item = Span>) -> Window {
        Window {
            start: without_byte_order_mark(&source.text).1,
            end: source.text.len(),
            first_line: 1,
        }
    }

    /// Lines of spec-like text with the characters that move lines and
    /// columns: multi-byte ones, CR, separators shown by code point, tabs.
    fn text() -> impl Strategy<Value = String> {
        let line = proptest::collection::vec(
            prop_oneof![
                Just("a"),
                Just("ident"),
                Just(" "),
                Just("\t"),
                Just("é"),
                Just("🦀"),
                Just("\r"),
                Just("\u{2028}"),
                Just("{"),
                Just("}"),
                Just("\u{200b}"),
            ],
            0..6,
        )
        .prop_map(|parts| parts.concat());
        (
            any::<bool>(),
            proptest::collection::vec(line, 1..30),
            any::<bool>(),
        )
            .prop_map(|(bom, lines, newline_at_end)| {
                let mut text = if bom {
                    "\u{feff}".to_string()
                } else {
                    String::new()
                };
                text.push_str(&lines.join("\n"));
                if newline_at_end {
                    text.push('\n');
                }
                text
            })
    }

    proptest! {
        #[test]
        fn a_window_renders_what_the_whole_file_renders(
            text in text(),
            spans in proptest::collection::vec((0usize..400, 0usize..40), 1..4),
            help in any::<bool>(),
        ) {
            let mut sources = SourceMap::new();
            let len = text.len();
            let file = sources.add("Stackfile".into(), PathBuf::from("Stackfile"), text);
            let span = |(start, width): (usize, usize)| {
                let start = start % (len + 2);
                Span::new(file, start, start + width)
            };
            let mut spans = spans.into_iter().map(span);
            let mut diagnostic = Diagnostic::error(Code::UnknownAttribute, "unknown")
                .at(spans.next().unwrap_or(Span::new(file, 0, 0)))
                .with_label("here");
            for (i, other) in spans.enumerate() {
                diagnostic = diagnostic.also(other, format!("label {i}"));
            }
            if help {
                diagnostic = diagnostic.with_help("a help");
            }
            for color in [ColorChoice::Never, ColorChoice::Always] {
                prop_assert_eq!(
                    render_in_windows(&diagnostic, &sources, color, Window::of),
                    render_in_windows(&diagnostic, &sources, color, whole)
                );
            }
        }
    }

    #[test]
    fn a_byte_order_mark_is_neither_shown_nor_counted() {
        let mut sources = SourceMap::new();
        let text = "\u{feff}stack s { imgae = 1 }\n".to_string();
        let file = sources.add("Stackfile".into(), PathBuf::from("Stackfile"), text);
        let diagnostic = Diagnostic::error(Code::UnknownAttribute, "unknown")
            .at(Span::new(file, 13, 18))
            .with_label("here");
        let shown = render_human(&diagnostic, &sources, ColorChoice::Never);
        assert!(shown.contains("Stackfile:1:11"), "{shown}");
        assert!(shown.contains("1 | stack s { imgae = 1 }"), "{shown}");
        assert!(shown.contains("  |           ^^^^^ here"), "{shown}");
        assert!(!shown.contains('\u{feff}'), "{shown}");
    }
}
