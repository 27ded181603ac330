//! Diagnostics as text (like rustc, via annotate-snippets) or as JSON lines.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::visible::VisibleText;
use super::{Diagnostic, Severity};
use crate::source::{without_byte_order_mark, SourceMap};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    Always,
    Never,
}

/// Renders one diagnostic the way rustc does: header, `-->` location, the
/// source line with a caret under the span, secondary labels, help.
pub fn render_human(diagnostic: &Diagnostic, sources: &SourceMap, color: ColorChoice) -> String {
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
            // A byte-order mark is not shown and takes no column.
            let (text, skipped) = without_byte_order_mark(&source.text);
            Some((file, source.path.as_str(), VisibleText::new(text), skipped))
        })
        .collect();
    for (file, path, visible, skipped) in &shown {
        let clamp = |range: std::ops::Range<usize>| {
            let range = range.start.saturating_sub(*skipped)..range.end.saturating_sub(*skipped);
            clamp(visible.range(range), visible.text())
        };
        let mut snippet = Snippet::source(visible.text()).path(*path);
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

    use super::{render_human, ColorChoice};
    use crate::diagnostic::{Code, Diagnostic};
    use crate::source::{SourceMap, Span};

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
