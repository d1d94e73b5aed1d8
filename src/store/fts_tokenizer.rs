//! FTS5's `ascii` tokenizer again, in Rust, registered on khabar's connections
//! under the same name so that `item_search` (`tokenize = 'ascii'`) uses it.
//!
//! Why: SQLite's own copies and folds every byte of every token into a buffer
//! before handing the token on; that was 7.5 % of a first refresh's
//! instructions (BENCHMARKS.md). The index text is already lowercase
//! (`query::index_text`), so this one hands FTS5 a pointer into the text itself
//! and copies only a token that has an uppercase ASCII letter.
//!
//! Why it can replace the built-in: it makes exactly the same tokens (bytes,
//! offsets, order, flags) for any input and any options, so a connection
//! without it (the sqlite3 shell, an older khabar) reads and writes the same
//! index. The tests here compare the two token by token. FTS5 keeps one list
//! of tokenizers per connection, puts a new one at its head and looks names up
//! from the head (`fts5NewTokenizerModule`, `fts5LocateTokenizer`), so the
//! newest `ascii` wins on that connection only.
//!
//! Why `unsafe`: FTS5 tokenizers are C callbacks (`rusqlite` wraps none of
//! the FTS5 API). All of khabar's FFI for them is in this file.

use std::ffi::{CStr, c_char, c_int, c_void};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::ptr::null_mut;

use rusqlite::Connection;
use rusqlite::ffi;

#[cfg(test)]
#[path = "fts_tokenizer_tests.rs"]
mod tests;

/// Registers the tokenizer as `ascii` on `conn`. A failure is logged and
/// otherwise ignored: FTS5's own `ascii` then does the same work, slower.
pub(super) fn register(conn: &Connection) {
    if let Err(rc) = register_as(conn, c"ascii") {
        tracing::warn!(
            rc,
            "FTS5 ascii tokenizer not replaced; SQLite's own is used"
        );
    }
}

/// Registers the tokenizer under `name` on `conn`; `Err` holds SQLite's code.
fn register_as(conn: &Connection, name: &CStr) -> Result<(), c_int> {
    let api = fts5_api(conn)?;
    let mut tokenizer = ffi::fts5_tokenizer {
        xCreate: Some(create),
        xDelete: Some(delete),
        xTokenize: Some(tokenize),
    };
    // SAFETY: `api` is the live fts5_api of `conn` (checked non-null and of a
    // version that has xCreateTokenizer); FTS5 copies `tokenizer` and `name`
    // before returning, and no user data is passed, so nothing needs freeing.
    let rc = unsafe {
        match (*api).xCreateTokenizer {
            Some(create_tokenizer) => {
                create_tokenizer(api, name.as_ptr(), null_mut(), &mut tokenizer, None)
            }
            None => ffi::SQLITE_ERROR,
        }
    };
    if rc == ffi::SQLITE_OK {
        Ok(())
    } else {
        Err(rc)
    }
}

/// The connection's `fts5_api`, through `SELECT fts5(?1)` with a pointer bound
/// (the documented way: <https://sqlite.org/fts5.html#extending_fts5>).
pub(super) fn fts5_api(conn: &Connection) -> Result<*mut ffi::fts5_api, c_int> {
    let mut api: *mut ffi::fts5_api = null_mut();
    // SAFETY: the handle is `conn`'s open connection and is used only during
    // this call, on this thread; the statement is finalized on every path, and
    // `api` outlives the step that writes it.
    let rc = unsafe {
        let db = conn.handle();
        let mut stmt: *mut ffi::sqlite3_stmt = null_mut();
        let mut rc =
            ffi::sqlite3_prepare_v2(db, c"SELECT fts5(?1)".as_ptr(), -1, &mut stmt, null_mut());
        if rc == ffi::SQLITE_OK {
            rc = ffi::sqlite3_bind_pointer(
                stmt,
                1,
                (&raw mut api).cast::<c_void>(),
                c"fts5_api_ptr".as_ptr(),
                None,
            );
        }
        if rc == ffi::SQLITE_OK {
            rc = ffi::sqlite3_step(stmt);
            if rc == ffi::SQLITE_ROW {
                rc = ffi::SQLITE_OK;
            }
        }
        ffi::sqlite3_finalize(stmt);
        rc
    };
    if rc != ffi::SQLITE_OK {
        return Err(rc);
    }
    // SAFETY: non-null, so it points at the connection's fts5_api.
    if api.is_null() || unsafe { (*api).iVersion } < 2 {
        return Err(ffi::SQLITE_ERROR);
    }
    Ok(api)
}

/// Per byte: [`TOKEN`] when it belongs to a token, [`UPPER`] for `A`-`Z`.
type Table = [u8; 256];
const TOKEN: u8 = 1;
const UPPER: u8 = 2;

/// The built-in's `aAsciiTokenChar`: ASCII letters and digits are token bytes,
/// other ASCII bytes separate tokens, and every byte >= 0x80 is a token byte.
const DEFAULT_TABLE: Table = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if c >= 0x80 || c.is_ascii_alphanumeric() {
            table[b] = TOKEN;
        }
        if c.is_ascii_uppercase() {
            table[b] |= UPPER;
        }
        b += 1;
    }
    table
};

/// `fts5AsciiCreate`: an even number of arguments, pairs of `tokenchars` or
/// `separators` (any case) and ASCII bytes made token bytes or separators;
/// bytes >= 0x80 in them are ignored, as the built-in does. The instance is a
/// boxed [`Table`].
unsafe extern "C" fn create(
    _user_data: *mut c_void,
    args: *mut *const c_char,
    n_args: c_int,
    out: *mut *mut ffi::Fts5Tokenizer,
) -> c_int {
    let made = catch_unwind(AssertUnwindSafe(|| {
        let n = usize::try_from(n_args).map_err(|_| ffi::SQLITE_ERROR)?;
        if n % 2 != 0 || (n > 0 && args.is_null()) {
            return Err(ffi::SQLITE_ERROR);
        }
        let mut table = DEFAULT_TABLE;
        for pair in 0..n / 2 {
            // SAFETY: FTS5 passes `n_args` NUL-terminated strings.
            let (key, value) = unsafe {
                let key = *args.add(2 * pair);
                let value = *args.add(2 * pair + 1);
                if key.is_null() || value.is_null() {
                    return Err(ffi::SQLITE_ERROR);
                }
                (
                    CStr::from_ptr(key).to_bytes(),
                    CStr::from_ptr(value).to_bytes(),
                )
            };
            let token = if key.eq_ignore_ascii_case(b"tokenchars") {
                TOKEN
            } else if key.eq_ignore_ascii_case(b"separators") {
                0
            } else {
                return Err(ffi::SQLITE_ERROR);
            };
            for &b in value.iter().filter(|b| b.is_ascii()) {
                table[usize::from(b)] = token | (table[usize::from(b)] & UPPER);
            }
        }
        Ok(Box::into_raw(Box::new(table)))
    }));
    let (rc, instance) = match made {
        Ok(Ok(table)) => (ffi::SQLITE_OK, table.cast::<ffi::Fts5Tokenizer>()),
        Ok(Err(rc)) => (rc, null_mut()),
        Err(_) => (ffi::SQLITE_ERROR, null_mut()),
    };
    if !out.is_null() {
        // SAFETY: FTS5 passes a pointer to its instance slot.
        unsafe { *out = instance };
    }
    rc
}

/// Frees an instance made by [`create`].
unsafe extern "C" fn delete(instance: *mut ffi::Fts5Tokenizer) {
    if !instance.is_null() {
        // SAFETY: every instance is a `Box<Table>` from `create`, deleted once.
        drop(unsafe { Box::from_raw(instance.cast::<Table>()) });
    }
}

/// The callback FTS5 passes for each token.
type TokenFn =
    unsafe extern "C" fn(*mut c_void, c_int, *const c_char, c_int, c_int, c_int) -> c_int;

/// `fts5AsciiTokenize`: each run of token bytes, A-Z folded to a-z, with its
/// start and end offsets and flags 0; stops at the first code that is not
/// `SQLITE_OK` and returns it (`SQLITE_DONE` as `SQLITE_OK`).
unsafe extern "C" fn tokenize(
    instance: *mut ffi::Fts5Tokenizer,
    ctx: *mut c_void,
    _flags: c_int,
    text: *const c_char,
    n_text: c_int,
    x_token: Option<TokenFn>,
) -> c_int {
    let (Some(x_token), Ok(len)) = (x_token, usize::try_from(n_text)) else {
        return ffi::SQLITE_OK;
    };
    if instance.is_null() || text.is_null() || len == 0 {
        return ffi::SQLITE_OK;
    }
    // SAFETY: `instance` is a live `Table` from `create`; FTS5 passes `n_text`
    // readable bytes at `text`, alive for this call.
    let (table, bytes) = unsafe {
        (
            &*instance.cast::<Table>(),
            std::slice::from_raw_parts(text.cast::<u8>(), len),
        )
    };
    let emit = |token: &[u8], start: usize, end: usize| -> c_int {
        // Offsets are below `n_text`, so they fit a c_int; the length too.
        // SAFETY: `token` is alive during the call, which only reads it.
        unsafe {
            x_token(
                ctx,
                0,
                token.as_ptr().cast::<c_char>(),
                token.len() as c_int,
                start as c_int,
                end as c_int,
            )
        }
    };
    let rc = catch_unwind(AssertUnwindSafe(|| each_token(table, bytes, emit)))
        .unwrap_or(ffi::SQLITE_ERROR);
    if rc == ffi::SQLITE_DONE {
        ffi::SQLITE_OK
    } else {
        rc
    }
}

/// Calls `emit(token, start, end)` for each token of `bytes` until it returns
/// something other than `SQLITE_OK`, which is returned.
fn each_token(
    table: &Table,
    bytes: &[u8],
    mut emit: impl FnMut(&[u8], usize, usize) -> c_int,
) -> c_int {
    let mut folded: Vec<u8> = Vec::new();
    let mut start = 0;
    let n = bytes.len();
    while start < n {
        while start < n && table[usize::from(bytes[start])] & TOKEN == 0 {
            start += 1;
        }
        if start == n {
            break;
        }
        let mut end = start;
        let mut seen = 0;
        while end < n {
            let class = table[usize::from(bytes[end])];
            if class & TOKEN == 0 {
                break;
            }
            seen |= class;
            end += 1;
        }
        let token = &bytes[start..end];
        let rc = if seen & UPPER == 0 {
            emit(token, start, end)
        } else {
            folded.clear();
            folded.extend(token.iter().map(u8::to_ascii_lowercase));
            emit(&folded, start, end)
        };
        if rc != ffi::SQLITE_OK {
            return rc;
        }
        // The byte at `end` is a separator (or the end): skipped, as the built-in does.
        start = end + 1;
    }
    ffi::SQLITE_OK
}
