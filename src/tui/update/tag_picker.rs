//! What keys do while the tag picker is open (see `tui::tag_picker`).

use crate::config::keymap::{Action, Key};

use super::super::model::{ListSource, Model};
use super::super::msg::{Command, DbRequest};
use super::super::search::EditOutcome;
use super::super::tag_picker::TagPicker;
use super::effects::open_list;

/// Opens the picker and asks for the tags.
pub(super) fn open(model: &mut Model) -> Vec<Command> {
    model.tag_picker = Some(TagPicker::default());
    vec![Command::Db(DbRequest::LoadTagTotals)]
}

/// A key while the picker is open; `None` when it is not the picker's.
pub(super) fn on_key(model: &mut Model, key: Key) -> Option<Vec<Command>> {
    let edit = key.edit()?;
    // Every body row: the filter is typed on the message line below the status line.
    let rows = model.body_height();
    let picker = model.tag_picker.as_mut()?;
    match picker.filter.apply(edit) {
        EditOutcome::Moved => {}
        EditOutcome::Changed => picker.cursor = 0,
        EditOutcome::Move(Action::Up) => picker.cursor = picker.cursor.saturating_sub(1),
        EditOutcome::Move(_) => picker.cursor += 1,
        EditOutcome::Close => {
            model.tag_picker = None;
            return Some(Vec::new());
        }
        EditOutcome::Open => {
            let query = picker.selected_query();
            model.tag_picker = None;
            return Some(match query {
                Some(query) => open_list(model, ListSource::Search(query), None),
                None => Vec::new(),
            });
        }
    }
    picker.clamp(rows);
    Some(Vec::new())
}
