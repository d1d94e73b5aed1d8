//! The runner: the only place with IO. It reads terminal events on a thread,
//! runs database work on another thread (one connection, in order), refreshes in
//! tokio tasks, and feeds everything back to `update` as messages. It draws after
//! each batch of messages; the UI never waits on the database or the network.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use base64::Engine;
use crossterm::event::{Event, KeyEventKind, MouseEventKind};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use crate::config::FetchConfig;
use crate::fetch::{FetchError, Fetcher};
use crate::store::Store;

use crate::config::command::CommandMode;

use super::db;
use super::keymap::Key;
use super::model::Model;
use super::msg::{Command, DbRequest, Msg};
use super::process;
use super::terminal;
use super::update::update;
use super::view::view;

/// What the runner needs besides the model.
pub struct RunnerConfig {
    pub db_path: PathBuf,
    pub fetch: FetchConfig,
    pub browser: String,
    pub mouse: bool,
    /// Which read items a refresh removes.
    pub cleanup: crate::store::CleanupPolicy,
    pub app_bidi: bool,
    /// The `[sync]` server, when one is configured.
    pub sync: Option<crate::sync::SyncSettings>,
    /// The config file, where `S` appends a view.
    pub config_path: PathBuf,
    /// `[[ignore]]`: new items these select are not stored by a refresh.
    pub ignore: Vec<crate::query::Query>,
    /// `[general] notify_command`, run by a refresh that stored new items.
    pub notify_command: String,
    /// Set once a `notify_command` that could not start was said: a reader
    /// refreshing every few minutes says it once, not each time.
    pub notify_failure_said: Arc<AtomicBool>,
}

/// Runs the reader until the user quits or SIGTERM arrives.
pub async fn run(mut model: Model, store: Store, config: RunnerConfig) -> anyhow::Result<()> {
    terminal::install_panic_hook();
    terminal::enter(config.mouse, config.app_bidi)?;
    let _guard = terminal::Guard;
    let backend = CrosstermBackend::new(std::io::stdout());
    let mut term = Terminal::new(backend)?;
    full_redraw(&mut term)?;

    let (tx, mut rx) = unbounded_channel::<Msg>();
    let paused = Arc::new(AtomicBool::new(false));
    spawn_input_thread(tx.clone(), paused.clone(), config.mouse);
    let db = db::spawn(store, tx.clone());
    let pages = PageFetcher::default();

    let size = term.size()?;
    let mut pending = update(
        &mut model,
        Msg::Resize {
            width: size.width,
            height: size.height,
        },
    );
    // The first frame already has the clock's time and local offset.
    pending.extend(update(&mut model, clock()));
    pending.push(Command::Db(DbRequest::LoadFeeds));
    // Local first: the reader is already showing the database; the sync runs behind.
    if config.sync.is_some() {
        model.sync_running = true;
        pending.push(Command::Sync);
    }

    let mut shutdown = Shutdown::new()?;
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);

    loop {
        let mut quit = false;
        for command in pending.drain(..) {
            match command {
                // Commands after a quit came from keys typed after it: dropped.
                Command::Quit => {
                    quit = true;
                    break;
                }
                // The terminal is the command's until it ends (like Ctrl-Z).
                Command::Run(run) if run.mode != CommandMode::Background => {
                    paused.store(true, Ordering::SeqCst);
                    let outcome = terminal::hand_over(config.mouse, config.app_bidi, || {
                        process::run_foreground(&run)
                    });
                    paused.store(false, Ordering::SeqCst);
                    let outcome = outcome?;
                    full_redraw(&mut term)?;
                    let _ = tx.send(Msg::CommandEnded {
                        name: run.name,
                        mode: run.mode,
                        outcome,
                    });
                }
                Command::Suspend => {
                    paused.store(true, Ordering::SeqCst);
                    let result = terminal::suspend(config.mouse, config.app_bidi);
                    paused.store(false, Ordering::SeqCst);
                    result?;
                    full_redraw(&mut term)?;
                }
                other => execute(other, &config, &tx, &db, &pages),
            }
        }
        if quit {
            break;
        }
        term.draw(|frame| view(&model, frame))?;

        let msg = tokio::select! {
            msg = rx.recv() => match msg {
                Some(msg) => msg,
                None => break,
            },
            _ = tick.tick() => clock(),
            _ = shutdown.wait() => break,
        };
        pending.extend(update(&mut model, msg));
        // Everything already waiting is applied before the next frame.
        while let Ok(msg) = rx.try_recv() {
            pending.extend(update(&mut model, msg));
        }
    }
    // Read/starred changes already asked for are written before the process ends.
    db.finish();
    Ok(())
}

/// The clock message: the time, and the local offset read again each time so a
/// daylight-saving change reaches the dates on screen.
fn clock() -> Msg {
    let now = chrono::Local::now();
    Msg::Tick {
        now: now.timestamp(),
        utc_offset: now.offset().local_minus_utc(),
    }
}

/// Clears the screen and forgets what was drawn, so the next frame is complete.
/// (`Terminal::clear` would query the cursor position, which not every terminal answers.)
fn full_redraw(term: &mut Terminal<CrosstermBackend<std::io::Stdout>>) -> std::io::Result<()> {
    let size = term.size()?;
    term.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
}

/// SIGTERM (and SIGHUP: the terminal went away) end the reader cleanly.
struct Shutdown {
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
    #[cfg(unix)]
    hangup: tokio::signal::unix::Signal,
}

impl Shutdown {
    fn new() -> std::io::Result<Shutdown> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Shutdown {
                term: signal(SignalKind::terminate())?,
                hangup: signal(SignalKind::hangup())?,
            })
        }
        #[cfg(not(unix))]
        Ok(Shutdown {})
    }

    async fn wait(&mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.term.recv() => {}
            _ = self.hangup.recv() => {}
        }
        #[cfg(not(unix))]
        std::future::pending::<()>().await
    }
}

/// Terminal events on a plain thread (crossterm's reader blocks); paused while suspended.
fn spawn_input_thread(tx: UnboundedSender<Msg>, paused: Arc<AtomicBool>, mouse: bool) {
    std::thread::spawn(move || {
        loop {
            if paused.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
            match crossterm::event::poll(Duration::from_millis(100)) {
                Ok(false) => continue,
                Ok(true) => {}
                Err(_) => return,
            }
            let msg = match crossterm::event::read() {
                Ok(Event::Key(key)) if key.kind != KeyEventKind::Release => {
                    Key::from_event(&key).map(Msg::Key)
                }
                Ok(Event::Mouse(mouse_event)) if mouse => match mouse_event.kind {
                    MouseEventKind::ScrollDown => Some(Msg::Wheel(3)),
                    MouseEventKind::ScrollUp => Some(Msg::Wheel(-3)),
                    _ => None,
                },
                Ok(Event::Resize(width, height)) => Some(Msg::Resize { width, height }),
                Ok(_) => None,
                Err(_) => return,
            };
            if let Some(msg) = msg
                && tx.send(msg).is_err()
            {
                return;
            }
        }
    });
}

/// The reader's one HTTP client for the pages that `F` and `on-open` fetch.
/// Made on the first such page, never at start (building a client reads the
/// system's CA certificates: 4–6 ms here), then kept: the next page from the
/// same site reuses its open connection instead of a new TCP and TLS
/// handshake, and pages fetched at once share the per-host limit.
#[derive(Clone, Default)]
struct PageFetcher(Arc<tokio::sync::OnceCell<Arc<Fetcher>>>);

impl PageFetcher {
    async fn get(&self, config: &FetchConfig) -> Result<Arc<Fetcher>, FetchError> {
        self.0
            .get_or_try_init(|| async { Fetcher::new(config).map(Arc::new) })
            .await
            .cloned()
    }
}

fn execute(
    command: Command,
    config: &RunnerConfig,
    tx: &UnboundedSender<Msg>,
    db: &db::Handle,
    pages: &PageFetcher,
) {
    match command {
        Command::Refresh(targets) => {
            // The same refresh task as `khabar refresh`: full text and cleanup
            // included; only the way progress is shown (the status line) differs.
            let tx = tx.clone();
            let request = crate::refresh::RefreshRequest {
                db_path: config.db_path.clone(),
                fetch: config.fetch.clone(),
                cleanup: config.cleanup,
                targets,
                ignore: config.ignore.clone(),
                notify_command: config.notify_command.clone(),
            };
            let said = config.notify_failure_said.clone();
            tokio::spawn(async move {
                let (events_tx, events_rx) = unbounded_channel();
                let forward = tokio::spawn(forward_events(events_rx, tx.clone()));
                let result = crate::refresh::run(request, events_tx).await;
                let _ = forward.await;
                match result {
                    Ok(report) => {
                        // Logged by the refresh; said on the message line once.
                        if let Some(message) = report.notify_failed
                            && !said.swap(true, Ordering::SeqCst)
                        {
                            let _ = tx.send(Msg::Error(message));
                        }
                    }
                    Err(err) => {
                        tracing::warn!("refresh from the reader failed: {err:#}");
                        let _ = tx.send(Msg::RefreshFailed(format!("{err:#}")));
                    }
                }
            });
        }
        Command::Sync => {
            if let Some(settings) = config.sync.clone() {
                spawn_sync(config.db_path.clone(), settings, tx.clone());
            }
        }
        Command::FetchFulltext { id, link } => {
            // With the refreshes' fetch settings; the reader never waits.
            let tx = tx.clone();
            let (fetch, pages) = (config.fetch.clone(), pages.clone());
            tokio::spawn(async move {
                // Stored by the database worker (`DbRequest::StoreFulltext`,
                // asked for by `update`): a write from a connection of its own
                // here would look like another process's and read every list again.
                let result = match pages.get(&fetch).await {
                    Ok(fetcher) => crate::fulltext::fetch::fetch_page(&fetcher, &link)
                        .await
                        .map(|article| article.content_html)
                        .map_err(|err| err.to_string()),
                    Err(err) => Err(format!("{:#}", anyhow::Error::from(err))),
                };
                let _ = tx.send(Msg::FulltextFetched { id, result });
            });
        }
        Command::OpenUrl(url) => {
            if let Err(error) = super::browser::open_url(&config.browser, &url) {
                tracing::warn!("{error}");
                let _ = tx.send(Msg::OpenFailed(error));
            }
        }
        Command::Run(run) => process::run_background(run, tx.clone()),
        Command::Copy(text) => {
            let encoded = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
            let mut out = std::io::stdout();
            let _ = write!(out, "\x1b]52;c;{encoded}\x07").and_then(|_| out.flush());
        }
        Command::Db(request) => db.send(request),
        Command::SaveView { name, query } => {
            if let Err(error) = append_view(&config.config_path, &name, &query) {
                let message = format!("{}: {error}", config.config_path.display());
                tracing::warn!("{message}");
                let _ = tx.send(Msg::Error(message));
            }
        }
        // Handled by the loop in `run`, which owns the terminal.
        Command::Quit | Command::Suspend => {}
    }
}

/// One sync on its own thread and connection; its stages and its result come back
/// as messages. The reader's own writes wait for its short transactions.
fn spawn_sync(db_path: PathBuf, settings: crate::sync::SyncSettings, tx: UnboundedSender<Msg>) {
    let spawned = std::thread::Builder::new()
        .name("khabar-sync".into())
        .spawn(move || {
            let mut opened = None;
            let result = (|| -> anyhow::Result<crate::sync::SyncReport> {
                let store = opened.insert(Store::open(&db_path)?);
                let runtime = crate::fetch::runtime(crate::fetch::Workers::CallerOnly)?;
                let progress_tx = tx.clone();
                let mut progress = move |stage: crate::sync::SyncStage| {
                    let _ = progress_tx.send(Msg::SyncProgress(stage));
                };
                let report =
                    runtime.block_on(crate::sync::sync_once(store, &settings, &mut progress))?;
                Ok(report)
            })();
            let result = result.map_err(|err| {
                tracing::warn!("sync failed: {err:#}");
                let cause = match err.downcast_ref::<crate::sync::SyncError>() {
                    Some(sync) => sync.cause(),
                    None => format!("{err:#}"),
                };
                // Marks the sync did not send wait in the outbox: the user is
                // told they are not lost.
                let marks_kept = opened
                    .as_ref()
                    .and_then(|store| store.outbox_stats().ok())
                    .map_or(0, |stats| stats.marks);
                super::msg::SyncFailure { cause, marks_kept }
            });
            let _ = tx.send(Msg::Synced(result));
        });
    if let Err(err) = spawned {
        tracing::warn!("cannot start the sync thread: {err}");
    }
}

async fn forward_events(
    mut events: UnboundedReceiver<crate::refresh::RefreshEvent>,
    tx: UnboundedSender<Msg>,
) {
    while let Some(event) = events.recv().await {
        if tx.send(Msg::Refresh(event)).is_err() {
            return;
        }
    }
}

/// Adds a view to the config file (created when missing), keeping the rest of
/// it as it was ([`crate::config::edit::add_view`]).
fn append_view(path: &std::path::Path, name: &str, query: &str) -> anyhow::Result<()> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(err) => return Err(err.into()),
    };
    let edited = crate::config::edit::add_view(&text, name, query)?;
    crate::config_file::replace(path, &edited)?;
    Ok(())
}
