//! Which screen the reader shows, holding what that screen needs: the feed
//! screen (its rows live in the model), a headline list, or an article opened
//! from a list. A list or an article exists only on the screen that shows it, so
//! the screen and its data can never disagree. Help draws over any screen.

use super::article::ArticleView;
use super::list::HeadlineList;

/// The screen under any overlay.
#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    /// The feed list (virtual entries, tags, feeds).
    Feeds,
    /// A headline list.
    Headlines(HeadlineList),
    /// An article, over the list it was opened from (Back returns to it).
    Article {
        /// The list the article was opened from, kept as it was.
        list: HeadlineList,
        /// The open article.
        article: Box<ArticleView>,
    },
}

/// Drawn over the screen and takes the keys while open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    /// The key help, scrolled by this many rows.
    Help {
        /// The first help row shown.
        scroll: usize,
    },
}

impl Screen {
    /// The headline list shown, or under the article.
    pub fn list(&self) -> Option<&HeadlineList> {
        match self {
            Screen::Feeds => None,
            Screen::Headlines(list) | Screen::Article { list, .. } => Some(list),
        }
    }

    /// The headline list shown, or under the article, to change.
    pub fn list_mut(&mut self) -> Option<&mut HeadlineList> {
        match self {
            Screen::Feeds => None,
            Screen::Headlines(list) | Screen::Article { list, .. } => Some(list),
        }
    }

    /// The open article.
    pub fn article(&self) -> Option<&ArticleView> {
        match self {
            Screen::Article { article, .. } => Some(article),
            Screen::Feeds | Screen::Headlines(_) => None,
        }
    }

    /// The open article, to change.
    pub fn article_mut(&mut self) -> Option<&mut ArticleView> {
        match self {
            Screen::Article { article, .. } => Some(article),
            Screen::Feeds | Screen::Headlines(_) => None,
        }
    }

    /// Shows `article` over the current list (replacing an open article); on the
    /// feed screen, where there is no list, nothing changes.
    pub fn open_article(&mut self, article: ArticleView) {
        *self = match std::mem::replace(self, Screen::Feeds) {
            Screen::Feeds => Screen::Feeds,
            Screen::Headlines(list) | Screen::Article { list, .. } => Screen::Article {
                list,
                article: Box::new(article),
            },
        };
    }

    /// Gives the open article's copy of its item the read and starred state
    /// of the list's row for it, as last read from the database: another
    /// process (a sync, `khabar mark-read`) may have changed it since the
    /// article opened, and the list's rows are read again then, the article not.
    pub fn article_follows_list(&mut self) {
        if let Screen::Article { list, article } = self
            && let Some(detail) = article.detail.as_mut()
            && let Some(row) = list.rows.iter().find(|r| r.id == detail.row.id)
        {
            detail.row.read = row.read;
            detail.row.starred = row.starred;
        }
    }

    /// Closes the article and shows its list again.
    pub fn close_article(&mut self) {
        if let Screen::Article { .. } = self
            && let Screen::Article { list, .. } = std::mem::replace(self, Screen::Feeds)
        {
            *self = Screen::Headlines(list);
        }
    }
}
