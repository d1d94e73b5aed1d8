//! HTML to styled [`crate::text::Block`]s: paragraphs, headings, lists, quotes,
//! preformatted text, tables, images as `[image: alt]`, and numbered links.
