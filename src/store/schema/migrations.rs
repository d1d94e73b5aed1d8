//! The SQL of each migration after the first (`first.rs`), in the order
//! [`super::MIGRATIONS`] applies them (the constants' names say what each
//! brings; their order there is the version). A released migration is never
//! edited, only followed by another.

/// Version 2: the time a refresh last rewrote an item (new or changed content), so
/// "what changed in the last refresh" can be answered without guessing.
pub(super) const MIGRATION_2: &str = r#"
ALTER TABLE items ADD COLUMN last_updated INTEGER;
UPDATE items SET last_updated = first_seen;
"#;

/// Version 3: mark which tag-index rows come from the feed's tags (`via_feed`), so
/// that counting a tag adds the tagged feeds' counters to the few items tagged only
/// by their own category, instead of counting every item of the tag.
pub(super) const MIGRATION_3: &str = r#"
ALTER TABLE tag_items ADD COLUMN via_feed INTEGER NOT NULL DEFAULT 0;
UPDATE tag_items SET via_feed = 1
 WHERE EXISTS (SELECT 1 FROM items i JOIN feed_tags ft ON ft.feed_id = i.feed_id
                WHERE i.id = tag_items.item_id AND ft.tag = tag_items.tag);
CREATE INDEX tag_items_by_category ON tag_items (tag, item_id) WHERE via_feed = 0;

DROP TRIGGER items_count_insert;
CREATE TRIGGER items_count_insert AFTER INSERT ON items BEGIN
    UPDATE feeds SET total_count = total_count + 1,
                     unread_count = unread_count + (NEW.read = 0)
     WHERE id = NEW.feed_id;
    INSERT INTO tag_items (tag, item_id, sort_time, refs, via_feed)
        SELECT tag, NEW.id, NEW.sort_time, 1, 1 FROM feed_tags WHERE feed_id = NEW.feed_id;
END;

DROP TRIGGER feed_tags_insert;
CREATE TRIGGER feed_tags_insert AFTER INSERT ON feed_tags BEGIN
    INSERT INTO tag_items (tag, item_id, sort_time, refs, via_feed)
        SELECT NEW.tag, id, sort_time, 1, 1 FROM items WHERE feed_id = NEW.feed_id
        ON CONFLICT (tag, item_id) DO UPDATE SET refs = refs + 1, via_feed = 1;
END;

DROP TRIGGER feed_tags_delete;
CREATE TRIGGER feed_tags_delete AFTER DELETE ON feed_tags BEGIN
    UPDATE tag_items SET refs = refs - 1, via_feed = 0
     WHERE tag = OLD.tag AND item_id IN (SELECT id FROM items WHERE feed_id = OLD.feed_id);
    DELETE FROM tag_items
     WHERE tag = OLD.tag AND refs <= 0
       AND item_id IN (SELECT id FROM items WHERE feed_id = OLD.feed_id);
END;
"#;

/// Version 4: the starred index also holds the feed, so counting starred items
/// (which must skip disabled feeds) reads the index alone, not every starred row.
pub(super) const MIGRATION_4: &str = r#"
DROP INDEX items_starred_by_time;
CREATE INDEX items_starred_by_time ON items (sort_time, id, feed_id, starred) WHERE starred = 1;
"#;

/// Version 5: the readable article extracted from an item's web page for feeds with
/// `fulltext = true`, kept apart from the HTML as published. `fulltext_tried` stops
/// a page that cannot be extracted from being fetched on every refresh; replacing
/// the content row (the item changed) clears both, so the new page is tried again.
pub(super) const MIGRATION_5: &str = r#"
ALTER TABLE item_content ADD COLUMN fulltext_html TEXT;
ALTER TABLE item_content ADD COLUMN fulltext_tried INTEGER NOT NULL DEFAULT 0;
"#;

/// Version 6: new items no longer fire per-row triggers. `items_count_insert` (an
/// `UPDATE feeds` and the feed-tag index rows for every new item) and
/// `item_categories_insert` (a tag index row per category) made every insert a
/// multi-statement write with its own statement journal, more than half the cost
/// of a first refresh. `Store::apply_update`, the only writer of new items and
/// categories, now bumps the counters once per feed and writes each tag index row
/// once with its final reference count; the triggers for the rare paths (read
/// state, deletes, feed tag changes, new sort times) stay. The counters and tag
/// index rows already stored are correct and stay as they are.
pub(super) const MIGRATION_6: &str = r#"
DROP TRIGGER items_count_insert;
DROP TRIGGER item_categories_insert;
"#;

/// Sync with a feed server (branch `sync`, issue 11): the account's state (cursors,
/// capabilities, last result) as key/value pairs, the server's ids of feeds and
/// entries with the read/starred state the server last reported, and the outbox of
/// local marks not yet sent. The outbox is keyed by the server's entry id and has no
/// foreign key, so a mark survives the local cleanup of its item. Only new tables:
/// safe after any other branch's migration.
pub(super) const MIGRATION_SYNC: &str = r#"
CREATE TABLE IF NOT EXISTS sync_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sync_feeds (
    remote_id INTEGER PRIMARY KEY,
    feed_id   INTEGER NOT NULL UNIQUE REFERENCES feeds(id) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS sync_items (
    remote_id      INTEGER PRIMARY KEY,
    item_id        INTEGER NOT NULL UNIQUE REFERENCES items(id) ON DELETE CASCADE,
    server_read    INTEGER NOT NULL,
    server_starred INTEGER NOT NULL
);
-- One row per entry with marks to send: NULL means nothing to send for that flag.
CREATE TABLE IF NOT EXISTS sync_outbox (
    remote_id  INTEGER PRIMARY KEY,
    read       INTEGER,
    starred    INTEGER,
    queued_at  INTEGER NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
"#;

/// (branch `search`, issue 9) The full-text index: one FTS5 row per item (rowid =
/// item id) over its title, text, author, feed title and tags, each already
/// normalised by `query::index_text`, so the `ascii` tokenizer only splits at
/// spaces. Contentless (the text lives in `items`/`item_content`; the index holds
/// only the postings) with `contentless_delete` so a removed item leaves the index
/// in the same statement, by trigger (cleanup and feed removal delete items).
/// Items stored before this migration are listed in `search_backlog` and indexed
/// by `Store::build_search_index` in batches, with a progress bar.
pub(super) const MIGRATION_SEARCH: &str = r#"
CREATE VIRTUAL TABLE item_search USING fts5(
    title, body, author, feed, tags,
    content = '', contentless_delete = 1, tokenize = 'ascii'
);
-- Every word ever indexed: a word typed in a query expands to the indexed words
-- it starts, which FTS5 then matches as exact terms, streaming. A plain FTS5
-- prefix query first merges every posting of every such word (tens of
-- milliseconds per word at a million items). Words of removed items stay; they
-- match nothing.
CREATE TABLE search_terms (term TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE search_backlog (item_id INTEGER PRIMARY KEY);
INSERT INTO search_backlog (item_id) SELECT id FROM items;
CREATE TRIGGER items_search_delete AFTER DELETE ON items BEGIN
    DELETE FROM item_search WHERE rowid = OLD.id;
    DELETE FROM search_backlog WHERE item_id = OLD.id;
END;

-- Per feed and tag (feed tag or item category): how many items, how many unread,
-- so the tag picker sums a few rows per feed instead of counting items. New items
-- are added by the refresh writer (`search_index.rs`), once per feed; the rare
-- paths keep it by trigger.
CREATE TABLE feed_tag_counts (
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    tag     TEXT NOT NULL,
    total   INTEGER NOT NULL,
    unread  INTEGER NOT NULL,
    PRIMARY KEY (feed_id, tag)
) WITHOUT ROWID;
INSERT INTO feed_tag_counts (feed_id, tag, total, unread)
    SELECT i.feed_id, t.tag, COUNT(*), COALESCE(SUM(i.read = 0), 0)
      FROM tag_items t CROSS JOIN items i ON i.id = t.item_id
     GROUP BY i.feed_id, t.tag;
CREATE TRIGGER items_tag_counts_read AFTER UPDATE OF read ON items
WHEN OLD.read <> NEW.read BEGIN
    UPDATE feed_tag_counts SET unread = unread + (NEW.read = 0) - (OLD.read = 0)
     WHERE feed_id = NEW.feed_id
       AND tag IN (SELECT tag FROM tag_items WHERE item_id = NEW.id);
END;
CREATE TRIGGER items_tag_counts_delete BEFORE DELETE ON items BEGIN
    UPDATE feed_tag_counts SET total = total - 1, unread = unread - (OLD.read = 0)
     WHERE feed_id = OLD.feed_id
       AND tag IN (SELECT tag FROM tag_items WHERE item_id = OLD.id);
END;
-- A new feed tag covers every item of the feed; a removed one leaves the items
-- whose own category it is.
CREATE TRIGGER feed_tags_tag_counts_insert AFTER INSERT ON feed_tags BEGIN
    INSERT OR REPLACE INTO feed_tag_counts (feed_id, tag, total, unread)
        SELECT id, NEW.tag, total_count, unread_count FROM feeds WHERE id = NEW.feed_id;
END;
CREATE TRIGGER feed_tags_tag_counts_delete AFTER DELETE ON feed_tags BEGIN
    INSERT OR REPLACE INTO feed_tag_counts (feed_id, tag, total, unread)
        SELECT OLD.feed_id, OLD.tag, COUNT(*), COALESCE(SUM(i.read = 0), 0)
          FROM item_categories c CROSS JOIN items i ON i.id = c.item_id
         WHERE c.tag = OLD.tag AND i.feed_id = OLD.feed_id;
END;
"#;

/// (branch `fulltext`, issue 10): why an item's page gave no article, how many
/// times it was tried and when, so a failing page is retried at most once a day
/// and at most three times; and the feeds that fetch a page when an item is first
/// opened (`fulltext = "on-open"`). Pages already tried count as one attempt made
/// now. Only adds columns, so it runs after any other branch's migration.
pub(super) const MIGRATION_FULLTEXT: &str = r#"
ALTER TABLE item_content ADD COLUMN fulltext_error TEXT;
ALTER TABLE item_content ADD COLUMN fulltext_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE item_content ADD COLUMN fulltext_tried_at INTEGER;
UPDATE item_content SET fulltext_attempts = 1, fulltext_tried_at = CAST(strftime('%s', 'now') AS INTEGER)
 WHERE fulltext_tried = 1 AND fulltext_html IS NULL;
ALTER TABLE feeds ADD COLUMN fulltext_on_open INTEGER NOT NULL DEFAULT 0;
"#;

/// (branch `resil`, issue 8): what recovery repaired to read a feed's
/// last body ("read with repairs"), shown by `khabar feeds`. Its own table, so a
/// feed row (and every query on it) is unchanged; `IF NOT EXISTS` keeps it safe
/// whatever migrations of other branches ran before it.
pub(super) const MIGRATION_REPAIRS: &str = r#"
CREATE TABLE IF NOT EXISTS feed_repairs (
    feed_id     INTEGER PRIMARY KEY REFERENCES feeds(id) ON DELETE CASCADE,
    repairs     TEXT NOT NULL,
    repaired_at INTEGER NOT NULL
);
-- Retry-After (429/503): the feed is not fetched before `not_before` (Unix seconds).
CREATE TABLE IF NOT EXISTS feed_retry_after (
    feed_id    INTEGER PRIMARY KEY REFERENCES feeds(id) ON DELETE CASCADE,
    not_before INTEGER NOT NULL
);
-- A config feed that moved is found by its config URL: one lookup per config feed
-- on every start, a scan of all feeds without this index.
CREATE INDEX IF NOT EXISTS feeds_by_config_url ON feeds (config_url) WHERE config_url IS NOT NULL;
"#;

/// (issue 11) Read and starred state move out of `items` into a narrow table of
/// their own, one row per item with what the state's lists sort and count by
/// (feed, sort time). A sync that flips 100,000 items' read state rewrote every
/// page of `items` (titles, links, identities: ~120 bytes a row) and wrote
/// ~30 MB of WAL; the same flip in `item_state` (~10 bytes a row) writes ~6 MB,
/// and its commit and closing checkpoint shrink with it (BENCHMARKS.md, "Sync
/// reconcile: a narrow state table"). The unread and starred indexes move with
/// the state; the count triggers move to `item_state`; an item's delete takes its
/// state row (by trigger: the counts read it first). The new rows are written by
/// `Store::apply_update` with their items.
pub(super) const MIGRATION_STATE: &str = r#"
CREATE TABLE item_state (
    item_id    INTEGER PRIMARY KEY,
    feed_id    INTEGER NOT NULL,
    sort_time  INTEGER NOT NULL,
    read       INTEGER NOT NULL DEFAULT 0,
    read_at    INTEGER,
    starred    INTEGER NOT NULL DEFAULT 0,
    starred_at INTEGER
);
INSERT INTO item_state (item_id, feed_id, sort_time, read, read_at, starred, starred_at)
    SELECT id, feed_id, sort_time, read, read_at, starred, starred_at FROM items;

DROP INDEX items_unread_by_time;
DROP INDEX items_starred_by_time;
DROP INDEX items_unread_by_feed_time;
DROP TRIGGER items_count_read;
DROP TRIGGER items_tag_counts_read;
DROP TRIGGER items_count_delete;
DROP TRIGGER items_tag_counts_delete;
DROP TRIGGER items_sort_time;
DROP TRIGGER feed_tags_tag_counts_delete;
ALTER TABLE items DROP COLUMN read;
ALTER TABLE items DROP COLUMN read_at;
ALTER TABLE items DROP COLUMN starred;
ALTER TABLE items DROP COLUMN starred_at;

CREATE INDEX state_unread_by_time ON item_state (sort_time, item_id) WHERE read = 0;
-- The feed and the flag too: counting starred items (which must skip disabled
-- feeds) reads the index alone (SQLite counts an index as covering only when it
-- holds every column the query names, the partial index's own condition included).
CREATE INDEX state_starred_by_time ON item_state (sort_time, item_id, feed_id, starred) WHERE starred = 1;
CREATE INDEX state_unread_by_feed_time ON item_state (feed_id, sort_time, item_id) WHERE read = 0;

CREATE TRIGGER item_state_count_read AFTER UPDATE OF read ON item_state
WHEN OLD.read <> NEW.read BEGIN
    UPDATE feeds SET unread_count = unread_count + (NEW.read = 0) - (OLD.read = 0)
     WHERE id = NEW.feed_id;
END;
CREATE TRIGGER item_state_tag_counts_read AFTER UPDATE OF read ON item_state
WHEN OLD.read <> NEW.read BEGIN
    UPDATE feed_tag_counts SET unread = unread + (NEW.read = 0) - (OLD.read = 0)
     WHERE feed_id = NEW.feed_id
       AND tag IN (SELECT tag FROM tag_items WHERE item_id = NEW.item_id);
END;
-- BEFORE: the item's tag rows (removed by foreign key) are still there.
CREATE TRIGGER items_tag_counts_delete BEFORE DELETE ON items BEGIN
    UPDATE feed_tag_counts
       SET total = total - 1,
           unread = unread - COALESCE((SELECT read = 0 FROM item_state WHERE item_id = OLD.id), 0)
     WHERE feed_id = OLD.feed_id
       AND tag IN (SELECT tag FROM tag_items WHERE item_id = OLD.id);
END;
CREATE TRIGGER items_count_delete AFTER DELETE ON items BEGIN
    UPDATE feeds SET total_count = total_count - 1,
                     unread_count = unread_count
                         - COALESCE((SELECT read = 0 FROM item_state WHERE item_id = OLD.id), 0)
     WHERE id = OLD.feed_id;
    DELETE FROM item_state WHERE item_id = OLD.id;
END;
CREATE TRIGGER items_sort_time AFTER UPDATE OF sort_time ON items
WHEN OLD.sort_time <> NEW.sort_time BEGIN
    UPDATE tag_items SET sort_time = NEW.sort_time WHERE item_id = NEW.id;
    UPDATE item_state SET sort_time = NEW.sort_time WHERE item_id = NEW.id;
END;
CREATE TRIGGER feed_tags_tag_counts_delete AFTER DELETE ON feed_tags BEGIN
    INSERT OR REPLACE INTO feed_tag_counts (feed_id, tag, total, unread)
        SELECT OLD.feed_id, OLD.tag, COUNT(*), COALESCE(SUM(s.read = 0), 0)
          FROM item_categories c CROSS JOIN item_state s ON s.item_id = c.item_id
         WHERE c.tag = OLD.tag AND s.feed_id = OLD.feed_id;
END;
"#;

/// (branch `origin`) What a feed was to the user before the config adopted it:
/// a row for each config feed that was the user's (added, imported, or handed
/// over when it left the config before) when the config first listed it, or that
/// the user added or imported while the config listed it. It holds the user's
/// `enabled`, title and tags, given back when the config stops listing the feed;
/// a config feed without a row is disabled then, as before. Its own table, like
/// `feed_repairs`: the `feeds` row and every query on it stay as they are, "no
/// row" needs no third state in a column, the rows a database already has need
/// nothing (none was adopted knowingly: they behave as before), and removing the
/// feed removes the row by foreign key. The tags are one JSON array of strings:
/// they are read and written whole, at adoption and at the drop, never searched
/// or counted, so they need neither rows of their own nor `feed_tags`' triggers.
pub(super) const MIGRATION_ADOPTED: &str = r#"
CREATE TABLE IF NOT EXISTS adopted_feeds (
    feed_id INTEGER PRIMARY KEY REFERENCES feeds(id) ON DELETE CASCADE,
    enabled INTEGER NOT NULL,
    title   TEXT,
    tags    TEXT NOT NULL DEFAULT '[]'
);
"#;

/// (branch `leftovers`) The user's direction and `fulltext` of an adopted feed,
/// kept aside with its `enabled`, title and tags and given back with them when
/// the config drops the feed. NULL where nothing is known (rows written before
/// this migration, or a feed the user added while the config listed it without
/// asking for either): the feed keeps what the config last set, as before.
pub(super) const MIGRATION_ADOPTED_SETTINGS: &str = r#"
ALTER TABLE adopted_feeds ADD COLUMN direction TEXT;
ALTER TABLE adopted_feeds ADD COLUMN fulltext INTEGER;
"#;

/// (branch `feedlinks`) A podcast file's title (a JSON Feed attachment's) and
/// how long it plays, in seconds (JSON Feed `duration_in_seconds`, RSS
/// `<itunes:duration>`, Media RSS `duration`). NULL where the feed gave none,
/// and in rows written before: the item's content hash covers them only when
/// present, so those items are not rewritten for this.
pub(super) const MIGRATION_ENCLOSURE_DETAILS: &str = r#"
ALTER TABLE enclosures ADD COLUMN title TEXT;
ALTER TABLE enclosures ADD COLUMN duration INTEGER;
"#;

/// (branch `bound`) Item ids are never given out twice. SQLite gives a new row
/// the highest id plus one, so when the newest item was deleted (the cleanup, a
/// feed's trim, `khabar remove`) the next new item took its id again; the
/// reader's "mark all read" marks only items up to the newest id its screen had
/// loaded, and a reused id would slip a never-shown item under that bound.
/// `item_id_high` keeps the highest id ever deleted; `ItemWriter` gives a new
/// item one more than the higher of it and the items' highest id.
pub(super) const MIGRATION_ITEM_ID_HIGH: &str = r#"
CREATE TABLE item_id_high (id INTEGER NOT NULL);
INSERT INTO item_id_high (id) SELECT COALESCE(MAX(id), 0) FROM items;
CREATE TRIGGER items_id_high AFTER DELETE ON items
WHEN OLD.id > (SELECT id FROM item_id_high)
BEGIN
    UPDATE item_id_high SET id = OLD.id;
END;
"#;

/// (twenty-second pass) FTS5 no longer merges the search index's segments on
/// its own while rows are written (`automerge` 4: each flush could merge four
/// segments inside the writer's transaction): every write that adds rows is
/// followed by `Store::merge_search_index` (the refresh, full text, a sync, the
/// index's first build), which merges them all in one pass when no segment
/// outweighs the rest, so FTS5's own merges only rewrote rows a second time
/// (first refresh of 20,000 items: 7.99 G → 7.49 G instructions, BENCHMARKS.md).
/// Writes that are not followed by a merge (a page the reader fetches) merge
/// themselves at 16 segments (`search_merge::CROWDED_SEGMENTS`; FTS5's own
/// `crisismerge`, 16 when this was written, is 64 since the thirty-first pass).
pub(super) const MIGRATION_SEARCH_MERGE_AFTER_WRITES: &str = r#"
INSERT INTO item_search(item_search, rank) VALUES('automerge', 0);
"#;
