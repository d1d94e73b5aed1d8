//! `khabar items`.
