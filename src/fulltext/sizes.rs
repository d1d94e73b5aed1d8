//! How much text each element holds, and how much of it is link text: measured
//! once per page, bottom-up, and kept up to date as elements are removed, for
//! the chrome rules ([`super::chrome`]) and the last touches ([`super::tidy`]).

use std::collections::HashMap;

use dom_query::{NodeId, NodeRef};

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
pub(super) fn sizes(root: NodeRef<'_>) -> HashMap<NodeId, Size> {
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
        if node.is_text() {
            size.text = node.text().chars().filter(|c| !c.is_whitespace()).count();
        }
        if node.has_name("a") {
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
pub(super) fn remove(nodes: Vec<NodeRef<'_>>, sizes: &mut HashMap<NodeId, Size>) {
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
