//! What a refresh keeps and what it reports: the cleanup policy and the counts of
//! one feed's update.

/// How long read items are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CleanupPolicy {
    /// Read, unstarred items older than this many days are removed; 0 keeps all.
    pub keep_read_days: u32,
}

/// What writing one feed's refresh changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UpdateStats {
    /// Items not seen before.
    pub new_items: u64,
    /// Known items whose content changed.
    pub changed_items: u64,
    /// New items not stored because an `[[ignore]]` rule selects them.
    pub ignored_items: u64,
}
