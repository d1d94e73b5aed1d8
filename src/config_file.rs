//! Writing a user's config file after an edit (the text `config/edit.rs` makes): the whole new
//! text to a temporary file beside it, flushed, then renamed over it, so a
//! crash or a full disk leaves the old file or the new one, never half of
//! each. The file keeps its permissions (it may hold a sync password), and a
//! config that is a symbolic link (a dotfile manager's) is written through
//! the link, which stays.

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Replaces the config file at `path` (created, with its directory, when
/// missing) with `text`.
pub fn replace(path: &Path, text: &str) -> std::io::Result<()> {
    let target = link_target(path);
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    if let Ok(meta) = std::fs::metadata(&target) {
        std::fs::set_permissions(tmp.path(), meta.permissions())?;
    }
    tmp.persist(&target).map_err(|err| err.error)?;
    Ok(())
}

/// The file a path names once its symbolic links are followed; the path itself
/// when it is not a link. A link whose target does not exist yet names that
/// target (made relative to the link's directory), so the link keeps working.
fn link_target(path: &Path) -> PathBuf {
    let mut current = path.to_path_buf();
    // A bound, not a loop detector: the OS gives up on longer chains too.
    for _ in 0..40 {
        let Ok(next) = std::fs::read_link(&current) else {
            return current;
        };
        current = match current.parent() {
            Some(dir) if next.is_relative() => dir.join(next),
            _ => next,
        };
    }
    current
}

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use super::*;

    #[test]
    fn a_linked_config_is_written_through_its_link() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("dotfiles")).unwrap();
        let real = dir.path().join("dotfiles/khabar.toml");
        std::fs::write(&real, "old").unwrap();
        let link = dir.path().join("config.toml");
        std::os::unix::fs::symlink("dotfiles/khabar.toml", &link).unwrap();
        replace(&link, "new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");

        // A link to a file not written yet: the file is made where it points.
        let dangling = dir.path().join("later.toml");
        std::os::unix::fs::symlink("dotfiles/later.toml", &dangling).unwrap();
        replace(&dangling, "first").unwrap();
        assert!(
            std::fs::symlink_metadata(&dangling)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("dotfiles/later.toml")).unwrap(),
            "first"
        );
    }

    #[test]
    fn the_permissions_of_the_file_are_kept() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        replace(&path, "new").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
    }
}
