//! Every tag (feed tags and item categories) with its unread and total counts,
//! for the reader's tag picker: a sum over `feed_tag_counts` (a few rows per
//! feed), never a count of items, so it is instant at any size; and the same
//! sums by exact spelling for the feed screen's `#tag` entries.

use std::collections::{HashMap, HashSet};

use foldhash::fast::RandomState;

use super::{Store, StoreError};
use crate::query::index_text;

/// One tag as the picker lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagTotals {
    /// The spelling most items use; others with the same search key are merged in.
    pub name: String,
    /// Unread items in enabled feeds.
    pub unread: u64,
    /// Items in enabled feeds.
    pub total: u64,
}

impl Store {
    /// Unread and total items of each tag in enabled feeds, by its exact
    /// spelling (what `#tag` on the feed screen opens: `ItemQuery::tag`), in
    /// one pass over `feed_tag_counts`. Tags without items are absent.
    ///
    /// Summed here, not by SQL's `GROUP BY`: at 1,000,000 items the table has
    /// ~35,000 rows for a dozen tags, and a lookup in `feeds` for each row and
    /// the sort of all of them were most of the tag picker's time.
    pub fn tag_counts_by_name(&self) -> Result<HashMap<String, (u64, u64)>, StoreError> {
        // foldhash (randomly seeded: the tags come from feeds), and the tags as
        // bytes until the end: SipHash and a UTF-8 check per row were a fifth
        // of the picker's instructions at 1,000,000 items (BENCHMARKS.md, "The
        // twenty-seventh pass").
        let enabled: HashSet<i64, RandomState> = self
            .conn
            .prepare_cached("SELECT id FROM feeds WHERE enabled = 1")?
            .query_map([], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        let mut sums: HashMap<Vec<u8>, (i64, i64), RandomState> = HashMap::default();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT feed_id, tag, unread, total FROM feed_tag_counts")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            if !enabled.contains(&row.get::<_, i64>(0)?) {
                continue;
            }
            let tag = row.get_ref(1)?.as_bytes().map_err(rusqlite::Error::from)?;
            let (unread, total): (i64, i64) = (row.get(2)?, row.get(3)?);
            match sums.get_mut(tag) {
                Some(sum) => {
                    sum.0 += unread;
                    sum.1 += total;
                }
                None => {
                    sums.insert(tag.to_vec(), (unread, total));
                }
            }
        }
        sums.into_iter()
            .map(|(tag, (unread, total))| {
                let tag = String::from_utf8(tag)
                    .map_err(|err| rusqlite::Error::from(err.utf8_error()))?;
                Ok((tag, (unread.max(0) as u64, total.max(0) as u64)))
            })
            .collect()
    }

    /// Every tag with items in enabled feeds, most unread first, then by name.
    /// Spellings that search the same (`فناوري` and `فناوری`) are one entry.
    pub fn tag_totals(&self) -> Result<Vec<TagTotals>, StoreError> {
        // In name order, as SQL grouped them: of two spellings with the same
        // total, the first in that order is shown.
        let mut rows: Vec<(String, (u64, u64))> = self
            .tag_counts_by_name()?
            .into_iter()
            .filter(|(_, (_, total))| *total > 0)
            .collect();
        rows.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        // Search key -> (entry, total of the spelling shown).
        let mut merged: HashMap<String, (TagTotals, u64)> = HashMap::new();
        for (name, (unread, total)) in rows {
            let entry = merged.entry(index_text(&name)).or_insert_with(|| {
                (
                    TagTotals {
                        name: name.clone(),
                        unread: 0,
                        total: 0,
                    },
                    0,
                )
            });
            entry.0.unread += unread;
            entry.0.total += total;
            if total > entry.1 {
                entry.0.name = name;
                entry.1 = total;
            }
        }
        let mut out: Vec<TagTotals> = merged.into_values().map(|(tag, _)| tag).collect();
        out.sort_by(|a, b| b.unread.cmp(&a.unread).then_with(|| a.name.cmp(&b.name)));
        Ok(out)
    }
}
