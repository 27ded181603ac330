//! Stage 1: text → syntax tree, with a span on every node.

pub mod ast;
mod character;
mod fast_path;
mod leftover;
mod line_breaks;
mod missing_value;
mod nesting;
mod parse_error;
mod parser;
mod tokens;
mod tree_str;
mod unbalanced;

pub(crate) use character::unseen_in_snippet;
pub use parser::parse;
