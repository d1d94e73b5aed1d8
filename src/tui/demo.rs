//! `khabar --demo`: a built-in offline sample (Persian and English feeds compiled
//! into the binary) loaded into a temporary database.

use std::path::Path;

use crate::store::Store;

/// Creates the demo database at `path` and returns it open.
pub fn create(path: &Path) -> anyhow::Result<Store> {
    let store = Store::open(path)?;
    Ok(store)
}
