//! Tags as the reader shows them: each tag is a bidi isolate, so a Persian tag
//! reads right to left on its own while the list of tags keeps its left-to-right
//! order and commas (`fa, صنعت, اقتصاد`), in the feed list and the article header.

use crate::text::sanitize::clean_inline;

const FSI: char = '\u{2068}';
const PDI: char = '\u{2069}';

/// `tags` joined with ", ", each wrapped in FSI…PDI for the layout engine
/// (which resolves the isolates and never prints them). Controls inside a tag
/// are removed first so that none can end its isolate early.
pub fn isolated_list(tags: &[String]) -> String {
    isolated_list_with(tags, ", ")
}

/// Like [`isolated_list`], joined with `separator` (`"، "` in a Persian interface).
pub fn isolated_list_with(tags: &[String], separator: &str) -> String {
    tags.iter()
        .map(|tag| format!("{FSI}{}{PDI}", clean_inline(tag)))
        .collect::<Vec<_>>()
        .join(separator)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_tag_is_isolated_and_cleaned() {
        let tags = vec!["fa".to_string(), "صنعت\u{2069}\u{202e}x".to_string()];
        assert_eq!(
            isolated_list(&tags),
            "\u{2068}fa\u{2069}, \u{2068}صنعتx\u{2069}"
        );
    }
}
