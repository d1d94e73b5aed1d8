//! Links and embedded players for [`super::builder::Builder`]: each distinct
//! URL gets a number (at most [`MAX_LINKS`]), shown as a `[n]` marker after the
//! link's text; a player that cannot play in a terminal is named (`[video]`)
//! with its source as a numbered link.

use scraper::ElementRef;

use super::builder::Builder;
use super::limits::MAX_LINKS;
use crate::text::{StyledRun, TextStyle};

impl Builder {
    /// An embedded player (a YouTube `<iframe>`, `<video>`, `<audio>`) cannot play
    /// in a terminal, but the reader should know it is there and be able to open it:
    /// `[video]` with its source as a numbered link.
    pub(super) fn media(&mut self, el: ElementRef<'_>, name: &str) {
        let label = match name {
            "iframe" => "[embedded content]",
            "video" => "[video]",
            _ => "[audio]",
        };
        let src = el.value().attr("src").or_else(|| {
            el.descendants()
                .filter_map(ElementRef::wrap)
                .find(|child| child.value().name() == "source")
                .and_then(|source| source.value().attr("src"))
        });
        // A player is a box of its own in a browser: keep it apart from its neighbours.
        let style = self.style;
        self.inline_text(" ", style);
        self.inline_text(
            label,
            TextStyle {
                italic: true,
                ..self.style
            },
        );
        if let Some(n) = src
            .and_then(|src| self.resolve(src))
            .and_then(|url| self.number_link(url))
        {
            self.runs.push(StyledRun {
                text: format!("[{n}]"),
                style: TextStyle {
                    marker: true,
                    link: Some(n),
                    ..Default::default()
                },
            });
            self.after_space = false;
        }
        self.inline_text(" ", style);
    }

    /// The number of `url` in the link list, adding it when new; `None` once
    /// the list holds [`MAX_LINKS`] (the link's text stays, unnumbered).
    fn number_link(&mut self, url: String) -> Option<u32> {
        let n = match self.link_numbers.get(&url) {
            Some(&n) => n,
            None if self.links.len() >= MAX_LINKS => return None,
            None => {
                self.links.push(url.clone());
                let n = u32::try_from(self.links.len()).unwrap_or(u32::MAX);
                self.link_numbers.insert(url, n);
                n
            }
        };
        Some(n)
    }

    pub(super) fn link(&mut self, el: ElementRef<'_>) {
        let Some(n) = el
            .value()
            .attr("href")
            .and_then(|h| self.resolve(h))
            .and_then(|url| self.number_link(url))
        else {
            self.children(el);
            return;
        };
        let saved = self.style;
        self.style.link = Some(n);
        self.children(el);
        self.style = saved;
        let marker = TextStyle {
            marker: true,
            link: Some(n),
            ..Default::default()
        };
        self.runs.push(StyledRun {
            text: format!("[{n}]"),
            style: marker,
        });
        self.after_space = false;
    }

    /// An absolute URL for `href`, or `None` for links that lead nowhere useful.
    fn resolve(&self, href: &str) -> Option<String> {
        let href = href.trim();
        if href.is_empty()
            || href.starts_with('#')
            || href.to_ascii_lowercase().starts_with("javascript:")
        {
            return None;
        }
        if let Ok(url) = url::Url::parse(href) {
            return Some(url.to_string());
        }
        match &self.base {
            Some(base) => base.join(href).ok().map(|u| u.to_string()),
            None => Some(href.to_string()),
        }
    }
}
