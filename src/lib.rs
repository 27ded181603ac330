//! stackc: compiles a stack description into the files a team commits.
//!
//! The pipeline, one module per stage:
//! [`syntax`] (parse) → [`load`] (includes) → [`analyse`] (names, types,
//! graph, templates) → [`model`] → emitters → output.

pub mod affected;
pub mod analyse;
pub mod cli;
pub mod compile;
pub mod diagnostic;
pub mod diagram;
pub mod emit;
pub mod format;
pub mod import;
pub(crate) mod lexical_path;
pub mod load;
pub mod model;
pub mod output;
pub mod shell;
pub mod source;
pub mod syntax;
