//! The rows of the help screen: every action with its keys from the live keymap,
//! then the keys of a line being typed (the search line and the tag picker's
//! filter), which are fixed (readline's) and so not in the keymap. The view draws
//! these rows and `update` scrolls over them: one list, so the two never disagree
//! on how long the help is. The user's own commands (`[[command]]`) come after
//! the actions, under their heading.

use crate::text::sanitize::clean_inline;

use super::i18n::{Text, action_help};
use super::keymap::{Action, Key};
use super::model::Model;

/// One row of the help screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpRow {
    /// The keys, as the config names them (empty on a heading).
    pub keys: String,
    /// What they do, or the heading, in the interface's language (a user
    /// command: its name as the config gives it).
    pub what: String,
    /// A heading over the rows after it.
    pub heading: bool,
}

/// The keys of a line being typed, and what each does (`Key::edit`).
const LINE_KEYS: &[(&str, Text)] = &[
    ("left right", Text::LineMove),
    ("ctrl-a home", Text::LineStart),
    ("ctrl-e end", Text::LineEnd),
    ("backspace", Text::LineBackspace),
    ("delete", Text::LineDelete),
    ("ctrl-w", Text::LineDeleteWord),
    ("ctrl-u", Text::LineDeleteToStart),
    ("ctrl-k", Text::LineDeleteToEnd),
    ("up down", Text::LineResults),
    ("enter", Text::LineOpen),
    ("esc", Text::LineClose),
];

/// Every row, in order.
pub fn rows(model: &Model) -> Vec<HelpRow> {
    let mut rows: Vec<HelpRow> = Action::all()
        .map(|action| {
            let keys = model.keymap.keys_for(action);
            let keys = if keys.is_empty() {
                model.t(Text::Unbound).to_string()
            } else {
                keys.iter()
                    .map(Key::to_string)
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            HelpRow {
                keys,
                what: action_help(model.locale(), action).to_string(),
                heading: false,
            }
        })
        .collect();
    if !model.commands.is_empty() {
        rows.push(HelpRow {
            keys: String::new(),
            what: model.t(Text::CommandsHeading).to_string(),
            heading: true,
        });
        rows.extend(model.commands.iter().map(|command| HelpRow {
            keys: command.key.to_string(),
            what: clean_inline(&command.name),
            heading: false,
        }));
    }
    rows.push(HelpRow {
        keys: String::new(),
        what: model.t(Text::LineKeysHeading).to_string(),
        heading: true,
    });
    rows.extend(LINE_KEYS.iter().map(|(keys, what)| HelpRow {
        keys: (*keys).to_string(),
        what: model.t(*what).to_string(),
        heading: false,
    }));
    rows
}
