//! `khabar feeds`.
