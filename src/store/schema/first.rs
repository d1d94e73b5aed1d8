//! The first migration: the schema every later one builds on.

/// Version 1: feeds, items, content, tags, enclosures, and the triggers that keep
/// per-feed counts current.
pub(super) const MIGRATION_1: &str = r#"
CREATE TABLE feeds (
    id              INTEGER PRIMARY KEY,
    url             TEXT NOT NULL UNIQUE,
    -- The URL as the config file names it; `url` may move on a permanent redirect.
    config_url      TEXT,
    user_title      TEXT,
    feed_title      TEXT,
    site_link       TEXT,
    language        TEXT,
    direction       TEXT NOT NULL DEFAULT 'auto' CHECK (direction IN ('auto', 'rtl', 'ltr')),
    fulltext        INTEGER NOT NULL DEFAULT 0,
    enabled         INTEGER NOT NULL DEFAULT 1,
    source          TEXT NOT NULL DEFAULT 'user' CHECK (source IN ('config', 'user')),
    etag            TEXT,
    last_modified   TEXT,
    body_hash       TEXT,
    last_error      TEXT,
    last_error_at   INTEGER,
    last_success_at INTEGER,
    added_at        INTEGER NOT NULL,
    -- Kept current by the triggers below so feed lists never count items.
    unread_count    INTEGER NOT NULL DEFAULT 0,
    total_count     INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE feed_tags (
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    tag     TEXT NOT NULL,
    PRIMARY KEY (feed_id, tag)
) WITHOUT ROWID;

CREATE TABLE items (
    id           INTEGER PRIMARY KEY,
    feed_id      INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    identity     TEXT NOT NULL,
    title        TEXT NOT NULL,
    link         TEXT,
    author       TEXT,
    published    INTEGER,
    updated      INTEGER,
    first_seen   INTEGER NOT NULL,
    -- published, else first_seen: what every list sorts on.
    sort_time    INTEGER NOT NULL,
    language     TEXT,
    content_hash TEXT NOT NULL,
    read         INTEGER NOT NULL DEFAULT 0,
    read_at      INTEGER,
    starred      INTEGER NOT NULL DEFAULT 0,
    starred_at   INTEGER,
    UNIQUE (feed_id, identity)
);

-- Newest-first keyset paging, (sort_time DESC, id DESC), for each list scope.
CREATE INDEX items_by_time ON items (sort_time, id);
CREATE INDEX items_unread_by_time ON items (sort_time, id) WHERE read = 0;
CREATE INDEX items_starred_by_time ON items (sort_time, id) WHERE starred = 1;
CREATE INDEX items_by_feed_time ON items (feed_id, sort_time, id);
CREATE INDEX items_unread_by_feed_time ON items (feed_id, sort_time, id) WHERE read = 0;

-- Large text lives apart so that list queries never read it.
CREATE TABLE item_content (
    item_id      INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
    summary      TEXT,
    content_html TEXT
);

-- The feed's own categories of an item.
CREATE TABLE item_categories (
    item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    tag     TEXT NOT NULL,
    PRIMARY KEY (item_id, tag)
) WITHOUT ROWID;

CREATE TABLE enclosures (
    item_id   INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    url       TEXT NOT NULL,
    mime_type TEXT,
    length    INTEGER,
    PRIMARY KEY (item_id, position)
) WITHOUT ROWID;

-- Every (tag, item) pair, whether the tag is the feed's or the item's category,
-- with a reference count of how many of the two give it. Kept by triggers; lets a
-- tag list page newest-first through one index.
CREATE TABLE tag_items (
    tag       TEXT NOT NULL,
    item_id   INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    sort_time INTEGER NOT NULL,
    refs      INTEGER NOT NULL,
    PRIMARY KEY (tag, item_id)
) WITHOUT ROWID;
CREATE INDEX tag_items_by_time ON tag_items (tag, sort_time, item_id);
CREATE INDEX tag_items_by_item ON tag_items (item_id);

-- Identities of items the cleanup removed, so a feed that still carries them does
-- not bring them back as unread.
CREATE TABLE removed_items (
    feed_id    INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    identity   TEXT NOT NULL,
    removed_at INTEGER NOT NULL,
    PRIMARY KEY (feed_id, identity)
) WITHOUT ROWID;

CREATE TRIGGER items_count_insert AFTER INSERT ON items BEGIN
    UPDATE feeds SET total_count = total_count + 1,
                     unread_count = unread_count + (NEW.read = 0)
     WHERE id = NEW.feed_id;
    INSERT INTO tag_items (tag, item_id, sort_time, refs)
        SELECT tag, NEW.id, NEW.sort_time, 1 FROM feed_tags WHERE feed_id = NEW.feed_id;
END;

CREATE TRIGGER items_count_delete AFTER DELETE ON items BEGIN
    UPDATE feeds SET total_count = total_count - 1,
                     unread_count = unread_count - (OLD.read = 0)
     WHERE id = OLD.feed_id;
END;

CREATE TRIGGER items_count_read AFTER UPDATE OF read ON items
WHEN OLD.read <> NEW.read BEGIN
    UPDATE feeds SET unread_count = unread_count + (NEW.read = 0) - (OLD.read = 0)
     WHERE id = NEW.feed_id;
END;

CREATE TRIGGER items_sort_time AFTER UPDATE OF sort_time ON items
WHEN OLD.sort_time <> NEW.sort_time BEGIN
    UPDATE tag_items SET sort_time = NEW.sort_time WHERE item_id = NEW.id;
END;

CREATE TRIGGER item_categories_insert AFTER INSERT ON item_categories BEGIN
    INSERT INTO tag_items (tag, item_id, sort_time, refs)
        SELECT NEW.tag, NEW.item_id, sort_time, 1 FROM items WHERE id = NEW.item_id
        ON CONFLICT (tag, item_id) DO UPDATE SET refs = refs + 1;
END;

CREATE TRIGGER item_categories_delete AFTER DELETE ON item_categories BEGIN
    UPDATE tag_items SET refs = refs - 1 WHERE tag = OLD.tag AND item_id = OLD.item_id;
    DELETE FROM tag_items WHERE tag = OLD.tag AND item_id = OLD.item_id AND refs <= 0;
END;

CREATE TRIGGER feed_tags_insert AFTER INSERT ON feed_tags BEGIN
    INSERT INTO tag_items (tag, item_id, sort_time, refs)
        SELECT NEW.tag, id, sort_time, 1 FROM items WHERE feed_id = NEW.feed_id
        ON CONFLICT (tag, item_id) DO UPDATE SET refs = refs + 1;
END;

CREATE TRIGGER feed_tags_delete AFTER DELETE ON feed_tags BEGIN
    UPDATE tag_items SET refs = refs - 1
     WHERE tag = OLD.tag AND item_id IN (SELECT id FROM items WHERE feed_id = OLD.feed_id);
    DELETE FROM tag_items
     WHERE tag = OLD.tag AND refs <= 0
       AND item_id IN (SELECT id FROM items WHERE feed_id = OLD.feed_id);
END;
"#;
