//! khabar: a keyboard-driven terminal news reader that lays out Persian and other
//! right-to-left text correctly.
//!
//! The crate is split into a pure core (config types, feed normalisation, HTML to
//! blocks, text layout and bidi, the TUI model and `update`) and IO at the edge
//! (fetcher, store, terminal runner). The binary in `main.rs` only calls [`cli::main`].

pub mod cli;
pub mod config;
pub mod config_file;
pub mod core;
pub mod feed;
pub mod fetch;
pub mod fulltext;
pub mod fuzzing;
pub mod html;
pub mod logging;
pub mod paths;
pub mod query;
pub mod refresh;
pub mod store;
pub mod sync;
pub mod text;
pub mod tui;
