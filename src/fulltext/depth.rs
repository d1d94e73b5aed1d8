//! Bounding the nesting depth of a page before it is parsed (issue 8, defect 8):
//! 19,000 nested `<div>`s took 18 s to extract, since html5ever's scope checks and
//! Readability's walks over ancestors and text are quadratic in depth. The pass
//! itself is the one HTML depth bounder, [`crate::html::bounded_nesting_to`];
//! pages get a deeper bound than feed HTML, since a whole site's layout wraps
//! the story.

/// Elements opened deeper than this lose their tags (their content is kept).
pub const MAX_DEPTH: usize = 200;

pub use crate::html::bounded_nesting_to as bound_nesting;
