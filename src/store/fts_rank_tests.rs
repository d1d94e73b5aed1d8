//! `khabar_bm25` against FTS5's `bm25()`: the same double for every row of
//! every kind of expression, over an index with deleted and replaced rows.

use rusqlite::{Connection, params};

use super::{FUNCTION, exact_words_of, register};

const WEIGHTS: &str = "10.0, 1.0, 2.0, 2.0, 2.0";

/// Words and the share of rows (in percent) that get them in a column:
/// `common` is in most rows (its IDF is clamped), the rest in fewer, each
/// with its own IDF; `bank`/`banking` share a prefix.
const WORDS: &[(&str, u64)] = &[
    ("common", 70),
    ("half", 35),
    ("bank", 20),
    ("banking", 8),
    ("central", 25),
    ("rare", 3),
    ("صنعت", 30),
    ("تولید", 15),
    ("کالا", 5),
];

/// An `item_search` as khabar makes it, with `rows` rows written in several
/// transactions (several segments), then some deleted and some replaced.
fn index(rows: u64) -> Connection {
    let conn = Connection::open_in_memory().unwrap();
    super::super::fts_tokenizer::register(&conn);
    conn.execute_batch(
        "CREATE VIRTUAL TABLE item_search USING fts5(title, body, author, feed, tags, \
         content = '', contentless_delete = 1, tokenize = 'ascii');",
    )
    .unwrap();
    assert!(register(&conn));
    let mut seed = 7u64;
    let mut next = move |below: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % below
    };
    // Filler words w0…w299, skewed towards the low ones, then the listed
    // words each at its rate.
    let mut text = |filler: u64| -> String {
        let mut words: Vec<String> = (0..filler)
            .map(|_| format!("w{}", next(300) * next(300) / 300))
            .collect();
        for (word, percent) in WORDS {
            if next(100) < *percent {
                for _ in 0..=next(3) {
                    words.insert(next(words.len() as u64 + 1) as usize, (*word).to_string());
                }
            }
        }
        words.join(" ")
    };
    for batch in 0..4 {
        let tx = conn.unchecked_transaction().unwrap();
        for id in (batch * rows / 4)..((batch + 1) * rows / 4) {
            let (title, body, tags) = (text(1 + id % 4), text(5 + id % 60), text(1));
            tx.execute(
                "INSERT INTO item_search (rowid, title, body, author, feed, tags) \
                 VALUES (?1, ?2, ?3, 'a writer', 'a feed', ?4)",
                params![(id + 1) as i64, title, body, tags],
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }
    // Deleted rows stay in older segments as tombstones; replaced ones too.
    conn.execute("DELETE FROM item_search WHERE rowid % 7 = 0", [])
        .unwrap();
    for id in (3..rows).step_by(11) {
        conn.execute("DELETE FROM item_search WHERE rowid = ?1", [id as i64])
            .unwrap();
        conn.execute(
            "INSERT INTO item_search (rowid, title, body, author, feed, tags) \
             VALUES (?1, 'bank central', 'rare rare half', '', '', '')",
            [id as i64],
        )
        .unwrap();
    }
    conn
}

/// Every matching row's (rowid, bm25, khabar_bm25 with `words`).
fn scores(conn: &Connection, expression: &str, words: &str) -> Vec<(i64, f64, f64)> {
    let sql = format!(
        "SELECT rowid, bm25(item_search, {WEIGHTS}), {FUNCTION}(item_search, ?2, {WEIGHTS}) \
         FROM item_search WHERE item_search MATCH ?1 ORDER BY rowid"
    );
    let mut stmt = conn.prepare(&sql).unwrap();
    stmt.query_map(params![expression, words], |row| {
        Ok((row.get(0)?, row.get(1)?, row.get(2)?))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

const EXPRESSIONS: &[&str] = &[
    r#""common""#,
    r#""half""#,
    r#""rare""#,
    r#""صنعت" AND "تولید""#,
    r#"("bank" OR "banking") AND "central""#,
    r#""common" AND "half" AND "rare""#,
    r#""half" NOT "rare""#,
    r#""central bank""#,
    r#""ban"*"#,
    r#""ban"* AND "bank""#,
    r#""half" + "rar"*"#,
    r#""half" OR "missing""#,
    r#"("common") NOT ("bank" OR "کالا")"#,
];

#[test]
fn every_row_scores_as_bm25_scores_it() {
    let conn = index(2_000);
    for expression in EXPRESSIONS {
        let words = exact_words_of(expression);
        let rows = scores(&conn, expression, &words);
        assert!(!rows.is_empty(), "{expression} matches nothing");
        for (id, bm25, ours) in rows {
            assert_eq!(
                bm25.to_bits(),
                ours.to_bits(),
                "{expression} (words {words:?}), row {id}: bm25 {bm25}, khabar_bm25 {ours}"
            );
        }
    }
}

#[test]
fn the_counts_come_from_the_term_list() {
    let conn = index(400);
    // The term list replaced by a table of wrong counts: the scores follow it,
    // so the function reads it (and not FTS5's own count) for exact words.
    conn.execute_batch(
        "DROP TABLE temp.item_search_docs; \
         CREATE TEMP TABLE item_search_docs (term TEXT, doc INTEGER); \
         INSERT INTO temp.item_search_docs VALUES ('rare', 1);",
    )
    .unwrap();
    let rows = scores(&conn, r#""rare""#, "rare");
    assert!(rows.iter().all(|(_, bm25, ours)| bm25 != ours));
    // A word not listed as exact is counted by FTS5, whatever the list says.
    let rows = scores(&conn, r#""rare""#, "");
    assert!(
        rows.iter()
            .all(|(_, bm25, ours)| bm25.to_bits() == ours.to_bits())
    );
}

#[test]
fn without_the_term_list_every_phrase_is_counted_by_fts5() {
    let conn = index(400);
    conn.execute_batch("DROP TABLE temp.item_search_docs;")
        .unwrap();
    for expression in EXPRESSIONS {
        let words = exact_words_of(expression);
        for (id, bm25, ours) in scores(&conn, expression, &words) {
            assert_eq!(bm25.to_bits(), ours.to_bits(), "{expression}, row {id}");
        }
    }
}

#[test]
fn a_prefix_listed_as_exact_would_be_scored_wrongly() {
    // Why the caller must leave prefixes out: `"ban"*` counted as the word
    // `ban` (no row holds it) gets another IDF.
    let conn = index(400);
    let rows = scores(&conn, r#""ban"*"#, "ban");
    assert!(rows.iter().any(|(_, bm25, ours)| bm25 != ours));
}

#[test]
fn exact_words_are_the_quoted_single_words_that_are_not_prefixes() {
    assert_eq!(exact_words_of(r#""bank""#), "bank");
    assert_eq!(
        exact_words_of(r#"("bank" OR "banking") AND "central""#),
        "bank banking central"
    );
    assert_eq!(exact_words_of(r#""central bank""#), "");
    assert_eq!(exact_words_of(r#""ban"* AND "bank""#), "bank");
    assert_eq!(exact_words_of(r#""ban"* AND "ban""#), "");
    assert_eq!(exact_words_of(r#""e" + "mail"*"#), "e");
    assert_eq!(exact_words_of(r#""a" NOT ("b" OR "a")"#), "a b");
    assert_eq!(exact_words_of(r#"{title} : ("bank")"#), "");
    assert_eq!(exact_words_of(""), "");
}

#[test]
fn a_read_only_connection_ranks_with_the_term_list_too() {
    // The reader's second connection and a database opened read-only make
    // the term list in their own temp schema, which they may write.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ro.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE VIRTUAL TABLE item_search USING fts5(title, body, author, feed, tags, \
             content = '', contentless_delete = 1, tokenize = 'ascii'); \
             INSERT INTO item_search (rowid, title, body) VALUES (1, 'rare bank', 'x'), (2, 'y', 'z'), (3, 'w', 'v');",
        )
        .unwrap();
    }
    let conn =
        Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    assert!(register(&conn));
    let rows = scores(&conn, r#""rare""#, "rare");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].1.to_bits(), rows[0].2.to_bits());
}
