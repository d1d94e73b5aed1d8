//! When the saved views' counts (`[[view]]`, on the feed screen) are read
//! again. A view with free words is counted through the search index, ~0.7 s
//! of CPU at a million items, and a cron `khabar refresh` or a sync in another
//! process commits many times: the views are counted again at most once per
//! [`RECOUNT_EVERY`] while such commits keep coming, and once more after the
//! last one (from the clock), so the counts end right. The feeds' and tags'
//! counts, cheap, follow every commit. The reader's own actions (a mark-all,
//! the end of its refresh or sync, going back to the feed screen) count the
//! views at once. The time is the clock's, from `Msg::Tick` (`DateStyle::now`).

use super::super::model::Model;
use super::super::msg::{Command, DbRequest};

/// Least seconds between two counts of the views for commits of another
/// process (or of the reader's own refresh while it runs). Ten seconds keeps
/// a view with words to ~7% of one core at a million items however often the
/// other process commits, while the counts the user sees lag such a burst by
/// ten seconds at most; the lists and the feeds' counts do not wait.
pub const RECOUNT_EVERY: i64 = 10;

/// The reader's own action reads the feeds: the views are counted with them.
pub(super) fn load_feeds(model: &mut Model) -> Command {
    model.views_pace.due = true;
    Command::Db(DbRequest::LoadFeeds)
}

/// Another process committed (or the reader's running refresh stored new
/// items) and the feeds are read again: the views are counted with them if
/// the last count is old enough, else once later, from the clock.
pub(super) fn changed_elsewhere(model: &mut Model) {
    if model.views.is_empty() {
        return;
    }
    let pace = &mut model.views_pace;
    match (model.dates.now, pace.counted_at) {
        (Some(now), Some(at)) if now - at < RECOUNT_EVERY => pace.held = true,
        _ => pace.due = true,
    }
}

/// The feeds were read: the views' counts follow when due.
pub(super) fn on_feeds_loaded(model: &mut Model) -> Option<Command> {
    (model.views_pace.due && !model.views.is_empty()).then(|| count(model))
}

/// The clock: a count held back is made once [`RECOUNT_EVERY`] has passed
/// since the last one.
pub(super) fn on_tick(model: &mut Model, now: i64) -> Option<Command> {
    let pace = model.views_pace;
    let late = pace.counted_at.is_none_or(|at| now - at >= RECOUNT_EVERY);
    (pace.held && late && !model.views.is_empty()).then(|| count(model))
}

fn count(model: &mut Model) -> Command {
    model.views_pace.due = false;
    model.views_pace.held = false;
    model.views_pace.counted_at = model.dates.now;
    let queries = model.views.iter().map(|v| v.query.clone()).collect();
    Command::Db(DbRequest::CountViews(queries))
}
