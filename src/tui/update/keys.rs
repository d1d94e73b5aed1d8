//! A key to an action: the count typed before it (`5j`), and type-ahead: keys
//! typed while the rows they act on are still loading wait for them, then run in
//! order. Apart from `update`'s dispatch of messages because when a key acts is
//! its own rule (quit, suspend and refresh-all act at once).

use super::super::keymap::{Action, Key};
use super::super::model::{Model, Screen};
use super::super::msg::Command;
use super::on_action;

/// A key the search line and the tag picker did not take: run now, or held
/// while what it acts on still loads.
pub(super) fn typed(model: &mut Model, key: Key) -> Vec<Command> {
    // Quit and suspend act at once unless typed after keys still waiting;
    // so does refresh all once the feeds it refreshes are known (a list
    // or an article still loading is not what it acts on).
    let urgent = model.deferred_keys.is_empty()
        && match model.keymap.action(key) {
            Some(Action::Quit | Action::Suspend) => true,
            Some(Action::RefreshAll) => model.feeds_loaded,
            _ => false,
        };
    if !urgent && busy(model) && model.deferred_keys.len() < MAX_DEFERRED_KEYS {
        model.deferred_keys.push(key);
        return Vec::new();
    }
    on_key(model, key)
}

/// Keys typed while the rows they act on are still loading wait for them, so
/// type-ahead (`Enter j j Enter`) does what it would have done a moment later.
const MAX_DEFERRED_KEYS: usize = 64;

fn busy(model: &Model) -> bool {
    if !model.feeds_loaded {
        return true;
    }
    match &model.screen {
        Screen::Headlines(list) | Screen::Article { list, .. } => {
            list.total.is_none() || (list.rows.is_empty() && list.loading())
        }
        Screen::Feeds => false,
    }
}

/// Applies deferred keys once nothing they need is loading any more.
pub(super) fn replay_keys(model: &mut Model) -> Vec<Command> {
    let mut commands = Vec::new();
    while !model.deferred_keys.is_empty() && !busy(model) {
        let key = model.deferred_keys.remove(0);
        commands.extend(on_key(model, key));
    }
    commands
}

pub(super) fn on_key(model: &mut Model, key: Key) -> Vec<Command> {
    // A user command's key is its own: `set_commands` took it from any action.
    let command = model.commands.iter().position(|c| c.key == key);
    if let Some(d) = key.digit()
        && command.is_none()
        && model.keymap.action(key).is_none()
    {
        let count = model
            .count
            .unwrap_or(0)
            .saturating_mul(10)
            .saturating_add(d);
        model.count = Some(count.min(99_999));
        return Vec::new();
    }
    if let Some(index) = command {
        let count = model.count.take();
        model.message = None;
        return super::user_command::start(model, index, count);
    }
    let Some(action) = model.keymap.action(key) else {
        model.count = None;
        return Vec::new();
    };
    let count = model.count.take();
    model.message = None;
    on_action(model, action, count)
}
