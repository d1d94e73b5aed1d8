//! What the search line's keys do to the reader: each change of the query
//! replaces the list with its matches; Up/Down move through them; Enter opens
//! one; Esc closes the line (see `tui::search` for the line itself).

use crate::config::keymap::Key;

use super::super::i18n::Text;
use super::super::model::{ListSource, Model, Screen, View};
use super::super::msg::Command;
use super::super::search::{EditOutcome, SearchPrompt};
use super::effects::{open_article, open_list};
use super::screens::headlines_action;

/// Opens the search line, holding the current search's text when a search list
/// is shown.
pub(super) fn open(model: &mut Model) -> Vec<Command> {
    let text = match model.list().map(|l| &l.source) {
        Some(ListSource::Search(query)) => query.to_string(),
        _ => String::new(),
    };
    model.search = Some(SearchPrompt::with_text(text));
    Vec::new()
}

/// A key while the search line is open; `None` when the key is not the line's
/// (Ctrl-C and Ctrl-Z keep their actions).
pub(super) fn on_key(model: &mut Model, key: Key) -> Option<Vec<Command>> {
    let edit = key.edit()?;
    let prompt = model.search.as_mut()?;
    Some(match prompt.apply(edit) {
        EditOutcome::Moved => Vec::new(),
        EditOutcome::Close => {
            model.search = None;
            Vec::new()
        }
        EditOutcome::Open => {
            model.search = None;
            match model.screen {
                Screen::Headlines(_) => open_article(model),
                _ => Vec::new(),
            }
        }
        EditOutcome::Move(action) => match model.screen {
            Screen::Headlines(_) => headlines_action(model, action, None),
            _ => Vec::new(),
        },
        EditOutcome::Changed => run(model),
    })
}

/// Shows the line's query's matches when it became a different valid query.
fn run(model: &mut Model) -> Vec<Command> {
    let Some(prompt) = model.search.as_mut() else {
        return Vec::new();
    };
    match prompt.query() {
        None => {
            prompt.error = None;
            Vec::new()
        }
        Some(Err(error)) => {
            prompt.error = Some(error);
            Vec::new()
        }
        Some(Ok(query)) => {
            prompt.error = None;
            let source = ListSource::Search(query);
            if model.list().is_some_and(|l| l.source == source) {
                return Vec::new();
            }
            open_list(model, source, None)
        }
    }
}

/// Saves the search shown as a view: listed first on the feed screen at once,
/// and appended to the config file by the runner.
pub(super) fn save_view(model: &mut Model) -> Vec<Command> {
    let Some(ListSource::Search(query)) = model.list().map(|l| l.source.clone()) else {
        model.message = Some(model.t(Text::NotASearch).to_string());
        return Vec::new();
    };
    // Already a view (opened from the feed screen, or saved before): another
    // `[[view]]` with the same query would only grow the config file.
    // A view of the same name (a hand-written one whose query differs) would
    // be a second row of that name on the feed screen.
    let name = query.to_string();
    if let Some(view) = model
        .views
        .iter()
        .find(|v| v.query == query || v.name == name)
    {
        let name = view.name.clone();
        model.message = Some(model.tf(Text::AlreadyAView, &[("name", &name)]));
        return Vec::new();
    }
    model.views.push(View {
        name: name.clone(),
        query,
        counts: None,
        newest: 0,
    });
    model.message = Some(model.tf(Text::SavedView, &[("name", &name)]));
    // The demo leaves nothing behind: its views live only as long as it runs.
    let load = super::views::load_feeds(model);
    if model.offline {
        return vec![load];
    }
    vec![
        Command::SaveView {
            name: name.clone(),
            query: name,
        },
        load,
    ]
}
