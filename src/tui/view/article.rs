//! The article screen: the lines laid out by `update` for the current width,
//! scrolled. Nothing is laid out here.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::super::article::ArticleView;
use super::super::i18n::Text;
use super::super::model::Model;
use super::cells::put_visual_line;
use super::note;

pub fn draw(model: &Model, article: &ArticleView, buf: &mut Buffer, area: Rect) {
    if article.missing {
        note(model, buf, area, model.t(Text::ItemGone));
        return;
    }
    if article.detail.is_none() {
        note(model, buf, area, model.t(Text::Loading));
        return;
    }
    let theme = &model.theme;
    for (row, line) in article
        .lines
        .iter()
        .skip(article.scroll)
        .take(area.height as usize)
        .enumerate()
    {
        put_visual_line(
            buf,
            area.x,
            area.y + row as u16,
            area.width,
            line,
            theme,
            theme.text,
            None,
        );
    }
}
