//! The comments of one file, handed out in source order as the formatter
//! reaches them, so every comment is printed exactly once.

use crate::syntax::ast::Comment;

pub(super) struct CommentQueue<'a> {
    comments: &'a [Comment],
    next: usize,
}

impl<'a> CommentQueue<'a> {
    pub fn new(comments: &'a [Comment]) -> CommentQueue<'a> {
        CommentQueue { comments, next: 0 }
    }

    /// The next comment if it starts before `offset`.
    pub fn pop_before(&mut self, offset: usize) -> Option<&'a Comment> {
        let comment = self.comments.get(self.next)?;
        if (comment.span.start as usize) < offset {
            self.next += 1;
            Some(comment)
        } else {
            None
        }
    }

    /// True when a comment not yet printed starts inside `start..end`. The
    /// comments are in source order: a binary search, not a scan of every
    /// comment left (one per empty list, map or block made a file with many
    /// comments quadratic).
    pub fn any_within(&self, start: usize, end: usize) -> bool {
        let left = self.comments.get(self.next..).unwrap_or_default();
        let first = left.partition_point(|c| (c.span.start as usize) < start);
        left.get(first)
            .is_some_and(|c| (c.span.start as usize) < end)
    }

    /// The comment ending the line on which something ended at `end`: only
    /// blanks and commas between them, no line break.
    pub fn pop_trailing(&mut self, source: &str, end: usize) -> Option<&'a Comment> {
        let comment = self.comments.get(self.next)?;
        let start = comment.span.start as usize;
        let between = source.get(end..start)?;
        if between.chars().all(|c| matches!(c, ' ' | '\t' | ',')) {
            self.next += 1;
            Some(comment)
        } else {
            None
        }
    }
}
