//! Stage 1: text → syntax tree, with a span on every node.

pub mod ast;
mod brackets;
mod nesting;
mod parse_error;
mod parser;

pub use parser::parse;
