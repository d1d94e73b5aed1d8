//! The `class` and `id` words by which news CMSs name what they put around a
//! story (`share-box`, `relatedPosts`, `breadcrumb`), split the way sites write
//! them (separators and camelCase). [`super::chrome`] weighs them with the
//! element, its role and its label.

use dom_query::NodeRef;

/// `class`/`id` words (after splitting on `-`, `_`, spaces and camelCase).
const CHROME_WORDS: &[&str] = &[
    "share",
    "shares",
    "sharing",
    "sharebar",
    "sharer",
    "social",
    "socials",
    "related",
    "tags",
    "tag",
    "tagcloud",
    "taglist",
    "keywords",
    "categories",
    "cats",
    "catlinks",
    "comment",
    "comments",
    "commentlist",
    "respond",
    "disqus",
    "rating",
    "ratings",
    "rate",
    "stars",
    "vote",
    "votes",
    "like",
    "likes",
    "dislike",
    "ad",
    "ads",
    "adv",
    "advert",
    "adverts",
    "advertisement",
    "adsense",
    "adsbygoogle",
    "banner",
    "banners",
    "sponsor",
    "sponsored",
    "promo",
    "promoted",
    "breadcrumb",
    "breadcrumbs",
    "newsletter",
    "subscribe",
    "signup",
    "print",
    "font",
    "fontsize",
    "toolbar",
    "popular",
    "mostread",
    "mostviewed",
    "trending",
    "readmore",
    "readalso",
    "seealso",
    "also",
    "sidebar",
    "widget",
    "widgets",
    "footer",
    "menu",
    "nav",
    "navbar",
    "navigation",
    "pagination",
    "pager",
    "outbrain",
    "taboola",
    "visits",
    "views",
    "copyright",
    "rss",
    "tools",
    "meta",
    "postmeta",
    "entrymeta",
    "shortlink",
    "services",
    "masthead",
    "topbar",
    "date",
    "dates",
    "time",
    "timestamp",
    "published",
    "posted",
    "byline",
    "visit",
    "visits",
    "hits",
    "counter",
    "newscode",
    "ticker",
];

/// Substrings of the joined class/id that mark chrome whatever the separators.
const CHROME_FRAGMENTS: &[&str] = &[
    "breadcrumb",
    "newsletter",
    "advertis",
    "sponsor",
    "relatedpost",
    "relatednews",
    "mostread",
    "mostviewed",
    "mostpopular",
    "readalso",
    "seealso",
    "readmore",
    "socialshare",
    "sharebutton",
    "commentform",
    "commentlist",
];

/// Page headers are chrome outside an article; inside one they hold its title.
const HEADER_WORDS: &[&str] = &["header", "head", "topnav"];

/// WordPress's `post_class()` tags the post's wrapper with `category-news`,
/// `tag-iran` (next to `hentry`, `type-post`): these name the post's terms, not a
/// box of them.
const TERM_CLASS_PREFIXES: &[&str] = &["category-", "tag-", "post-", "type-", "format-", "status-"];

/// Layout modifiers on a page wrapper (`has-sidebar`), not the thing itself.
const MODIFIER_PREFIXES: &[&str] = &["has-", "with-", "no-", "is-"];

/// Whether the element's `class` and `id` words name chrome (a header only
/// outside an article); WordPress's post terms and layout modifiers do not count.
pub(super) fn has_chrome_words(node: &NodeRef<'_>, in_article: bool) -> bool {
    let mut names = String::new();
    if let Some(class) = node.attr("class") {
        let post_class = class
            .split_whitespace()
            .any(|c| c == "hentry" || c == "type-post" || c == "type-page");
        for class in class.split_whitespace() {
            let lower = class.to_ascii_lowercase();
            let term = post_class && TERM_CLASS_PREFIXES.iter().any(|p| lower.starts_with(p));
            if term || MODIFIER_PREFIXES.iter().any(|p| lower.starts_with(p)) {
                continue;
            }
            names.push_str(class);
            names.push(' ');
        }
    }
    if let Some(id) = node.attr("id") {
        names.push_str(&id);
    }
    if names.is_empty() {
        return false;
    }
    let words = words(&names);
    if words.iter().any(|w| CHROME_WORDS.contains(&w.as_str())) {
        return true;
    }
    if !in_article && words.iter().any(|w| HEADER_WORDS.contains(&w.as_str())) {
        return true;
    }
    let joined: String = words.concat();
    CHROME_FRAGMENTS.iter().any(|f| joined.contains(f))
}

/// `relatedPosts share_box` → `related posts share box`.
fn words(names: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut previous_lower = false;
    for c in names.chars() {
        if !c.is_ascii_alphanumeric() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            previous_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        word.push(c.to_ascii_lowercase());
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_names_split_into_words() {
        assert_eq!(
            words("relatedPosts share_box"),
            ["related", "posts", "share", "box"]
        );
        assert_eq!(words("post-tags"), ["post", "tags"]);
    }
}
