//! The Rust `ascii` tokenizer against SQLite's own, called side by side on one
//! connection (ours registered as `khabar_ascii_check`, the built-in found as
//! `ascii`): every token's bytes, flags and offsets, the order, and the code
//! returned when the callback stops early must be the same. Then an index
//! written with the override must read the same on a connection without it.

use std::ffi::{CStr, CString, c_char, c_int, c_void};
use std::ptr::null_mut;

use proptest::prelude::*;
use rusqlite::{Connection, ffi};

use super::{fts5_api, register, register_as, tokenize};

const CHECK: &CStr = c"khabar_ascii_check";

/// (token bytes, flags, start, end) as xToken received them.
type Token = (Vec<u8>, c_int, c_int, c_int);

struct Collect {
    tokens: Vec<Token>,
    /// Return `.1` from the `.0`-th call.
    stop: Option<(usize, c_int)>,
}

unsafe extern "C" fn collect(
    ctx: *mut c_void,
    flags: c_int,
    token: *const c_char,
    n: c_int,
    start: c_int,
    end: c_int,
) -> c_int {
    // SAFETY: `ctx` is the `Collect` passed to xTokenize below; the token's
    // bytes are valid for this call.
    let collect = unsafe { &mut *ctx.cast::<Collect>() };
    let bytes = unsafe { std::slice::from_raw_parts(token.cast::<u8>(), n as usize) };
    collect.tokens.push((bytes.to_vec(), flags, start, end));
    match collect.stop {
        Some((at, rc)) if at == collect.tokens.len() => rc,
        _ => ffi::SQLITE_OK,
    }
}

/// The tokenizer registered as `name` on `conn`: its user data and callbacks.
fn find(conn: &Connection, name: &CStr) -> (*mut c_void, ffi::fts5_tokenizer) {
    let api = fts5_api(conn).unwrap();
    let mut found = ffi::fts5_tokenizer {
        xCreate: None,
        xDelete: None,
        xTokenize: None,
    };
    let mut user: *mut c_void = null_mut();
    // SAFETY: `api` is the connection's own fts5_api.
    let rc = unsafe { ((*api).xFindTokenizer.unwrap())(api, name.as_ptr(), &mut user, &mut found) };
    assert_eq!(rc, ffi::SQLITE_OK, "no tokenizer {name:?}");
    (user, found)
}

/// The tokenizer `name`'s xCreate result, or its tokenize code and tokens.
fn run(
    conn: &Connection,
    name: &CStr,
    args: &[&str],
    text: &[u8],
    flags: c_int,
    stop: Option<(usize, c_int)>,
) -> Result<(c_int, Vec<Token>), c_int> {
    let owned: Vec<CString> = args.iter().map(|a| CString::new(*a).unwrap()).collect();
    let mut argv: Vec<*const c_char> = owned.iter().map(|a| a.as_ptr()).collect();
    let (user, found) = find(conn, name);
    // SAFETY: the callbacks are the connection's tokenizer's; the instance is
    // deleted before return.
    unsafe {
        let mut instance: *mut ffi::Fts5Tokenizer = null_mut();
        let rc =
            (found.xCreate.unwrap())(user, argv.as_mut_ptr(), argv.len() as c_int, &mut instance);
        if rc != ffi::SQLITE_OK {
            return Err(rc);
        }
        let mut out = Collect {
            tokens: Vec::new(),
            stop,
        };
        let rc = (found.xTokenize.unwrap())(
            instance,
            (&raw mut out).cast(),
            flags,
            text.as_ptr().cast(),
            text.len() as c_int,
            Some(collect),
        );
        (found.xDelete.unwrap())(instance);
        Ok((rc, out.tokens))
    }
}

fn checked() -> Connection {
    let conn = Connection::open_in_memory().unwrap();
    register_as(&conn, CHECK).unwrap();
    conn
}

/// Ours and the built-in give the same for `text` with `args`, stopped or not.
fn same(conn: &Connection, args: &[&str], text: &[u8]) {
    let compare = |flags, stop: Option<(usize, c_int)>| {
        let theirs = run(conn, c"ascii", args, text, flags, stop);
        let ours = run(conn, CHECK, args, text, flags, stop);
        assert_eq!(
            ours,
            theirs,
            "stop {stop:?}, text {:?}, args {args:?}",
            String::from_utf8_lossy(text)
        );
        theirs
    };
    for flags in [ffi::FTS5_TOKENIZE_DOCUMENT, ffi::FTS5_TOKENIZE_QUERY] {
        let count = compare(flags, None).map(|(_, t)| t.len()).unwrap_or(0);
        for rc in [ffi::SQLITE_DONE, ffi::SQLITE_NOMEM, ffi::SQLITE_ERROR] {
            for at in [1, count / 2 + 1, count] {
                let _ = compare(flags, Some((at.max(1), rc)));
            }
        }
    }
}

const CORPUS: &[&str] = &[
    "",
    " ",
    "hello world",
    "Hello, World! It's 2026-12-03T10:15:00Z.",
    "خبرهای تهران امروز: قیمت‌ها بالا رفت",
    "گزارش BBC فارسی درباره‌ی انتخابات ۱۴۰۳ و  COVID-19",
    "emoji 😀 between\twords\nand\r\nlines\0nul\x01\x7f",
    "UPPER lower MiXeD éÉ ÀÖ Straße ΑΒΓ αβγ",
    "a_b a-b a.b a/b a@b.com https://Example.COM/Path?Q=1#frag",
    "   leading and trailing   ",
    "x",
    "Z",
    "\u{200c}",
];

#[test]
fn the_corpus_tokenizes_as_the_built_in_does() {
    let conn = checked();
    let long_lower = "a".repeat(200);
    let long_mixed = "aB".repeat(150);
    let long_persian = "تهران".repeat(40);
    let mut texts: Vec<String> = CORPUS.iter().map(|s| s.to_string()).collect();
    texts.extend([long_lower, long_mixed, long_persian]);
    texts.extend(CORPUS.iter().map(|s| crate::query::index_text(s)));
    for text in &texts {
        same(&conn, &[], text.as_bytes());
    }
}

#[test]
fn options_are_those_of_the_built_in() {
    let conn = checked();
    let text = "Foo_bar-BAZ q.u.x +1 a'b tëst 😀x";
    for args in [
        &["tokenchars", "_-"][..],
        &["separators", "aX"],
        &["SEPARATORS", "o", "TokenChars", ".'"],
        &["tokenchars", "\u{e9}_"],
        &["separators", "AB", "tokenchars", "A"],
    ] {
        same(&conn, args, text.as_bytes());
    }
    for args in [
        &["tokenchars"][..],
        &["nonsense", "x"],
        &["remove_diacritics", "1"],
    ] {
        assert_eq!(
            run(&conn, CHECK, args, b"x", 0, None),
            Err(ffi::SQLITE_ERROR)
        );
        assert_eq!(
            run(&conn, c"ascii", args, b"x", 0, None),
            Err(ffi::SQLITE_ERROR)
        );
    }
}

fn piece() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        "[a-z]{1,8}".prop_map(String::into_bytes),
        "[A-Za-z0-9]{1,12}".prop_map(String::into_bytes),
        "[ \t\n\0!-/:-@\\[-`{-~\u{7f}]{1,3}".prop_map(String::into_bytes),
        "[\u{0600}-\u{06FF}\u{200C}\u{00C0}-\u{024F}😀🇮🇷]{1,6}".prop_map(String::into_bytes),
        Just(b" ".to_vec()),
        prop::collection::vec(any::<u8>(), 1..6),
        "[a-zA-Z]{60,80}".prop_map(String::into_bytes),
    ]
}

proptest! {
    #[test]
    fn any_text_tokenizes_as_the_built_in_does(pieces in prop::collection::vec(piece(), 0..40)) {
        let conn = checked();
        same(&conn, &[], &pieces.concat());
    }
}

/// Every (term, column, offset) in `table`, from an `fts5vocab` instance table.
fn instances(conn: &Connection, table: &str) -> Vec<(String, i64, String, i64)> {
    conn.execute_batch(&format!(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.v_{table} USING fts5vocab(main, {table}, instance);"
    ))
    .unwrap();
    let mut stmt = conn
        .prepare(&format!(
            "SELECT term, doc, col, offset FROM temp.v_{table} ORDER BY 1, 2, 3, 4"
        ))
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn matches(conn: &Connection, query: &str) -> Vec<i64> {
    let mut stmt = conn
        .prepare("SELECT rowid FROM t WHERE t MATCH ?1 ORDER BY rowid")
        .unwrap();
    stmt.query_map([query], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// The same rows written into `t` of a new file, by a connection with the
/// override or without it.
fn write_index(path: &std::path::Path, overridden: bool) {
    let conn = Connection::open(path).unwrap();
    if overridden {
        register(&conn);
    }
    conn.execute_batch(
        "CREATE VIRTUAL TABLE t USING fts5(title, body, content = '', contentless_delete = 1, tokenize = 'ascii');",
    )
    .unwrap();
    for (i, text) in CORPUS.iter().enumerate() {
        conn.execute(
            "INSERT INTO t (rowid, title, body) VALUES (?1, ?2, ?3)",
            rusqlite::params![i as i64 + 1, text, crate::query::index_text(text)],
        )
        .unwrap();
    }
}

#[test]
fn an_index_reads_the_same_with_and_without_the_override() {
    let dir = tempfile::tempdir().unwrap();
    let queries = [
        "hello",
        "تهران",
        "BBC",
        "covid",
        "19",
        "world*",
        "straße",
        "title:x",
        "wor* OR z",
    ];
    let mut seen = Vec::new();
    for written_with in [true, false] {
        let path = dir.path().join(format!("{written_with}.db"));
        write_index(&path, written_with);
        for read_with in [true, false] {
            let conn = Connection::open(&path).unwrap();
            if read_with {
                register(&conn);
            }
            let found: Vec<Vec<i64>> = queries.iter().map(|q| matches(&conn, q)).collect();
            assert!(found.iter().any(|rows| !rows.is_empty()));
            seen.push((found, instances(&conn, "t")));
        }
    }
    assert!(seen.windows(2).all(|w| w[0] == w[1]));
}

#[test]
fn the_store_uses_the_override() {
    let dir = tempfile::tempdir().unwrap();
    let store = super::super::Store::open(&dir.path().join("k.db")).unwrap();
    let ascii = |conn: &Connection| find(conn, c"ascii").1.xTokenize.map(|f| f as usize);
    let ours = Some(tokenize as *const () as usize);
    assert_eq!(ascii(&store.conn), ours);
    // A plain connection keeps SQLite's own.
    assert_ne!(ascii(&Connection::open_in_memory().unwrap()), ours);
}
