//! `khabar refresh`.
