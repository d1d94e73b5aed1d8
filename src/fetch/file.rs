//! Feeds read from the local disk: `file://` URLs and plain paths, under the
//! same size cap as the network's bodies.

use url::Url;

use super::{Body, FetchError};

/// The body of a `file://` URL or a plain path; any other scheme is refused.
pub(super) async fn fetch_file(url: &str, cap: u64) -> Result<Body, FetchError> {
    if !url.starts_with("file://")
        && url.split_once("://").is_some_and(|(scheme, _)| {
            scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.')
        })
    {
        return Err(FetchError::BadUrl(format!(
            "{url} (only http, https, file:// and paths)"
        )));
    }
    let path = match url.strip_prefix("file://") {
        Some(_) => Url::parse(url)
            .ok()
            .and_then(|u| u.to_file_path().ok())
            .ok_or_else(|| FetchError::BadUrl(url.to_string()))?,
        None => std::path::PathBuf::from(url),
    };
    let bytes = tokio::task::spawn_blocking(move || read_regular_file(&path, cap))
        .await
        .map_err(|err| FetchError::Network(format!("file reader failed: {err}")))??;
    Ok(Body {
        bytes,
        final_url: url.to_string(),
        ..Body::default()
    })
}

/// Reads a local feed: only a regular file (`/dev/zero`, `/dev/tty`, a FIFO or a
/// directory is refused before it is opened, and checked again once open), and
/// never more than `cap` bytes whatever its metadata says (issue 8, defect 2).
fn read_regular_file(path: &std::path::Path, cap: u64) -> Result<Vec<u8>, FetchError> {
    use std::io::Read as _;
    let file_error = |source| FetchError::File {
        path: path.display().to_string(),
        source,
    };
    let not_regular = || {
        file_error(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        ))
    };
    let meta = std::fs::metadata(path).map_err(file_error)?;
    if !meta.is_file() {
        return Err(not_regular());
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        // Swapped for a FIFO after the check: opening must not wait for a writer.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(file_error)?;
    if !file.metadata().map_err(file_error)?.is_file() {
        return Err(not_regular());
    }
    let mut bytes = Vec::with_capacity(meta.len().min(cap) as usize);
    file.take(cap.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(file_error)?;
    if bytes.len() as u64 > cap {
        return Err(FetchError::TooLarge(cap));
    }
    Ok(bytes)
}
