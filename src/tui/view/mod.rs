//! The view: draws the model into the frame's buffer. It only reads the model.
//! Layout of the screen: a title bar, the body, a status line and a message line.

mod article;
pub mod cells;
mod feeds;
mod headlines;
mod help;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::keymap::Action;
use super::model::{Model, Overlay, Screen};
use super::update::selected_feed_error;
use cells::{fill, put_str, put_ui_text, str_width};

/// Smallest usable terminal.
pub const MIN_WIDTH: u16 = 20;
/// Smallest usable terminal height (see `MIN_WIDTH`).
pub const MIN_HEIGHT: u16 = 5;

/// Draws the whole screen.
pub fn view(model: &Model, frame: &mut Frame) {
    let area = frame.area();
    draw(model, frame.buffer_mut(), area);
}

/// Draws into a buffer (used by `view` and by tests).
pub fn draw(model: &Model, buf: &mut Buffer, area: Rect) {
    let theme = &model.theme;
    for y in area.top()..area.bottom() {
        fill(buf, area.x, y, area.width, theme.text);
    }
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        put_str(
            buf,
            area.x,
            area.y,
            area.width,
            "terminal too small",
            theme.error,
        );
        return;
    }
    let body = Rect::new(area.x, area.y + 1, area.width, area.height - 3);
    title_bar(model, buf, Rect::new(area.x, area.y, area.width, 1));
    match (&model.overlay, &model.screen) {
        (Some(Overlay::Help { scroll }), _) => help::draw(model, *scroll, buf, body),
        (None, Screen::Feeds) => feeds::draw(model, buf, body),
        (None, Screen::Headlines(list)) => headlines::draw(model, list, buf, body),
        (None, Screen::Article { article, .. }) => article::draw(model, article, buf, body),
    }
    status_line(
        model,
        buf,
        Rect::new(area.x, area.bottom() - 2, area.width, 1),
    );
    if let Some(message) = &model.message {
        put_ui_text(
            buf,
            area.x,
            area.bottom() - 1,
            area.width,
            message,
            theme.message,
            theme,
            model.layout,
        );
    }
}

fn title_bar(model: &Model, buf: &mut Buffer, area: Rect) {
    let theme = &model.theme;
    fill(buf, area.x, area.y, area.width, theme.title_bar);
    let place = match (&model.overlay, &model.screen) {
        (Some(Overlay::Help { .. }), _) => "Keys".to_string(),
        (None, Screen::Feeds) => "Feeds".to_string(),
        (None, Screen::Article { article, .. }) if let Some(detail) = article.detail.as_ref() => {
            detail.row.feed_title.clone()
        }
        (None, Screen::Headlines(list) | Screen::Article { list, .. }) => {
            model.source_title(&list.source)
        }
    };
    let filter = if model.unread_only {
        " (unread only)"
    } else {
        ""
    };
    let hint = title_hint(model);
    let hint_width = str_width(&hint);
    let left_max = if area.width > hint_width + 20 {
        area.width - hint_width - 2
    } else {
        area.width
    };
    let used = put_ui_text(
        buf,
        area.x,
        area.y,
        left_max,
        &format!(" khabar › {place}{filter}"),
        theme.title_bar,
        theme,
        model.layout,
    );
    if left_max < area.width && used < left_max {
        put_str(
            buf,
            area.right() - hint_width - 1,
            area.y,
            hint_width,
            &hint,
            theme.title_bar,
        );
    }
}

/// "?: help  q: back" (or "q: close" over the help) from the live keymap;
/// an action without keys is left out.
fn title_hint(model: &Model) -> String {
    let keymap = &model.keymap;
    let back = keymap.first_key(Action::Back);
    let parts: Vec<String> = if model.overlay.is_some() {
        back.or_else(|| keymap.first_key(Action::Help))
            .map(|k| format!("{k}: close"))
            .into_iter()
            .collect()
    } else {
        [(Action::Help, "help"), (Action::Back, "back")]
            .iter()
            .filter_map(|(action, what)| keymap.first_key(*action).map(|k| format!("{k}: {what}")))
            .collect()
    };
    parts.join("  ")
}

fn status_line(model: &Model, buf: &mut Buffer, area: Rect) {
    let theme = &model.theme;
    fill(buf, area.x, area.y, area.width, theme.status_bar);
    let right = match &model.screen {
        _ if model.overlay.is_some() => String::new(),
        Screen::Feeds => model.digits(format!("{} unread ", model.unread_total)),
        Screen::Headlines(list) if !list.is_empty() => {
            model.digits(format!("{}/{} ", list.cursor + 1, list.len()))
        }
        Screen::Article { article: a, .. } if !a.lines.is_empty() => {
            // How far the bottom of the screen has got through the article.
            let seen = (a.scroll + model.body_height()).min(a.lines.len());
            let pct = seen * 100 / a.lines.len();
            format!("{pct}% ")
        }
        Screen::Headlines(_) | Screen::Article { .. } => String::new(),
    };
    let right_width = str_width(&right);
    let left_max = area.width.saturating_sub(right_width + 1);
    let mut x = area.x;
    if let Some(progress) = model.refresh {
        x += put_str(
            buf,
            x,
            area.y,
            left_max,
            &format!(" refreshing {}/{} ", progress.done, progress.total),
            theme.status_bar,
        );
    }
    let error = match model.screen {
        Screen::Feeds if model.overlay.is_none() => selected_feed_error(model)
            .map(|e| format!("! {e}"))
            .or_else(|| model.last_error.clone()),
        _ => model.last_error.clone(),
    };
    if let Some(error) = error {
        let start = x.max(area.x + 1);
        put_ui_text(
            buf,
            start,
            area.y,
            left_max.saturating_sub(start - area.x),
            &error,
            theme.status_bar.patch(theme.error),
            theme,
            model.layout,
        );
    }
    put_str(
        buf,
        area.right() - right_width,
        area.y,
        right_width,
        &right,
        theme.status_bar,
    );
}

/// A centred note in an empty body ("loading…", "no items").
fn note(model: &Model, buf: &mut Buffer, area: Rect, text: &str) {
    let width = str_width(text).min(area.width);
    let x = area.x + (area.width - width) / 2;
    put_str(
        buf,
        x,
        area.y + area.height / 2,
        width,
        text,
        model.theme.dim,
    );
}
