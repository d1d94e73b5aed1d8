//! Test-only: the fixture files the feed layer's shortcut tests run over (a
//! file of its own so that the pure layer's no-IO check skips it, as it skips tests).

/// Every file under `tests/fixtures`, for the unit tests that check a shortcut
/// against its reference on all of them.
pub(crate) fn files() -> Vec<std::path::PathBuf> {
    let mut dirs = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")];
    let mut files = Vec::new();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}
