//! The user's own commands (`[[command]]`): a key on the headline list or the
//! article makes the run line for the selected item and asks the runner to run
//! it (`Command::Run`); the runner's answer (`Msg::CommandEnded`) is worded
//! here. On the headline list, and on an article still loading, the item is
//! read first (`DbRequest::LoadForCommand`), so a command sees what the article
//! would show, full text and links included.

use crate::config::command::{CommandMode, Placeholder, Values};
use crate::store::ItemDetail;
use crate::text::sanitize::clean_inline;

use super::super::article::shown_blocks;
use super::super::i18n::Text;
use super::super::item_text::plain_text;
use super::super::model::{Model, Screen};
use super::super::msg::{Command, CommandOutcome, DbRequest, UserRun};

/// The key of command `index` was pressed, after `count`.
pub(super) fn start(model: &mut Model, index: usize, count: Option<u32>) -> Vec<Command> {
    // The help overlay takes the keys it knows and ignores the rest.
    if model.overlay.is_some() {
        return Vec::new();
    }
    match &model.screen {
        Screen::Feeds => say(model, Text::NoItemSelected),
        Screen::Headlines(list) => match list.selected() {
            Some(row) => vec![Command::Db(DbRequest::LoadForCommand {
                id: row.id,
                command: index,
                count,
            })],
            None => say(model, Text::NoItemSelected),
        },
        Screen::Article { article, .. } => match article.detail.as_deref() {
            Some(detail) => {
                let detail = detail.clone();
                let feed_text = article.show_feed_text;
                run(model, index, &detail, feed_text, count)
            }
            None if article.missing => say(model, Text::ItemGone),
            // Still loading: the id is known, so the item is read for the
            // command as on the headline list (the database worker answers
            // in order, after the article's own read).
            None => vec![Command::Db(DbRequest::LoadForCommand {
                id: article.id,
                command: index,
                count,
            })],
        },
    }
}

/// The item a command on the headline list asked for was read.
pub(super) fn item_loaded(
    model: &mut Model,
    index: usize,
    count: Option<u32>,
    detail: Option<Box<ItemDetail>>,
) -> Vec<Command> {
    match detail {
        Some(detail) => run(model, index, &detail, false, count),
        None => say(model, Text::ItemGone),
    }
}

/// Makes the run line (and for pipe mode the text) and asks for it to run.
fn run(
    model: &mut Model,
    index: usize,
    detail: &ItemDetail,
    feed_text: bool,
    count: Option<u32>,
) -> Vec<Command> {
    let Some(command) = model.commands.get(index).cloned() else {
        return Vec::new();
    };
    let (blocks, links) = shown_blocks(detail, feed_text, model.dates);
    let link = match count {
        // `3v`: link [3] of the article, as `3o` opens it.
        Some(n) => match usize::try_from(n)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| links.get(i))
        {
            Some(link) => Some(link.clone()),
            None => {
                let n = model.number(n);
                model.message = Some(model.tf(Text::NoLinkNumber, &[("n", &n)]));
                return Vec::new();
            }
        },
        None => detail.row.link.clone(),
    };
    if link.is_none() && command.template.uses(Placeholder::Link) {
        return say(model, Text::NoLink);
    }
    let values = Values {
        link: link.unwrap_or_default(),
        title: detail.row.title.clone(),
        feed_url: detail.feed_url.clone(),
        feed_title: detail.row.feed_title.clone(),
        id: detail.row.id,
    };
    let input = (command.mode == CommandMode::Pipe).then(|| plain_text(&blocks));
    let name = clean_inline(&command.name);
    model.message = Some(model.tf(Text::CommandStarted, &[("name", &name)]));
    vec![Command::Run(UserRun {
        name,
        line: command.template.expand(&values),
        mode: command.mode,
        input,
    })]
}

/// A command ended (or could not start). A background one that succeeded
/// says nothing, as newsboat's macros do: the message line still says it
/// started. A failure is said whenever it comes, even if the reader has
/// moved on: a script bound to a key must not fail in silence.
pub(super) fn ended(
    model: &mut Model,
    name: &str,
    mode: CommandMode,
    outcome: &CommandOutcome,
) -> Vec<Command> {
    let text = match outcome {
        CommandOutcome::Exited(0) if mode == CommandMode::Background => return Vec::new(),
        CommandOutcome::Exited(0) => model.tf(Text::CommandRan, &[("name", name)]),
        // What `sh` says when the program is not there (or cannot be run).
        CommandOutcome::Exited(status @ (126 | 127)) => model.tf(
            Text::CommandNotFound,
            &[("name", name), ("status", &model.number(status))],
        ),
        CommandOutcome::Exited(status) => model.tf(
            Text::CommandExited,
            &[("name", name), ("status", &model.number(status))],
        ),
        CommandOutcome::Killed(signal) => model.tf(
            Text::CommandKilled,
            &[("name", name), ("signal", &model.number(signal))],
        ),
        CommandOutcome::CannotStart(error) => model.tf(
            Text::CommandCannotStart,
            &[("name", name), ("error", error)],
        ),
    };
    model.message = Some(text);
    Vec::new()
}

fn say(model: &mut Model, text: Text) -> Vec<Command> {
    model.message = Some(model.t(text).into());
    Vec::new()
}
