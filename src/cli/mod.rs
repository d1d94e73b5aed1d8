//! The command line: argument parsing (clap) and dispatch to one module per
//! subcommand. Resolving paths and loading config happen here, once.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::{BidiMode, ShapingMode};
use crate::text::Direction;

pub use context::Context;

mod add;
mod article;
mod context;
mod docs;
mod extract;
mod feeds;
mod fulltext;
mod import_export;
mod items;
mod newsboat_config;
mod refresh;
mod render;
mod search;
mod sync;
mod terminal_check;

/// A keyboard-driven terminal news reader that lays out Persian and other
/// right-to-left text correctly.
#[derive(Debug, Parser)]
#[command(name = "khabar", version = env!("KHABAR_LONG_VERSION"), about, long_about = None)]
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
    /// The subcommand; none opens the reader.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
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
    /// Import subscriptions from OPML or a newsboat `urls` file, or translate a
    /// newsboat `config` file into khabar's config.
    Import {
        /// An OPML file or a newsboat `urls` file.
        #[arg(required_unless_present = "newsboat_config")]
        file: Option<PathBuf>,
        /// A newsboat `config` file: its settings with an exact khabar equivalent
        /// become the config file when there is none yet, else are merged into it
        /// (its comments and values kept); every other line is listed with why.
        #[arg(long, value_name = "FILE")]
        newsboat_config: Option<PathBuf>,
        /// newsboat's cache (~/.newsboat/cache.db or ~/.local/share/newsboat/cache.db):
        /// also bring every cached item with its read, unread and flagged state.
        #[arg(long, value_name = "PATH", requires = "file")]
        newsboat_cache: Option<PathBuf>,
        /// Keep an OPML file's exec:/filter: feeds, which run commands at every
        /// refresh (a newsboat `urls` file's are always kept: it is your own).
        #[arg(long)]
        allow_commands: bool,
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
        /// Only items matching this query (as `khabar search` reads it), newest first.
        #[arg(long, value_name = "QUERY", conflicts_with_all = ["tag", "feed"])]
        query: Option<String>,
    },
    /// Search the stored items: words, "phrases", tag:, feed:, is:, after:, before:,
    /// -exclusions, or, parentheses; best matches first (`sort:date`: newest first).
    Search {
        /// The query, e.g. `بورس "نرخ ارز" after:1403/05/01 -tag:ورزش`.
        query: String,
        /// At most this many results.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// One JSON object per line: `khabar items --json` fields plus `snippet`.
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
        /// Every unread item matching this query (as `khabar search` reads it).
        #[arg(long, value_name = "QUERY", conflicts_with_all = ["ids", "all", "unread"])]
        query: Option<String>,
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
    /// Sync with the [sync] feed server: send local marks, pull new entries, take
    /// its read/starred state.
    Sync {
        /// No summary line (errors are still printed).
        #[arg(long, short)]
        quiet: bool,
        /// Try now even while backing off after failed syncs.
        #[arg(long)]
        now: bool,
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
    /// Print a shell completion script (e.g. `khabar completions bash > ~/.local/share/bash-completion/completions/khabar`).
    Completions {
        /// The shell to write completions for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Show Persian lines in each way khabar can write them, ask which reads right,
    /// and save the answer as `[display] bidi` and `shaping` in the config file.
    TerminalCheck,
    /// Print the manual page in roff (e.g. `khabar man | man -l -`).
    Man,
    /// Fetch the web pages of items and keep their full articles (for reading offline).
    Fulltext {
        /// Only items of this feed (whatever its `fulltext` setting).
        #[arg(long, value_name = "URL")]
        feed: Option<String>,
        /// Only items of feeds with this tag (whatever their `fulltext` setting).
        #[arg(long, value_name = "TAG")]
        tag: Option<String>,
        /// Only items without full text yet (pages that failed are tried again).
        #[arg(long)]
        missing: bool,
        /// At most this many items, newest first.
        #[arg(long, default_value_t = 200)]
        limit: usize,
    },
    /// Print one item laid out for the terminal, as the reader shows it.
    Article {
        /// The item's id, as `khabar items` shows it.
        id: i64,
        /// Width in cells (default: the terminal's, else 80).
        #[arg(long)]
        width: Option<u16>,
        /// Print the body's HTML instead.
        #[arg(long)]
        html: bool,
        /// The full article from the item's web page (stored, else fetched now).
        #[arg(long)]
        full: bool,
    },
    /// Extract the article from a web page, a file or standard input (`-`).
    Extract {
        /// An http(s) address, a file, or `-` for standard input.
        source: String,
        /// Print the article's HTML.
        #[arg(long, conflicts_with = "json")]
        html: bool,
        /// One JSON object: title, byline, date, direction, lang, method, text, html.
        #[arg(long)]
        json: bool,
    },
}

/// `--dir` values for `khabar render`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RenderDirection {
    /// First strong character decides.
    Auto,
    /// Right to left.
    Rtl,
    /// Left to right.
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
    quiet_panics_caught_by_the_feed_parser_guard();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("khabar: {}", one_line(&err));
            ExitCode::FAILURE
        }
    }
}

/// An error and its causes on one line, each cause once
/// ([`crate::text::error_line::one_line`]).
pub(crate) fn one_line(err: &anyhow::Error) -> String {
    crate::text::error_line::one_line(err.as_ref())
}

/// A panic inside feed-rs is caught and becomes that feed's error
/// ([`crate::feed::crash_guard`]); it goes to the log, not over the reader's
/// screen or into `khabar refresh`'s output. Every other panic is printed.
fn quiet_panics_caught_by_the_feed_parser_guard() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if crate::feed::crash_guard::inside() {
            tracing::error!(panic = %info, "feed parser panicked; the feed fails, the others go on");
        } else {
            previous(info);
        }
    }));
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
    // Like `render`: generated from the command-line definition alone.
    match &cli.command {
        Some(Command::Completions { shell }) => return docs::completions(*shell),
        Some(Command::Man) => return docs::man(),
        // It may create the config file, so a --config that does not exist yet is
        // where to write, not a mistake.
        Some(Command::TerminalCheck) => {
            return terminal_check::run(&Context::config_path_for_writing(&cli));
        }
        // It may create the config file, as terminal-check may.
        Some(Command::Import {
            file: None,
            newsboat_config: Some(config),
            ..
        }) => return newsboat_config::run(config, &Context::config_path_for_writing(&cli)),
        _ => {}
    }
    // `extract` of a file or standard input needs neither config nor database.
    if let Some(Command::Extract { source, html, json }) = &cli.command
        && !crate::fetch::is_http(source)
    {
        return extract::run(extract::Source::Local(source), *html, *json);
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
        Command::Import {
            file,
            newsboat_config,
            newsboat_cache,
            allow_commands,
        } => {
            let code = match &file {
                Some(file) => {
                    import_export::import(&ctx, file, newsboat_cache.as_deref(), allow_commands)?
                }
                None => ExitCode::SUCCESS,
            };
            match &newsboat_config {
                Some(config) => newsboat_config::run(config, &ctx.config_path),
                None => Ok(code),
            }
        }
        Command::Export => import_export::export(&ctx),
        Command::Items {
            unread,
            starred,
            tag,
            feed,
            limit,
            json,
            query,
        } => {
            let filter = items::ItemsFilter {
                unread,
                starred,
                tag,
                feed,
                limit,
                query,
            };
            items::list(&ctx, &filter, json)
        }
        Command::Unread => items::unread(&ctx),
        Command::MarkRead {
            query: Some(query), ..
        } => search::mark_read(&ctx, &query),
        Command::Search { query, limit, json } => search::run(&ctx, &query, limit, json),
        Command::MarkRead {
            ids,
            all,
            tag,
            unread,
            query: None,
        } => items::mark_read(&ctx, &ids, all, tag.as_deref(), !unread),
        Command::Star { ids, unstar } => items::star(&ctx, &ids, !unstar),
        Command::Sync { quiet, now } => sync::run(&ctx, quiet, now),
        Command::Fulltext {
            feed,
            tag,
            missing,
            limit,
        } => fulltext::run(
            &ctx,
            &fulltext::Options {
                feed: feed.as_deref(),
                tag: tag.as_deref(),
                missing,
                limit,
            },
        ),
        Command::Article {
            id,
            width,
            html,
            full,
        } => article::run(&ctx, id, width, html, full),
        Command::Extract { source, html, json } => {
            let config = ctx.config()?;
            extract::run(extract::Source::Web(&source, config.fetch), html, json)
        }
        Command::Render { .. }
        | Command::Completions { .. }
        | Command::Man
        | Command::TerminalCheck => {
            unreachable!("handled above")
        }
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
