//! `khabar_bm25`: FTS5's `bm25()` with the same scores from less work, the
//! rank function of a ranked search (`search_rank`).
//!
//! Why: bm25 weighs each phrase of a query by how many rows hold it. FTS5's
//! own function counts them once per query by running each phrase as a query
//! of its own over the whole index (`xQueryPhrase`), and at 100,000 items that
//! was a quarter of a ranked search's instructions (BENCHMARKS.md, "The
//! twenty-seventh pass"). For a phrase of one exact word the index's own term
//! list gives the same count with less work per row: `temp.item_search_docs`,
//! an `fts5vocab` table over `item_search`, read by a statement run inside the
//! function, so in the same read transaction as the query it ranks. Every other
//! phrase (several words, a prefix) is counted as FTS5 counts it. The rest is
//! `fts5Bm25Function` (SQLite's `fts5_aux.c`) line for line, so the scores are
//! the same doubles; the tests compare them row by row.
//!
//! Which one-word phrases are exact words is told by the caller, as the
//! function's first argument (the words, separated by spaces): through the
//! API a phrase `"bank"` cannot be told from a prefix `"bank"*`.
//!
//! Why `unsafe`: FTS5 auxiliary functions are C callbacks that `rusqlite` does
//! not wrap. All of khabar's FFI for them is in this file.

use std::collections::HashSet;
use std::ffi::{c_int, c_void};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::ptr::null_mut;

use rusqlite::Connection;
use rusqlite::ffi;

/// The function's name in SQL: `khabar_bm25(item_search, WORDS, weights…)`.
pub(super) const FUNCTION: &str = "khabar_bm25";

/// The term list the function reads its counts from, one per connection.
const DOCS_TABLE: &str = "CREATE VIRTUAL TABLE IF NOT EXISTS temp.item_search_docs \
     USING fts5vocab(main, item_search, row)";

/// Registers [`FUNCTION`] and its term list on `conn`. `false` (logged) when
/// either could not be made: a ranked search then uses FTS5's `bm25()`.
pub(super) fn register(conn: &Connection) -> bool {
    let made = conn
        .execute_batch(DOCS_TABLE)
        .map_err(|err| err.to_string())
        .and_then(|()| create_function(conn).map_err(|rc| format!("SQLite code {rc}")));
    match made {
        Ok(()) => true,
        Err(err) => {
            tracing::warn!(%err, "khabar_bm25 not registered; ranking uses FTS5's bm25");
            false
        }
    }
}

fn create_function(conn: &Connection) -> Result<(), c_int> {
    let api = super::fts_tokenizer::fts5_api(conn)?;
    // SAFETY: `api` is the live fts5_api of `conn` (checked non-null, version
    // >= 2); FTS5 copies the name before returning; no user data is passed.
    let rc = unsafe {
        match (*api).xCreateFunction {
            Some(create) => create(api, c"khabar_bm25".as_ptr(), null_mut(), Some(bm25), None),
            None => ffi::SQLITE_ERROR,
        }
    };
    if rc == ffi::SQLITE_OK {
        Ok(())
    } else {
        Err(rc)
    }
}

/// What is computed once per query (FTS5's `Fts5Bm25Data`).
struct Bm25Data {
    avgdl: f64,
    idf: Vec<f64>,
    /// Scratch: each phrase's weighted hits in the current row.
    freq: Vec<f64>,
}

const K1: f64 = 1.2;
const B: f64 = 0.75;

unsafe extern "C" fn bm25(
    api: *const ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    ctx: *mut ffi::sqlite3_context,
    n_val: c_int,
    values: *mut *mut ffi::sqlite3_value,
) {
    let scored = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: FTS5 calls this with its live API and context, and `n_val`
        // values, during one row of a query on this thread.
        unsafe { score(&*api, fts, ctx, n_val, values) }
    }))
    .unwrap_or(Err(ffi::SQLITE_ERROR));
    // SAFETY: `ctx` is the function's live result context.
    unsafe {
        match scored {
            Ok(score) => ffi::sqlite3_result_double(ctx, score),
            Err(rc) => ffi::sqlite3_result_error_code(ctx, rc),
        }
    }
}

/// `fts5Bm25Function`: the current row's score, negated (lower is better).
///
/// # Safety
/// As FTS5 calls an auxiliary function: `api`, `fts`, `ctx` live, `values`
/// holding `n_val` values.
unsafe fn score(
    api: &ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    ctx: *mut ffi::sqlite3_context,
    n_val: c_int,
    values: *mut *mut ffi::sqlite3_value,
) -> Result<f64, c_int> {
    let get_auxdata = api.xGetAuxdata.ok_or(ffi::SQLITE_ERROR)?;
    let set_auxdata = api.xSetAuxdata.ok_or(ffi::SQLITE_ERROR)?;
    let inst_count = api.xInstCount.ok_or(ffi::SQLITE_ERROR)?;
    let inst = api.xInst.ok_or(ffi::SQLITE_ERROR)?;
    let column_size = api.xColumnSize.ok_or(ffi::SQLITE_ERROR)?;
    let n_val = usize::try_from(n_val).map_err(|_| ffi::SQLITE_ERROR)?;
    if n_val == 0 || values.is_null() {
        return Err(ffi::SQLITE_MISUSE);
    }
    // SAFETY: the caller's contract; FTS5 owns the auxiliary data pointer and
    // gives back what `set_auxdata` stored (a `Box<Bm25Data>`) until the query
    // ends, when it calls `free_data`.
    unsafe {
        let mut data = get_auxdata(fts, 0).cast::<Bm25Data>();
        if data.is_null() {
            let words = exact_words(*values);
            let made = Box::new(query_data(api, fts, ctx, &words)?);
            data = Box::into_raw(made);
            let rc = set_auxdata(fts, data.cast::<c_void>(), Some(free_data));
            if rc != ffi::SQLITE_OK {
                // FTS5 has called `free_data` on it already.
                return Err(rc);
            }
        }
        let data = &mut *data;
        data.freq.iter_mut().for_each(|f| *f = 0.0);
        let mut n_inst: c_int = 0;
        check(inst_count(fts, &mut n_inst))?;
        for i in 0..n_inst {
            let (mut phrase, mut column, mut offset) = (0, 0, 0);
            check(inst(fts, i, &mut phrase, &mut column, &mut offset))?;
            // The weights follow the words argument.
            let weight = usize::try_from(column)
                .ok()
                .filter(|&c| c + 1 < n_val)
                .map_or(1.0, |c| ffi::sqlite3_value_double(*values.add(c + 1)));
            let slot = usize::try_from(phrase).map_err(|_| ffi::SQLITE_ERROR)?;
            *data.freq.get_mut(slot).ok_or(ffi::SQLITE_ERROR)? += weight;
        }
        let mut n_tokens: c_int = 0;
        check(column_size(fts, -1, &mut n_tokens))?;
        let d = f64::from(n_tokens);
        let mut score = 0.0;
        for (idf, freq) in data.idf.iter().zip(&data.freq) {
            score += idf * ((freq * (K1 + 1.0)) / (freq + K1 * (1.0 - B + B * d / data.avgdl)));
        }
        Ok(-score)
    }
}

/// The average row length and each phrase's IDF (`fts5Bm25GetData`).
///
/// # Safety
/// As [`score`].
unsafe fn query_data(
    api: &ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    ctx: *mut ffi::sqlite3_context,
    words: &HashSet<Vec<u8>>,
) -> Result<Bm25Data, c_int> {
    let phrase_count = api.xPhraseCount.ok_or(ffi::SQLITE_ERROR)?;
    let row_count = api.xRowCount.ok_or(ffi::SQLITE_ERROR)?;
    let total_size = api.xColumnTotalSize.ok_or(ffi::SQLITE_ERROR)?;
    // SAFETY: the caller's contract.
    unsafe {
        let n_phrase = usize::try_from(phrase_count(fts)).map_err(|_| ffi::SQLITE_ERROR)?;
        let (mut n_row, mut n_token) = (0i64, 0i64);
        check(row_count(fts, &mut n_row))?;
        check(total_size(fts, -1, &mut n_token))?;
        let avgdl = n_token as f64 / n_row as f64;
        let mut docs = DocCounts::new(ffi::sqlite3_context_db_handle(ctx));
        let mut idf = Vec::with_capacity(n_phrase);
        for i in 0..n_phrase {
            let phrase = c_int::try_from(i).map_err(|_| ffi::SQLITE_ERROR)?;
            let n_hit = match exact_word(api, fts, phrase, words) {
                Some(word) => match docs.count(&word) {
                    Some(n) => n,
                    None => phrase_rows(api, fts, phrase)?,
                },
                None => phrase_rows(api, fts, phrase)?,
            };
            let value = ((n_row - n_hit) as f64 + 0.5) / (n_hit as f64 + 0.5);
            let value = value.ln();
            idf.push(if value <= 0.0 { 1e-6 } else { value });
        }
        Ok(Bm25Data {
            avgdl,
            idf,
            freq: vec![0.0; n_phrase],
        })
    }
}

/// The word of phrase `phrase` when it is one word the caller listed as exact.
///
/// # Safety
/// As [`score`].
unsafe fn exact_word(
    api: &ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    phrase: c_int,
    words: &HashSet<Vec<u8>>,
) -> Option<Vec<u8>> {
    let phrase_size = api.xPhraseSize?;
    let query_token = api.xQueryToken?;
    // SAFETY: the caller's contract; the token stays valid until the query ends.
    unsafe {
        if phrase_size(fts, phrase) != 1 {
            return None;
        }
        let (mut token, mut n) = (std::ptr::null(), 0);
        if query_token(fts, phrase, 0, &mut token, &mut n) != ffi::SQLITE_OK || token.is_null() {
            return None;
        }
        let token =
            std::slice::from_raw_parts(token.cast::<u8>(), usize::try_from(n).ok()?).to_vec();
        words.contains(&token).then_some(token)
    }
}

/// The rows that hold phrase `phrase`, counted as FTS5's `bm25()` counts them.
///
/// # Safety
/// As [`score`].
unsafe fn phrase_rows(
    api: &ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    phrase: c_int,
) -> Result<i64, c_int> {
    let query_phrase = api.xQueryPhrase.ok_or(ffi::SQLITE_ERROR)?;
    let mut n_hit: i64 = 0;
    // SAFETY: the caller's contract; `n_hit` outlives the call.
    check(unsafe {
        query_phrase(
            fts,
            phrase,
            (&raw mut n_hit).cast::<c_void>(),
            Some(count_row),
        )
    })?;
    Ok(n_hit)
}

unsafe extern "C" fn count_row(
    _api: *const ffi::Fts5ExtensionApi,
    _fts: *mut ffi::Fts5Context,
    user: *mut c_void,
) -> c_int {
    // SAFETY: `user` is `phrase_rows`'s `n_hit`.
    unsafe { *user.cast::<i64>() += 1 };
    ffi::SQLITE_OK
}

unsafe extern "C" fn free_data(data: *mut c_void) {
    if !data.is_null() {
        // SAFETY: made by `Box::into_raw` in `score`, freed once by FTS5.
        drop(unsafe { Box::from_raw(data.cast::<Bm25Data>()) });
    }
}

/// The first argument: the query's exact words, separated by spaces.
///
/// # Safety
/// `value` is a live `sqlite3_value`.
unsafe fn exact_words(value: *mut ffi::sqlite3_value) -> HashSet<Vec<u8>> {
    // SAFETY: the caller's contract; the text stays valid until the value changes.
    let bytes = unsafe {
        let text = ffi::sqlite3_value_text(value);
        let n = usize::try_from(ffi::sqlite3_value_bytes(value)).unwrap_or(0);
        if text.is_null() {
            return HashSet::new();
        }
        std::slice::from_raw_parts(text, n)
    };
    bytes
        .split(|&b| b == b' ')
        .filter(|word| !word.is_empty())
        .map(<[u8]>::to_vec)
        .collect()
}

/// `SELECT doc FROM temp.item_search_docs WHERE term = ?`, prepared on first use
/// on the function's own connection, finalized on drop.
struct DocCounts {
    db: *mut ffi::sqlite3,
    stmt: *mut ffi::sqlite3_stmt,
    failed: bool,
}

impl DocCounts {
    fn new(db: *mut ffi::sqlite3) -> DocCounts {
        DocCounts {
            db,
            stmt: null_mut(),
            failed: db.is_null(),
        }
    }

    /// The rows holding `word`; `None` when the term list cannot be read
    /// (the caller then counts the phrase itself).
    fn count(&mut self, word: &[u8]) -> Option<i64> {
        if self.failed {
            return None;
        }
        let n = c_int::try_from(word.len()).ok()?;
        // SAFETY: `db` is the connection the function runs on, used on this
        // thread during the call; `stmt` is only used between its prepare and
        // its finalize in `drop`; `word` outlives the step (SQLITE_STATIC is
        // safe because the binding is cleared before returning).
        unsafe {
            if self.stmt.is_null() {
                let sql = c"SELECT doc FROM temp.item_search_docs WHERE term = ?1";
                let rc =
                    ffi::sqlite3_prepare_v2(self.db, sql.as_ptr(), -1, &mut self.stmt, null_mut());
                if rc != ffi::SQLITE_OK {
                    self.failed = true;
                    return None;
                }
            }
            let mut found = None;
            if ffi::sqlite3_bind_text(self.stmt, 1, word.as_ptr().cast(), n, ffi::SQLITE_STATIC())
                == ffi::SQLITE_OK
            {
                found = match ffi::sqlite3_step(self.stmt) {
                    ffi::SQLITE_ROW => Some(ffi::sqlite3_column_int64(self.stmt, 0)),
                    // Not a word of any row.
                    ffi::SQLITE_DONE => Some(0),
                    _ => None,
                };
            }
            ffi::sqlite3_reset(self.stmt);
            ffi::sqlite3_clear_bindings(self.stmt);
            if found.is_none() {
                self.failed = true;
            }
            found
        }
    }
}

impl Drop for DocCounts {
    fn drop(&mut self) {
        // SAFETY: finalizing null is a no-op; otherwise our own statement.
        unsafe { ffi::sqlite3_finalize(self.stmt) };
    }
}

fn check(rc: c_int) -> Result<(), c_int> {
    if rc == ffi::SQLITE_OK {
        Ok(())
    } else {
        Err(rc)
    }
}

/// The exact words of an FTS5 expression made by `search_sql` (each token is
/// quoted; a prefix is `"word"*`): the one-word quoted strings, less any word
/// also used as a prefix; none for an expression with a column filter. What
/// [`FUNCTION`]'s first argument lists.
pub(super) fn exact_words_of(expression: &str) -> String {
    // A column filter (`{title} : …`) would count a word's rows in those
    // columns only; the term list counts them in all. None is made for the
    // ranked expression, but such an expression is counted by FTS5 alone.
    if expression
        .split('"')
        .step_by(2)
        .any(|outside| outside.contains(':'))
    {
        return String::new();
    }
    let mut exact: Vec<&str> = Vec::new();
    let mut prefixes: Vec<&str> = Vec::new();
    let mut parts = expression.split('"');
    // Outside, inside, outside, … : the quoted strings are every second part.
    let _ = parts.next();
    while let Some(quoted) = parts.next() {
        let after = parts.next().unwrap_or("");
        if quoted.is_empty() || quoted.contains(' ') {
            continue;
        }
        if after.starts_with('*') {
            prefixes.push(quoted);
        } else {
            exact.push(quoted);
        }
    }
    exact.retain(|word| {
        !prefixes
            .iter()
            .any(|prefix| prefix.eq_ignore_ascii_case(word))
    });
    exact.sort_unstable();
    exact.dedup();
    exact.join(" ")
}

#[cfg(test)]
#[path = "fts_rank_tests.rs"]
mod tests;
