//! How much text each element holds, and how much of it is link text: measured
//! once per page, bottom-up, and kept up to date as elements are removed, for
//! the chrome rules ([`super::chrome`]) and the last touches ([`super::tidy`]).

use std::collections::HashMap;

use dom_query::{NodeData, NodeId, NodeRef};

/// Text sizes by node. Node ids are small integers from one tree: a fast
/// non-cryptographic hash is enough (SipHash was a tenth of the chrome pass).
pub(super) type Sizes = HashMap<NodeId, Size, foldhash::fast::FixedState>;

/// Per-element text sizes, gathered bottom-up in one pass.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Size {
    /// Characters of text, whitespace excluded.
    pub text: usize,
    /// Of which inside links.
    pub link: usize,
}

/// Text sizes of every node under `root`, children before parents: linear, and
/// one map insertion per node (the sums run over positions in document order).
pub(super) fn sizes(root: NodeRef<'_>) -> Sizes {
    // (node, position of its parent in `order`)
    let mut order: Vec<(NodeRef<'_>, usize)> = Vec::new();
    let mut stack = vec![(root, usize::MAX)];
    while let Some((node, parent)) = stack.pop() {
        let at = order.len();
        order.push((node, parent));
        stack.extend(node.children_it(true).map(|child| (child, at)));
    }
    let mut sums = vec![Size::default(); order.len()];
    for (at, (node, parent)) in order.iter().enumerate().rev() {
        let mut size = sums[at];
        // One look at the node: its text length, or whether it is a link.
        let (text, link) = node.query_or((None, false), |n| match &n.data {
            NodeData::Text { contents } => (Some(non_space_chars(contents)), false),
            NodeData::Element(el) => (None, &el.name.local == "a"),
            _ => (None, false),
        });
        if let Some(text) = text {
            size.text = text;
        }
        if link {
            size.link = size.text;
        }
        sums[at] = size;
        if let Some(up) = sums.get_mut(*parent) {
            up.text += size.text;
            up.link += size.link;
        }
    }
    order
        .iter()
        .zip(sums)
        .map(|((node, _), size)| (node.id, size))
        .collect()
}

/// Characters of `text` that are not whitespace, counted on the bytes: every
/// byte that starts a character, but ASCII whitespace; the few characters whose
/// first byte can start a non-ASCII space (U+0085, U+00A0, U+1680, U+2000 to
/// U+205F, U+3000) are decoded and asked. (Per character through `chars()` this
/// was a tenth of the chrome pass on a page of Arabic text.)
fn non_space_chars(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut count = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            // The ASCII characters `char::is_whitespace` accepts.
            b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' => i += 1,
            0x00..=0x7F => {
                count += 1;
                i += 1;
            }
            // Inside a character.
            0x80..=0xBF => i += 1,
            0xC2 | 0xE1 | 0xE2 | 0xE3 => {
                let c = text.get(i..).and_then(|rest| rest.chars().next());
                count += usize::from(c.is_some_and(|c| !c.is_whitespace()));
                i += c.map_or(1, char::len_utf8);
            }
            _ => {
                count += 1;
                i += 1;
            }
        }
    }
    count
}

/// Every node under `root` (itself included) in document order, without recursion.
pub(super) fn preorder(root: NodeRef<'_>) -> Vec<NodeRef<'_>> {
    let mut order = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        order.push(node);
        stack.extend(node.children_it(true));
    }
    order
}

/// Removes `nodes`, taking their text off their ancestors' sizes.
pub(super) fn remove(nodes: Vec<NodeRef<'_>>, sizes: &mut Sizes) {
    for node in nodes {
        let gone = sizes.get(&node.id).copied().unwrap_or_default();
        let mut up = node.parent();
        while let Some(ancestor) = up {
            if let Some(size) = sizes.get_mut(&ancestor.id) {
                size.text = size.text.saturating_sub(gone.text);
                size.link = size.link.saturating_sub(gone.link);
            }
            up = ancestor.parent();
        }
        node.remove_from_parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_space_characters_are_counted_as_chars_would() {
        for text in [
            "",
            " a b\t\n\u{b}\u{c}\r",
            "سلام،\u{a0}دنیا\u{200c}ها\u{2003}و\u{3000}中文\u{85}x\u{1680}y\u{2028}z",
            "«خبر» — ۱۲۳ ✓ 😀",
        ] {
            let expected = text.chars().filter(|c| !c.is_whitespace()).count();
            assert_eq!(non_space_chars(text), expected, "{text:?}");
        }
    }
}
