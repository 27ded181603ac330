pub mod diff;
pub mod models;
