//! `khabar add`.
