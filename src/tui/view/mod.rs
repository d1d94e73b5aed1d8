//! The view: draws the model into the frame's buffer. It only reads the model.
//! Layout of the screen: a title bar, the body, a status line and a message line.

mod article;
pub mod cells;
mod feeds;
mod headlines;
mod help;
mod highlight;
mod search_line;
mod tag_picker;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use super::i18n::Text;
use super::keymap::{Action, Key};
use super::model::{ListSource, Model, Overlay, Screen};
use super::update::{open_feed_error, selected_feed_error};
use cells::{fill, put_str, put_ui_line, put_ui_text, str_width};
use ratatui::style::Style;

/// Smallest usable terminal.
pub const MIN_WIDTH: u16 = 20;
/// Smallest usable terminal height (see `MIN_WIDTH`).
pub const MIN_HEIGHT: u16 = 5;

/// Draws the whole screen.
pub fn view(model: &Model, frame: &mut Frame) {
    let area = frame.area();
    if let Some(cursor) = draw(model, frame.buffer_mut(), area) {
        frame.set_cursor_position(cursor);
    }
}

/// Draws into a buffer (used by `view` and by tests); returns where the
/// terminal's cursor should show (the search line's), if anywhere.
pub fn draw(model: &Model, buf: &mut Buffer, area: Rect) -> Option<Position> {
    let theme = &model.theme;
    for y in area.top()..area.bottom() {
        fill(buf, area.x, y, area.width, theme.text);
    }
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        ui_line(
            model,
            buf,
            Rect::new(area.x, area.y, area.width, 1),
            model.t(Text::TooSmall),
            theme.error,
        );
        return None;
    }
    let body = Rect::new(area.x, area.y + 1, area.width, area.height - 3);
    title_bar(model, buf, Rect::new(area.x, area.y, area.width, 1));
    match (&model.overlay, &model.screen) {
        (Some(Overlay::Help { scroll }), _) => help::draw(model, *scroll, buf, body),
        (None, _) if model.tag_picker.is_some() => {
            if let Some(picker) = &model.tag_picker {
                tag_picker::draw(model, picker, buf, body);
            }
        }
        (None, Screen::Feeds) => feeds::draw(model, buf, body),
        (None, Screen::Headlines(list)) => headlines::draw(model, list, buf, body),
        (None, Screen::Article { article, .. }) => article::draw(model, article, buf, body),
    }
    // A search's matches stand out in its list and in the articles opened from it.
    if model.overlay.is_none()
        && model.tag_picker.is_none()
        && let Some(ListSource::Search(query)) = model.list().map(|l| &l.source)
    {
        highlight::mark(buf, body, &query.needles());
    }
    status_line(
        model,
        buf,
        Rect::new(area.x, area.bottom() - 2, area.width, 1),
    );
    if let Some(picker) = &model.tag_picker {
        let row = Rect::new(area.x, area.bottom() - 1, area.width, 1);
        return Some(search_line::draw(
            model,
            &picker.filter,
            Text::TagFilterHint,
            buf,
            row,
        ));
    }
    if let Some(prompt) = &model.search {
        if let Some(error) = search_line::error_text(model, prompt) {
            let row = Rect::new(area.x, area.bottom() - 2, area.width, 1);
            fill(buf, row.x, row.y, row.width, theme.status_bar);
            ui_line(model, buf, row, &error, theme.status_bar.patch(theme.error));
        }
        let row = Rect::new(area.x, area.bottom() - 1, area.width, 1);
        return Some(search_line::draw(model, prompt, Text::SearchHint, buf, row));
    }
    if let Some(message) = &model.message {
        ui_line(
            model,
            buf,
            Rect::new(area.x, area.bottom() - 1, area.width, 1),
            message,
            theme.message,
        );
    }
    None
}

/// Interface text in one row: from the left in English, from the right (as
/// one right-to-left paragraph) in a Persian interface. Returns the cells used.
fn ui_line(model: &Model, buf: &mut Buffer, area: Rect, text: &str, style: Style) -> u16 {
    put_ui_line(
        buf,
        area.x,
        area.y,
        area.width,
        text,
        style,
        &model.theme,
        model.layout,
        model.rtl(),
    )
}

fn title_bar(model: &Model, buf: &mut Buffer, area: Rect) {
    let theme = &model.theme;
    fill(buf, area.x, area.y, area.width, theme.title_bar);
    let place = match (&model.overlay, &model.screen) {
        (Some(Overlay::Help { .. }), _) => model.t(Text::Keys).to_string(),
        (None, _) if model.tag_picker.is_some() => model.t(Text::Tags).to_string(),
        (None, Screen::Feeds) => model.t(Text::Feeds).to_string(),
        (None, Screen::Article { article, .. }) if let Some(detail) = article.detail.as_ref() => {
            detail.row.feed_title.clone()
        }
        (None, Screen::Headlines(list) | Screen::Article { list, .. }) => {
            model.source_title(&list.source)
        }
    };
    let filter = if model.unread_only {
        format!(" {}", model.t(Text::UnreadOnly))
    } else {
        String::new()
    };
    let hint = title_hint(model);
    let hint_width = str_width(&hint);
    let title_max = if area.width > hint_width + 20 {
        area.width - hint_width - 2
    } else {
        area.width
    };
    let app = model.t(Text::AppName);
    let title = format!(" {app} › {place}{filter}");
    if model.rtl() {
        // Mirrored: the place reads from the right end, the hint sits at the left.
        let used = put_ui_line(
            buf,
            area.right() - title_max,
            area.y,
            title_max,
            &format!("{title} "),
            theme.title_bar,
            theme,
            model.layout,
            true,
        );
        if title_max < area.width && used < title_max {
            put_ui_line(
                buf,
                area.x + 1,
                area.y,
                hint_width,
                &hint,
                theme.title_bar,
                theme,
                model.layout,
                true,
            );
        }
        return;
    }
    let used = put_ui_text(
        buf,
        area.x,
        area.y,
        title_max,
        &title,
        theme.title_bar,
        theme,
        model.layout,
    );
    if title_max < area.width && used < title_max {
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
    let hint = |text: Text, key: Key| model.tf(text, &[("key", &key.to_string())]);
    let parts: Vec<String> = if model.overlay.is_some() {
        back.or_else(|| keymap.first_key(Action::Help))
            .map(|k| hint(Text::HintClose, k))
            .into_iter()
            .collect()
    } else {
        [
            (Action::Help, Text::HintHelp),
            (Action::Back, Text::HintBack),
        ]
        .iter()
        .filter_map(|(action, text)| keymap.first_key(*action).map(|k| hint(*text, k)))
        .collect()
    };
    parts.join("  ")
}

/// Position or count, refresh progress and the last error. English: progress
/// and error from the left, the position at the right end; Persian: mirrored,
/// the position at the left end.
fn status_line(model: &Model, buf: &mut Buffer, area: Rect) {
    let theme = &model.theme;
    let rtl = model.rtl();
    fill(buf, area.x, area.y, area.width, theme.status_bar);
    let picker_len = model
        .tag_picker
        .as_ref()
        .map(|p| (p.cursor, p.shown().len()));
    let info = match &model.screen {
        _ if model.overlay.is_some() => String::new(),
        // The picker covers the screen: its own place, not the list's below it.
        _ if picker_len.is_some() => match picker_len {
            Some((cursor, len)) if len > 0 => model.digits(format!("{}/{}", cursor + 1, len)),
            _ => String::new(),
        },
        Screen::Feeds => model.tf(
            Text::UnreadCount,
            &[("n", &model.number(model.unread_total))],
        ),
        Screen::Headlines(list) if !list.is_empty() => {
            model.digits(format!("{}/{}", list.cursor + 1, list.len()))
        }
        Screen::Article { article: a, .. } if !a.lines.is_empty() => {
            // How far the bottom of the screen has got through the article.
            let seen = (a.scroll + model.body_height()).min(a.lines.len());
            let pct = seen * 100 / a.lines.len();
            model.tf(Text::Percent, &[("n", &model.number(pct))])
        }
        Screen::Headlines(_) | Screen::Article { .. } => String::new(),
    };
    // One cell between the position and the screen's edge (the logical end is
    // the left one in a right-to-left line).
    let info = if info.is_empty() {
        info
    } else {
        format!("{info} ")
    };
    let info_width = str_width(&info);
    let rest = area.width.saturating_sub(info_width + 1);
    let progress = model.refresh.map(|progress| {
        let done = model.number(progress.done);
        let total = model.number(progress.total);
        let text = model.tf(Text::Refreshing, &[("done", &done), ("total", &total)]);
        format!(" {text} ")
    });
    let error = match model.screen {
        Screen::Feeds if model.overlay.is_none() => selected_feed_error(model)
            .map(|e| format!("! {e}"))
            .or_else(|| model.last_error.clone()),
        // What just went wrong (a browser, the database) before the feed's old news.
        Screen::Headlines(_) => model
            .last_error
            .clone()
            .or_else(|| open_feed_error(model).map(|e| format!("! {e}"))),
        _ => model.last_error.clone(),
    };
    let error_style = theme.status_bar.patch(theme.error);
    if rtl {
        put_ui_line(
            buf,
            area.x,
            area.y,
            info_width,
            &info,
            theme.status_bar,
            theme,
            model.layout,
            true,
        );
        let mut used = 0;
        if let Some(progress) = progress {
            let width = str_width(&progress).min(rest);
            used = put_ui_line(
                buf,
                area.right() - width,
                area.y,
                width,
                &progress,
                theme.status_bar,
                theme,
                model.layout,
                true,
            );
        }
        if let Some(error) = error {
            let width = rest.saturating_sub(used.max(1));
            put_ui_line(
                buf,
                area.right() - used.max(1) - width,
                area.y,
                width,
                &error,
                error_style,
                theme,
                model.layout,
                true,
            );
        }
        return;
    }
    let mut x = area.x;
    if let Some(progress) = progress {
        x += put_str(buf, x, area.y, rest, &progress, theme.status_bar);
    }
    if let Some(error) = error {
        let start = x.max(area.x + 1);
        put_ui_text(
            buf,
            start,
            area.y,
            rest.saturating_sub(start - area.x),
            &error,
            error_style,
            theme,
            model.layout,
        );
    }
    put_str(
        buf,
        area.right() - info_width,
        area.y,
        info_width,
        &info,
        theme.status_bar,
    );
}

/// A centred note in an empty body ("loading…", "no items").
fn note(model: &Model, buf: &mut Buffer, area: Rect, text: &str) {
    let width = str_width(text).min(area.width);
    let x = area.x + (area.width - width) / 2;
    let y = area.y + area.height / 2;
    if model.rtl() {
        // Persian words go through the bidi layout like every other line.
        ui_line(model, buf, Rect::new(x, y, width, 1), text, model.theme.dim);
    } else {
        put_str(buf, x, y, width, text, model.theme.dim);
    }
}
