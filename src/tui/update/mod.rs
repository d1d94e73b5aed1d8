//! `update(model, msg) -> commands`: every state change of the reader. Pure: no
//! IO, no clock (time arrives in messages), no terminal.

mod effects;
mod feed_nav;
mod fulltext;
mod keys;
mod refresh;
mod screens;
mod search;
mod sync;
mod tag_picker;
mod user_command;
mod views;

use super::i18n::Text;
use super::keymap::Action;
use super::model::{FeedEntry, ListSource, Model, Overlay, Screen, feed_failed};
use super::msg::{Command, Msg, OpenError};
use effects::{open_article, start_refresh};
use keys::{on_key, replay_keys};
use refresh::{on_refresh_event, on_tick};
use screens::{article_action, continue_seek, feeds_action, headlines_action};

/// Applies `msg` to `model` and returns the side effects to run.
pub fn update(model: &mut Model, msg: Msg) -> Vec<Command> {
    match msg {
        Msg::Key(key) => {
            // The search line takes every key it can type, at once (never deferred).
            if model.search.is_some()
                && let Some(commands) = search::on_key(model, key)
            {
                return commands;
            }
            if model.tag_picker.is_some()
                && let Some(commands) = tag_picker::on_key(model, key)
            {
                return commands;
            }
            keys::typed(model, key)
        }
        Msg::Wheel(lines) => {
            let action = if lines > 0 { Action::Down } else { Action::Up };
            let mut commands = Vec::new();
            for _ in 0..lines.unsigned_abs().min(50) {
                commands.extend(on_action(model, action, None));
            }
            commands
        }
        Msg::Resize { width, height } => {
            model.width = width;
            model.height = height;
            let height = model.body_height();
            keep_feed_cursor_visible(model);
            let layout = model.layout;
            if let Some(article) = model.screen.article_mut() {
                article.relayout(width, layout);
                // A bigger window shows the lines above instead of blanks below
                // the end (a scroll kept from a smaller one left them empty).
                article.scroll = article
                    .scroll
                    .min(article.lines.len().saturating_sub(height));
            }
            if let Some(picker) = model.tag_picker.as_mut() {
                picker.clamp(height);
            }
            if let Some(Overlay::Help { scroll }) = model.overlay {
                let max = super::help::rows(model).len().saturating_sub(height);
                model.overlay = Some(Overlay::Help {
                    scroll: scroll.min(max),
                });
            }
            let mut commands = Vec::new();
            if let Some(list) = model.screen.list_mut() {
                list.keep_visible(height);
                commands.extend(list.ensure_window(height));
            }
            commands
        }
        Msg::FeedsLoaded {
            feeds,
            unread,
            starred,
            tags,
            newest,
        } => {
            model.feeds_newest = newest;
            // The cursor follows its entry: feeds and tags added or removed elsewhere move it.
            let selected = model.selected_entry().map(|e| model.entry_source(&e));
            let first_load = !model.feeds_loaded;
            model.feeds = feeds;
            model.tags = tags;
            model.feeds_loaded = true;
            model.unread_total = unread;
            model.starred = starred;
            let len = model.feed_entries().len();
            model.feed_cursor = selected
                .and_then(|source| model.entry_of_source(&source))
                .unwrap_or(model.feed_cursor)
                .min(len.saturating_sub(1));
            keep_feed_cursor_visible(model);
            if first_load {
                hint_first_refresh(model);
            }
            let mut commands = replay_keys(model);
            // The views' counts follow the feeds' (after a refresh, a read
            // mark), paced for commits of other processes (`views`).
            commands.extend(views::on_feeds_loaded(model));
            commands
        }
        Msg::Counted {
            generation,
            total,
            newest,
        } => {
            let height = model.body_height();
            let Some(list) = model
                .screen
                .list_mut()
                .filter(|l| l.generation == generation)
            else {
                return Vec::new();
            };
            list.set_count(total);
            list.loaded_under(newest);
            let total = list.len();
            if list.cursor >= total {
                list.cursor = total.saturating_sub(1);
            }
            list.keep_visible(height);
            let mut commands: Vec<Command> = list.ensure_window(height).into_iter().collect();
            commands.extend(continue_seek(model));
            commands.extend(replay_keys(model));
            commands
        }
        Msg::ItemsLoaded {
            generation,
            request,
            limit,
            rows,
            newest,
        } => {
            let height = model.body_height();
            let on_headlines = matches!(model.screen, Screen::Headlines(_));
            let Some(list) = model
                .screen
                .list_mut()
                .filter(|l| l.generation == generation && l.expects(request, limit))
            else {
                return Vec::new();
            };
            list.apply_page(request, limit, rows);
            list.loaded_under(newest);
            list.keep_visible(height);
            let mut commands: Vec<Command> = list.ensure_window(height).into_iter().collect();
            if list.open_pending && list.selected().is_some() && on_headlines {
                commands.extend(open_article(model));
            }
            model.screen.article_follows_list();
            commands.extend(continue_seek(model));
            commands.extend(replay_keys(model));
            commands
        }
        Msg::ArticleLoaded { id, detail } => {
            let (width, layout, dates) = (model.width, model.layout, model.dates);
            let on_open = detail
                .as_ref()
                .filter(|d| d.fetch_on_open)
                .and_then(|d| d.row.link.clone());
            if let Some(article) = model.screen.article_mut().filter(|a| a.id == id) {
                match detail {
                    Some(detail) => article.set_detail(detail, width, layout, dates),
                    None => article.missing = true,
                }
                // Read before the mark that opening it sent, or changed since
                // elsewhere: the list's row has the state the reader shows.
                model.screen.article_follows_list();
                // `fulltext = "on-open"`: the page is fetched the first time.
                if let Some(link) = on_open {
                    return fulltext::fetch(model, id, link);
                }
            }
            Vec::new()
        }
        Msg::FulltextFetched { id, result } => fulltext::arrived(model, id, result),
        Msg::MarkedAllRead(n) => {
            let items = model.counted(n, Text::ItemsOne, Text::ItemsMany);
            model.message = Some(model.tf(Text::MarkedAllRead, &[("items", &items)]));
            vec![views::load_feeds(model)]
        }
        Msg::ItemsGone(ids) => {
            // Deleted by another process since they were listed: the row goes,
            // and the counts (moved for a mark that never happened) are read again.
            let height = model.body_height();
            let mut commands = Vec::new();
            if let Some(list) = model.screen.list_mut() {
                list.drop_items(&ids, height);
                commands.extend(list.ensure_window(height));
            }
            model.message = Some(model.t(Text::ItemsGoneElsewhere).into());
            commands.push(views::load_feeds(model));
            commands
        }
        Msg::DatabaseChanged => refresh::on_database_changed(model),
        Msg::Refresh(event) => on_refresh_event(model, event),
        Msg::RefreshFailed(error) => {
            model.refresh = None;
            let error = model.tf(Text::RefreshFailed, &[("error", &error)]);
            model.refresh_error = Some(error.clone());
            model.last_error = Some(error);
            Vec::new()
        }
        Msg::WriteFailed { write, error } => effects::write_failed(model, write, &error),
        Msg::DbFailed(error) => {
            model.last_error = Some(model.tf(Text::DatabaseError, &[("error", &error)]));
            let keys = std::mem::take(&mut model.deferred_keys);
            keys.into_iter().flat_map(|k| on_key(model, k)).collect()
        }
        Msg::OpenFailed(error) => {
            model.last_error = Some(open_error_text(model, &error));
            Vec::new()
        }
        Msg::Error(error) => {
            model.last_error = Some(error);
            // What the keys waited for may never come: let them act on what is there.
            let keys = std::mem::take(&mut model.deferred_keys);
            keys.into_iter().flat_map(|k| on_key(model, k)).collect()
        }
        Msg::Info(text) => {
            model.message = Some(text);
            Vec::new()
        }
        Msg::SyncProgress(stage) => sync::on_progress(model, stage),
        Msg::Synced(result) => sync::on_synced(model, result),
        Msg::ViewsCounted { counts, newest } => {
            for (view, counts) in model.views.iter_mut().zip(counts) {
                view.counts = Some(counts);
                view.newest = newest;
            }
            Vec::new()
        }
        Msg::TagTotals(tags) => {
            let rows = model.body_height();
            if let Some(picker) = model.tag_picker.as_mut() {
                picker.tags = Some(tags);
                picker.clamp(rows);
            }
            Vec::new()
        }
        Msg::CommandItemLoaded {
            command,
            count,
            detail,
        } => user_command::item_loaded(model, command, count, detail),
        Msg::CommandEnded {
            name,
            mode,
            outcome,
        } => user_command::ended(model, &name, mode, &outcome),
        Msg::Tick { now, utc_offset } => {
            // Relative dates in lists ("yesterday") are drawn from this time.
            model.dates.now = Some(now);
            set_utc_offset(model, utc_offset);
            let mut commands = on_tick(model, now);
            commands.extend(views::on_tick(model, now));
            commands
        }
    }
}

/// The clock's local offset: dates on screen follow a daylight-saving change.
/// Lists are drawn from the model each frame; the article header was laid out
/// with the old offset and is written again.
fn set_utc_offset(model: &mut Model, utc_offset: i32) {
    if model.dates.utc_offset == utc_offset {
        return;
    }
    model.dates.utc_offset = utc_offset;
    let (width, layout, dates) = (model.width, model.layout, model.dates);
    if let Some(article) = model.screen.article_mut() {
        article.restyle_dates(width, layout, dates);
    }
}

pub(super) fn keep_feed_cursor_visible(model: &mut Model) {
    let height = model.body_height();
    if model.feed_cursor < model.feed_scroll {
        model.feed_scroll = model.feed_cursor;
    } else if model.feed_cursor >= model.feed_scroll + height {
        model.feed_scroll = model.feed_cursor + 1 - height;
    }
    // A taller screen (or a shorter list) shows rows above instead of blanks below.
    let len = model.feed_entries().len();
    model.feed_scroll = model.feed_scroll.min(len.saturating_sub(height));
}

fn on_action(model: &mut Model, action: Action, count: Option<u32>) -> Vec<Command> {
    match action {
        Action::Quit => return vec![Command::Quit],
        Action::Suspend => return vec![Command::Suspend],
        Action::Help => {
            model.overlay = match model.overlay {
                Some(Overlay::Help { .. }) => None,
                None => Some(Overlay::Help { scroll: 0 }),
            };
            return Vec::new();
        }
        Action::RefreshAll => return start_refresh(model, &ListSource::All),
        Action::Search if model.overlay.is_none() => return search::open(model),
        Action::Tags if model.overlay.is_none() => return tag_picker::open(model),
        Action::SaveView if model.overlay.is_none() => return search::save_view(model),
        _ => {}
    }
    if let Some(Overlay::Help { scroll }) = model.overlay {
        let rows = super::help::rows(model).len();
        let page = model.body_height();
        let max = rows.saturating_sub(page);
        let scroll = match action {
            Action::Back => None,
            Action::Down => Some((scroll + 1).min(max)),
            Action::Up => Some(scroll.saturating_sub(1)),
            Action::PageDown | Action::HalfPageDown => Some((scroll + page).min(max)),
            Action::PageUp | Action::HalfPageUp => Some(scroll.saturating_sub(page)),
            Action::Top => Some(0),
            Action::Bottom => Some(max),
            _ => Some(scroll),
        };
        model.overlay = scroll.map(|scroll| Overlay::Help { scroll });
        return Vec::new();
    }
    match model.screen {
        Screen::Feeds => feeds_action(model, action),
        Screen::Headlines(_) => headlines_action(model, action, count),
        Screen::Article { .. } => article_action(model, action, count),
    }
}

/// Moves a cursor over `len` rows for the movement actions; `None` if not a movement.
pub(super) fn moved(
    action: Action,
    cursor: usize,
    len: usize,
    page: usize,
    count: usize,
) -> Option<usize> {
    let last = len.saturating_sub(1);
    Some(match action {
        Action::Down => (cursor + count).min(last),
        Action::Up => cursor.saturating_sub(count),
        Action::Top => 0,
        Action::Bottom => last,
        Action::PageDown => (cursor + page).min(last),
        Action::PageUp => cursor.saturating_sub(page),
        Action::HalfPageDown => (cursor + page / 2).min(last),
        Action::HalfPageUp => cursor.saturating_sub(page / 2),
        _ => return None,
    })
}

/// The error of the selected feed, when its last refresh failed.
pub fn selected_feed_error(model: &Model) -> Option<&str> {
    match model.selected_entry()? {
        FeedEntry::Feed(i) => {
            let feed = model.feeds.get(i)?;
            if feed_failed(feed) {
                feed.last_error.as_deref()
            } else {
                None
            }
        }
        FeedEntry::Virtual(_) | FeedEntry::Tag(_) | FeedEntry::View(_) => None,
    }
}

/// The last refresh error of the feed whose headline list is open, while its
/// refreshes fail: an empty list of a dead feed says why it is empty.
pub fn open_feed_error(model: &Model) -> Option<&str> {
    let ListSource::Feed(id) = &model.list()?.source else {
        return None;
    };
    let feed = model.feeds.iter().find(|feed| feed.id == *id)?;
    if feed_failed(feed) {
        feed.last_error.as_deref()
    } else {
        None
    }
}

/// Why the browser did not start, in the interface's language.
pub fn open_error_text(model: &Model, error: &OpenError) -> String {
    match error {
        OpenError::NoCommand => model.t(Text::NoBrowser).to_string(),
        OpenError::NotFound { program } => model.tf(Text::BrowserNotFound, &[("program", program)]),
        OpenError::Failed {
            program,
            url,
            error,
        } => model.tf(
            Text::BrowserFailed,
            &[("program", program), ("url", url), ("error", error)],
        ),
    }
}

/// On a first start nothing has been fetched and every count is 0/0: say how to
/// fetch, with the key the live keymap uses (QA T19).
fn hint_first_refresh(model: &mut Model) {
    if !model.nothing_fetched_yet() || model.offline || model.message.is_some() {
        return;
    }
    if let Some(key) = model.keymap.first_key(Action::RefreshAll) {
        let key = key.to_string();
        model.message = Some(model.tf(Text::NothingFetched, &[("key", &key)]));
    }
}
