//! `khabar extract URL-or-FILE [--html] [--json]`: the article extractor alone.
//! A file or standard input (`-`) needs no network, config or database; a web
//! address is fetched with the configured limits.

use std::io::{self, Read, Write};
use std::process::ExitCode;

use anyhow::Context as _;

use crate::fulltext::{self, Extracted};
use crate::text::sanitize;

/// Where the page comes from.
pub enum Source<'a> {
    /// A local file, or `-` for standard input.
    Local(&'a str),
    /// An http(s) address, fetched with these settings.
    Web(&'a str, crate::config::FetchConfig),
}

/// Runs the extractor on `source` and prints the article.
pub fn run(source: Source<'_>, html: bool, json: bool) -> anyhow::Result<ExitCode> {
    let article = match source {
        Source::Local(path) => {
            let bytes = read_local(path)?;
            fulltext::extract_bytes(&bytes, None, None)?
        }
        Source::Web(url, config) => {
            let runtime = crate::fetch::runtime(crate::fetch::Workers::CallerOnly)
                .context("cannot start the async runtime")?;
            runtime.block_on(async {
                let fetcher = crate::fetch::Fetcher::new(&config)?;
                fulltext::fetch::fetch_page(&fetcher, url)
                    .await
                    .map_err(anyhow::Error::from)
            })?
        }
    };
    let out = if json {
        json_line(&article)
    } else if html {
        format!("{}\n", article.content_html)
    } else {
        text_form(&article)
    };
    let stdout = io::stdout();
    let mut lock = stdout.lock();
    match lock.write_all(out.as_bytes()).and_then(|()| lock.flush()) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(err) => Err(err).context("writing standard output"),
    }
}

/// The largest page read from a file or standard input: over a hundred times
/// the largest fixture page (489 KB), and far beyond any article; `cat /dev/zero | khabar extract -` must
/// end with an error, not take the machine's memory.
const MAX_LOCAL_PAGE: u64 = 64 * 1024 * 1024;

fn read_local(path: &str) -> anyhow::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if path == "-" {
        io::stdin()
            .take(MAX_LOCAL_PAGE + 1)
            .read_to_end(&mut bytes)
            .context("reading standard input")?;
    } else {
        let metadata = std::fs::metadata(path).with_context(|| format!("cannot read {path}"))?;
        // A device or a pipe under a file's name is not a page (and may never end).
        anyhow::ensure!(metadata.is_file(), "{path} is not a regular file");
        anyhow::ensure!(
            metadata.len() <= MAX_LOCAL_PAGE,
            "{path} is larger than {} MB: not a page",
            MAX_LOCAL_PAGE / (1024 * 1024)
        );
        bytes = std::fs::read(path).with_context(|| format!("cannot read {path}"))?;
    }
    anyhow::ensure!(
        bytes.len() as u64 <= MAX_LOCAL_PAGE,
        "the input is larger than {} MB: not a page",
        MAX_LOCAL_PAGE / (1024 * 1024)
    );
    Ok(bytes)
}

/// Headline, byline, date and direction, then the article's paragraphs.
fn text_form(article: &Extracted) -> String {
    let mut out = String::new();
    out.push_str(&sanitize::clean_inline(&article.title));
    out.push('\n');
    for (label, value) in [("by", &article.byline), ("date", &article.date)] {
        if let Some(value) = value {
            out.push_str(&format!("{label}: {}\n", sanitize::clean_inline(value)));
        }
    }
    out.push_str(&format!(
        "direction: {}\n\n",
        article.dir.as_deref().unwrap_or("auto")
    ));
    for line in article.text().lines() {
        out.push_str(&sanitize::clean_inline(line));
        out.push_str("\n\n");
    }
    out
}

fn json_line(article: &Extracted) -> String {
    let value = serde_json::json!({
        "title": article.title,
        "byline": article.byline,
        "date": article.date,
        "direction": article.dir,
        "lang": article.lang,
        "method": article.method,
        "text": article.text(),
        "html": article.content_html,
    });
    // Page text may carry C1 controls and bidi overrides: escaped as `items --json` does.
    format!("{}\n", super::items::json_line(&value))
}
