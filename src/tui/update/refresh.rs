//! A refresh seen from the reader: its progress and summary on the status line,
//! the automatic refresh on the clock, and the lists read again once new items
//! arrived (also after a sync, or to take back a write that failed). Apart from
//! `update`'s dispatch because it is one story: what the reader does while the
//! refresh task runs and after.

use crate::refresh::{FeedOutcome, RefreshEvent};

use super::super::i18n::Text;
use super::super::model::{ListSource, Model, RefreshProgress};
use super::super::msg::{Command, DbRequest};
use super::effects::start_refresh;

pub(super) fn on_tick(model: &mut Model, now: i64) -> Vec<Command> {
    let mut commands = Vec::new();
    if model.stale {
        // The reader's refresh is still running: its end counts everything
        // at once; meanwhile the views wait like for another process's commits.
        model.stale = false;
        super::views::changed_elsewhere(model);
        commands.extend(read_again(model));
    }
    if model.refresh_interval_minutes > 0 && model.feeds_loaded {
        let interval = i64::from(model.refresh_interval_minutes) * 60;
        match model.last_auto_refresh {
            None => model.last_auto_refresh = Some(now),
            Some(last) if now - last >= interval && model.refresh.is_none() => {
                model.last_auto_refresh = Some(now);
                commands.extend(start_refresh(model, &ListSource::All));
            }
            Some(_) => {}
        }
    }
    commands
}

pub(super) fn on_refresh_event(model: &mut Model, event: RefreshEvent) -> Vec<Command> {
    match event {
        RefreshEvent::Started { total } => {
            model.refresh = Some(RefreshProgress { done: 0, total });
            // The last refresh's failure is over or will be reported again; an
            // error from elsewhere (the database, a sync) stays.
            if let Some(old) = model.refresh_error.take()
                && model.last_error.as_ref() == Some(&old)
            {
                model.last_error = None;
            }
            Vec::new()
        }
        RefreshEvent::FeedDone {
            url,
            outcome,
            done,
            total,
            ..
        } => {
            model.refresh = Some(RefreshProgress { done, total });
            match outcome {
                FeedOutcome::Failed(error) => {
                    let error = format!("{url}: {error}");
                    model.refresh_error = Some(error.clone());
                    model.last_error = Some(error);
                    model.stale = true;
                }
                FeedOutcome::Updated(stats) if stats.new_items + stats.changed_items > 0 => {
                    model.stale = true;
                }
                _ => {}
            }
            Vec::new()
        }
        RefreshEvent::Finished(summary) => {
            model.refresh = None;
            model.message = Some(if summary.disk_full > 0 {
                // Instead of the totals: nothing more can be stored until space is freed.
                let unstored =
                    model.counted(summary.disk_full as u64, Text::FeedsOne, Text::FeedsMany);
                model.tf(Text::RefreshDiskFull, &[("feeds", &unstored)])
            } else {
                let feeds = model.counted(summary.feeds as u64, Text::FeedsOne, Text::FeedsMany);
                let new = model.counted(summary.new_items, Text::NewItemsOne, Text::NewItemsMany);
                let failed = model.number(summary.failed);
                let message = model.tf(
                    Text::Refreshed,
                    &[("feeds", &feeds), ("new", &new), ("failed", &failed)],
                );
                if summary.ignored > 0 {
                    // Only with `[[ignore]]` rules that dropped something.
                    let ignored = model.number(summary.ignored);
                    model.tf(
                        Text::RefreshedIgnored,
                        &[("message", &message), ("ignored", &ignored)],
                    )
                } else {
                    message
                }
            });
            model.stale = false;
            reload_lists(model)
        }
    }
}

/// Another process committed to the database (`Msg::DatabaseChanged`): the
/// counts and the list's window are read again, the user's place kept. While
/// the reader's own refresh or sync runs, its end reads everything again (and
/// its progress is on the status line), so nothing is read now.
/// The saved views' counts, slow with free words, are read again at most
/// once per `views::RECOUNT_EVERY` for such commits.
pub(super) fn on_database_changed(model: &mut Model) -> Vec<Command> {
    if model.refresh.is_some() || model.sync_running {
        return Vec::new();
    }
    super::views::changed_elsewhere(model);
    read_again(model)
}

/// Reads everything again after the reader's own work (its refresh or sync
/// ended, a write failed): the views' counts too, at once.
pub(super) fn reload_lists(model: &mut Model) -> Vec<Command> {
    model.views_pace.due = true;
    read_again(model)
}

/// Reads the feed counts again and the list's window where it is
/// (`HeadlineList::reload`): the cursor kept on its item, an open article
/// and the search line and tag picker left open (the picker's counts read
/// again). Changes other connections made until now are taken as seen, so
/// the worker does not report them again (`DbRequest::CatchUp`). The views
/// are counted with the feeds when `Model::views_pace` says they are due.
fn read_again(model: &mut Model) -> Vec<Command> {
    let mut commands = vec![
        Command::Db(DbRequest::CatchUp),
        Command::Db(DbRequest::LoadFeeds),
    ];
    let generation = model.next_generation();
    if let Some(list) = model.screen.list_mut() {
        commands.extend(list.reload(generation));
    }
    if model.tag_picker.is_some() {
        commands.push(Command::Db(DbRequest::LoadTagTotals));
    }
    commands
}
