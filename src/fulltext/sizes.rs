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

/// Characters of `text` that are not whitespace (ASCII text counted bytewise).
fn non_space_chars(text: &str) -> usize {
    if text.is_ascii() {
        // The ASCII characters `char::is_whitespace` accepts.
        text.bytes()
            .filter(|b| !matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r'))
            .count()
    } else {
        text.chars().filter(|c| !c.is_whitespace()).count()
    }
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
