//! `khabar import_export`.
