//! The command line: argument parsing (clap) and dispatch to one module per
//! subcommand. Resolving paths and loading config happen here, once.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::{BidiMode, ShapingMode};
use crate::text::Direction;

pub use context::Context;

mod add;
mod context;
mod feeds;
mod import_export;
mod items;
mod refresh;
mod render;

/// A keyboard-driven terminal news reader that lays out Persian and other
/// right-to-left text correctly.
#[derive(Debug, Parser)]
#[command(name = "khabar", version, about, long_about = None)]
pub struct Cli {
    /// Config file (default: $KHABAR_CONFIG, else the platform config directory's
    /// khabar/config.toml).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Database file (default: $KHABAR_DB, else the platform data directory's
    /// khabar/khabar.db).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Who reorders right-to-left text (overrides `[display] bidi`).
    #[arg(long, global = true, value_enum)]
    pub bidi: Option<BidiMode>,
    /// Who joins Arabic-script letters (overrides `[display] shaping`).
    #[arg(long, global = true, value_enum)]
    pub shaping: Option<ShapingMode>,
    /// Open the reader on a built-in offline sample in a temporary database.
    #[arg(long)]
    pub demo: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fetch feeds and store new items (all enabled feeds unless narrowed).
    Refresh {
        /// Only this feed (repeatable).
        #[arg(long, value_name = "URL")]
        feed: Vec<String>,
        /// Only feeds with this tag (repeatable).
        #[arg(long, value_name = "TAG")]
        tag: Vec<String>,
        /// No progress bar and no summary line.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Subscribe to a feed; a web page's advertised feeds are found automatically.
    Add {
        /// The feed's address, or a web page that links to its feeds (or a file path).
        url: String,
        /// Tag for the feed (repeatable).
        #[arg(long, value_name = "TAG")]
        tag: Vec<String>,
        /// Title to show instead of the feed's own.
        #[arg(long)]
        title: Option<String>,
    },
    /// Unsubscribe from a feed and delete its items.
    Remove {
        /// The feed's address, as `khabar feeds` shows it.
        url: String,
    },
    /// List feeds: title, URL, tags, unread count, last error.
    Feeds {
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// Import subscriptions from OPML or a newsboat `urls` file.
    Import {
        /// An OPML file or a newsboat `urls` file.
        file: PathBuf,
    },
    /// Write subscriptions as OPML 2.0 (tags as categories) to standard output.
    Export,
    /// List items, newest first.
    Items {
        /// Only unread items.
        #[arg(long)]
        unread: bool,
        /// Only starred items.
        #[arg(long)]
        starred: bool,
        /// Only items of feeds with this tag, or with this item category.
        #[arg(long, value_name = "TAG")]
        tag: Option<String>,
        /// Only items of this feed.
        #[arg(long, value_name = "URL")]
        feed: Option<String>,
        /// At most this many items.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// Print the number of unread items (for status bars).
    Unread,
    /// Mark items read by id, or all (optionally of one tag).
    MarkRead {
        /// Item ids, as `khabar items` shows them.
        ids: Vec<i64>,
        /// Every unread item (of the tag given with --tag).
        #[arg(long, conflicts_with = "ids")]
        all: bool,
        /// With --all: only items of feeds with this tag, or with this item category.
        #[arg(long, value_name = "TAG", requires = "all")]
        tag: Option<String>,
        /// Mark unread instead.
        #[arg(long)]
        unread: bool,
    },
    /// Star items by id.
    Star {
        /// Item ids, as `khabar items` shows them.
        #[arg(required = true)]
        ids: Vec<i64>,
        /// Remove the star instead.
        #[arg(long)]
        unstar: bool,
    },
    /// Lay out text (or HTML) from standard input as visual lines: a bidi filter.
    Render {
        /// Width in cells (default: the terminal's, else 80).
        #[arg(long)]
        width: Option<u16>,
        /// Paragraph direction.
        #[arg(long, value_enum, default_value = "auto")]
        dir: RenderDirection,
        /// Shape Arabic-script letters into presentation forms.
        #[arg(long)]
        shape: bool,
        /// Input is HTML.
        #[arg(long)]
        html: bool,
    },
}

/// `--dir` values for `khabar render`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RenderDirection {
    Auto,
    Rtl,
    Ltr,
}

impl From<RenderDirection> for Direction {
    fn from(d: RenderDirection) -> Direction {
        match d {
            RenderDirection::Auto => Direction::Auto,
            RenderDirection::Rtl => Direction::Rtl,
            RenderDirection::Ltr => Direction::Ltr,
        }
    }
}

/// Entry point of the binary: parses arguments, runs, prints errors, picks the exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("khabar: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    // `render` needs neither config nor database: keep it that way.
    if let Some(Command::Render {
        width,
        dir,
        shape,
        html,
    }) = &cli.command
    {
        return render::run(*width, (*dir).into(), *shape, *html);
    }
    if cli.demo && cli.command.is_some() {
        anyhow::bail!("--demo opens the reader on sample feeds; it does not go with a subcommand");
    }
    let ctx = Context::from_cli(&cli)?;
    // `unread` runs from status bars many times a minute: it logs nothing. The demo
    // leaves nothing behind in the user's data directory, a log included.
    let _log_guard = match cli.command {
        Some(Command::Unread) => None,
        None if cli.demo => None,
        _ => crate::logging::init(&ctx.log_dir()),
    };
    let Some(command) = cli.command else {
        // The terminal is checked before the config is read or the database opened.
        crate::tui::require_terminal()?;
        return crate::tui::run(ctx.reader_options(cli.demo)?);
    };
    match command {
        Command::Refresh { feed, tag, quiet } => refresh::run(&ctx, &feed, &tag, quiet),
        Command::Add { url, tag, title } => add::run(&ctx, &url, &tag, title.as_deref()),
        Command::Remove { url } => feeds::remove(&ctx, &url),
        Command::Feeds { json } => feeds::list(&ctx, json),
        Command::Import { file } => import_export::import(&ctx, &file),
        Command::Export => import_export::export(&ctx),
        Command::Items {
            unread,
            starred,
            tag,
            feed,
            limit,
            json,
        } => {
            let filter = items::ItemsFilter {
                unread,
                starred,
                tag,
                feed,
                limit,
            };
            items::list(&ctx, &filter, json)
        }
        Command::Unread => items::unread(&ctx),
        Command::MarkRead {
            ids,
            all,
            tag,
            unread,
        } => items::mark_read(&ctx, &ids, all, tag.as_deref(), !unread),
        Command::Star { ids, unstar } => items::star(&ctx, &ids, !unstar),
        Command::Render { .. } => unreachable!("handled above"),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_argument_of_every_subcommand_is_documented() {
        let cli = Cli::command();
        for sub in cli.get_subcommands() {
            for arg in sub.get_arguments() {
                assert!(
                    arg.get_help().is_some(),
                    "`khabar {} --{}` has no help text",
                    sub.get_name(),
                    arg.get_id()
                );
            }
        }
    }

    #[test]
    fn demo_with_a_subcommand_is_an_error_not_ignored() {
        let cli = Cli::try_parse_from(["khabar", "--demo", "feeds"]).unwrap();
        let err = run(cli).unwrap_err().to_string();
        assert!(err.contains("--demo"), "{err}");
    }
}
