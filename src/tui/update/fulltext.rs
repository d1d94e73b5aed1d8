//! The article view's full text: `F` switches between the feed's text and the
//! article taken from the item's page, fetching the page in the background when
//! there is none yet; `fulltext = "on-open"` feeds fetch it when an item is first
//! opened. The status line says what is shown and what is being fetched.

use super::super::i18n::Text;
use super::super::model::Model;
use super::super::msg::{Command, DbRequest};
use crate::store::ItemId;

/// `F` in the article view.
pub(super) fn toggle(model: &mut Model) -> Vec<Command> {
    let (width, layout, dates) = (model.width, model.layout, model.dates);
    let Some(article) = model.screen.article_mut() else {
        return Vec::new();
    };
    let Some(detail) = article.detail.as_ref() else {
        return Vec::new();
    };
    if detail.fulltext_html.is_some() {
        let feed_text = !article.show_feed_text;
        article.show(feed_text, width, layout, dates);
        let text = if feed_text {
            Text::ShowingFeedText
        } else {
            Text::ShowingFulltext
        };
        model.message = Some(model.t(text).into());
        return Vec::new();
    }
    let id = article.id;
    match detail.row.link.clone() {
        Some(link) => fetch(model, id, link),
        None => {
            model.message = Some(model.t(Text::NoLink).into());
            Vec::new()
        }
    }
}

/// Asks the runner for the item's page and says so on the status line.
pub(super) fn fetch(model: &mut Model, id: ItemId, link: String) -> Vec<Command> {
    model.message = Some(model.t(Text::FetchingFulltext).into());
    vec![Command::FetchFulltext { id, link }]
}

/// The page came back: show the article if its item is still open, and keep
/// it (or why there is none) in the database, written by the database worker
/// so the write is not taken for another process's and every list read again.
pub(super) fn arrived(
    model: &mut Model,
    id: ItemId,
    result: Result<String, String>,
) -> Vec<Command> {
    let store = vec![Command::Db(DbRequest::StoreFulltext {
        id,
        result: result.clone(),
    })];
    let (width, layout, dates) = (model.width, model.layout, model.dates);
    let Some(article) = model.screen.article_mut().filter(|a| a.id == id) else {
        return store;
    };
    match result {
        Ok(html) => {
            if let Some(detail) = article.detail.as_mut() {
                detail.fulltext_html = Some(html);
                detail.fetch_on_open = false;
            }
            article.show(false, width, layout, dates);
            model.message = Some(model.t(Text::ShowingFulltext).into());
        }
        Err(error) => {
            let error = crate::text::sanitize::clean_inline(&error);
            model.message = Some(model.tf(Text::NoFulltext, &[("error", &error)]));
        }
    }
    store
}
