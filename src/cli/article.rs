//! `khabar article ID [--width N] [--html] [--full]`: one item as the reader shows
//! it (header, body, numbered links), laid out by the same engine, so Persian
//! reads right in a pipe or a scrollback too; or its HTML.
//!
//! Without `--full` the body is the feed's own text; with it, the article taken
//! from the item's web page: the stored one, else fetched now (the feed's text is
//! kept, with a note, when the page gives none).

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use anyhow::Context as _;

use super::Context;
use super::render::{plain_line, terminal_width};
use crate::config::{BidiMode, ShapingMode};
use crate::text::LayoutOptions;
use crate::text::layout::layout_blocks;
use crate::tui::DateStyle;
use crate::tui::article::article_blocks;

/// Prints item `id`.
pub fn run(
    ctx: &Context,
    id: i64,
    width: Option<u16>,
    html: bool,
    full: bool,
) -> anyhow::Result<ExitCode> {
    if width == Some(0) {
        anyhow::bail!("--width must be at least 1");
    }
    let config = ctx.config()?;
    let store = ctx.open_existing_store()?;
    let Some(mut detail) = store.item(id)? else {
        anyhow::bail!("no item with id {id} (see khabar items)");
    };
    let status = store.fulltext_status(id)?.unwrap_or_default();
    drop(store);
    if full {
        let article = match status.html {
            Some(article) => Some(article),
            None => fetch_now(ctx, &config.fetch, id, status.link.as_deref())?,
        };
        match article {
            Some(article) => detail.content_html = Some(article),
            None => eprintln!("khabar: no full text for item {id}; showing the feed's text"),
        }
    }
    let mut out = String::new();
    if html {
        let body = detail
            .content_html
            .as_deref()
            .filter(|h| !h.trim().is_empty())
            .or(detail.summary.as_deref())
            .unwrap_or("");
        out.push_str(body);
        out.push('\n');
    } else {
        let locale = config.display.locale;
        let dates = DateStyle {
            jalali: config.display.jalali_dates.resolve(locale),
            persian_digits: config.display.persian_digits.resolve(locale),
            utc_offset: chrono::Local::now().offset().local_minus_utc(),
            locale,
            // The article header shows the full date, never "yesterday".
            relative: false,
            now: None,
        };
        let (blocks, _) = article_blocks(&detail, dates);
        let opts = LayoutOptions {
            shape: ctx.shaping.unwrap_or(config.display.shaping) == ShapingMode::App,
            terminal_bidi: ctx.bidi.unwrap_or(config.display.bidi) == BidiMode::Terminal,
        };
        let width = width.unwrap_or_else(terminal_width).max(1);
        for line in layout_blocks(&blocks, width, opts) {
            out.push_str(&plain_line(&line));
            out.push('\n');
        }
    }
    let stdout = io::stdout();
    let mut writer = BufWriter::new(stdout.lock());
    match writer
        .write_all(out.as_bytes())
        .and_then(|()| writer.flush())
    {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(err) => Err(err).context("writing standard output"),
    }
}

/// Fetches the item's page now; `None` (with the reason on standard error) when
/// it gives no article.
fn fetch_now(
    ctx: &Context,
    fetch: &crate::config::FetchConfig,
    id: i64,
    link: Option<&str>,
) -> anyhow::Result<Option<String>> {
    let Some(link) = link else {
        return Ok(None);
    };
    let runtime = crate::fetch::runtime(crate::fetch::Workers::CallerOnly)
        .context("cannot start the async runtime")?;
    let fetcher = crate::fetch::Fetcher::new(fetch)?;
    let result = runtime.block_on(crate::fulltext::fetch::fetch_item(
        &ctx.db_path,
        &fetcher,
        id,
        link,
    ))?;
    Ok(match result {
        Ok(article) => Some(article),
        Err(why) => {
            eprintln!(
                "khabar: {}: {}",
                crate::text::sanitize::clean_inline(link),
                why
            );
            None
        }
    })
}
