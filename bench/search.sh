#!/usr/bin/env bash
# Search benchmarks (issue 9), with the LIKE scans newsboat does in the same run.
#
# 1. Index cost: first refresh of genfeeds 500 x 200 (100,000 items) into an empty
#    database by this build and by a baseline build without the index (default:
#    `git merge-base HEAD main`), alternating, RUNS times each: wall, CPU, peak RSS,
#    and the database size once closed.
# 2. Query times on that database: `cargo bench --bench search` (wall and thread CPU time per query).
# 3. The same database replicated to 1,000,000 items (older copies of each item),
#    its index built as for a database from before the index (timed), and the
#    criterion bench again.
#
# Usage: bench/search.sh [--no-1m]   (env: PORT=18401, RUNS=3, BASELINE=/path/to/khabar,
#        WORK=/tmp/dir to keep the databases)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${BENCH_DIR:-$ROOT/../shared/bench}
[ -d "$SHARED" ] || SHARED=/work/shared/bench
PORT=${PORT:-18401}
RUNS=${RUNS:-3}
MILLION=1
[ "${1:-}" = "--no-1m" ] && MILLION=0
WORK=${WORK:-$(mktemp -d /tmp/khabar-search-bench.XXXXXX)}
mkdir -p "$WORK"
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true; }
trap cleanup EXIT

if [ -z "${BASELINE:-}" ]; then
    echo "building the baseline (merge-base with main, no search index)…" >&2
    rm -rf "$WORK/baseline-src" && mkdir -p "$WORK/baseline-src"
    git -C "$ROOT" archive "$(git -C "$ROOT" merge-base HEAD main)" | tar -x -C "$WORK/baseline-src"
    (cd "$WORK/baseline-src" && CARGO_TARGET_DIR="$ROOT/target" cargo build --release --quiet)
    cp "$ROOT/target/release/khabar" "$WORK/khabar-baseline"
    BASELINE="$WORK/khabar-baseline"
fi
echo "building khabar (release)…" >&2
(cd "$ROOT" && cargo build --release --quiet)
cp "$ROOT/target/release/khabar" "$WORK/khabar-search"
KHABAR="$WORK/khabar-search"

if [ ! -d "$WORK/corpus" ]; then
    python3 "$SHARED/genfeeds.py" "$WORK/corpus" 500 200 --base "http://127.0.0.1:$PORT" >/dev/null
fi
python3 "$SHARED/serve.py" "$WORK/corpus" "$PORT" 0 &
SERVER=$!
for _ in $(seq 50); do
    python3 -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1',$PORT)))" && break
    sleep 0.1
done
{
    printf '[fetch]\nconcurrency = 16\nper_host = 8\n\n'
    python3 - "$WORK/corpus/urls" <<'PY'
import shlex, sys
for line in open(sys.argv[1], encoding="utf-8"):
    words = shlex.split(line)
    if words:
        tags = ", ".join('"%s"' % t for t in words[1:])
        print('[[feed]]\nurl = "%s"\ntags = [%s]\n' % (words[0], tags))
PY
} > "$WORK/khabar.toml"

refresh() { # LABEL BINARY DB
    rm -f "$3" "$3-wal" "$3-shm"
    /usr/bin/time -f '%e %U %S %M' -o "$WORK/time" "$2" --config "$WORK/khabar.toml" --db "$3" refresh --quiet
    "$2" --config "$WORK/khabar.toml" --db "$3" unread >/dev/null   # closes the file: WAL folded in
    read -r wall user sys rss < "$WORK/time"
    printf '%-22s wall %6.2f s  cpu %6.2f s  rss %4d MB  db %5d MB\n' "$1" "$wall" \
        "$(echo "$user + $sys" | bc)" "$((rss / 1024))" "$(( $(stat -c %s "$3") / 1048576 ))"
}

echo "== first refresh of genfeeds 100,000 items, $RUNS runs each, alternating"
for run in $(seq "$RUNS"); do
    refresh "baseline (no index)" "$BASELINE" "$WORK/baseline.db"
    refresh "with the index" "$KHABAR" "$WORK/search.db"
done

echo "== queries on 100,000 items"
(cd "$ROOT" && SEARCH_BENCH_DB="$WORK/search.db" cargo bench --bench search 2>/dev/null | grep -vE '^(running|test result|$)')

[ "$MILLION" = 1 ] || exit 0
echo "== 1,000,000 items (each item copied 9 times, a month older per copy)"
cp "$WORK/search.db" "$WORK/1m.db"
python3 - "$WORK/1m.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
n = db.execute("SELECT MAX(id) FROM items").fetchone()[0]
cols = [r[1] for r in db.execute("PRAGMA table_info(items)")]
shift = 30 * 86400
def expr(c, k):
    return {"id": f"id + {k * n}", "identity": f"identity || '#{k}'",
            "sort_time": f"sort_time - {k * shift}", "published": f"published - {k * shift}",
            "first_seen": f"first_seen - {k * shift}"}.get(c, c)
for k in range(1, 10):
    db.execute(f"INSERT INTO items ({','.join(cols)}) SELECT {','.join(expr(c, k) for c in cols)} FROM items WHERE id <= {n}")
    ccols = [r[1] for r in db.execute("PRAGMA table_info(item_content)")]
    db.execute(f"INSERT INTO item_content ({','.join(ccols)}) SELECT {','.join(('item_id + %d' % (k * n)) if c == 'item_id' else c for c in ccols)} FROM item_content WHERE item_id <= {n}")
    db.execute(f"INSERT INTO item_categories (item_id, tag) SELECT item_id + {k * n}, tag FROM item_categories WHERE item_id <= {n}")
    db.execute(f"INSERT INTO tag_items (tag, item_id, sort_time, refs, via_feed) SELECT tag, item_id + {k * n}, sort_time - {k * shift}, refs, via_feed FROM tag_items WHERE item_id <= {n}")
db.execute("INSERT INTO search_backlog (item_id) SELECT id FROM items WHERE id > ?", (n,))
db.execute("UPDATE feeds SET total_count = (SELECT COUNT(*) FROM items WHERE feed_id = feeds.id), unread_count = (SELECT COUNT(*) FROM items WHERE feed_id = feeds.id AND read = 0)")
db.execute("DELETE FROM feed_tag_counts")
db.execute("INSERT INTO feed_tag_counts (feed_id, tag, total, unread) SELECT i.feed_id, t.tag, COUNT(*), SUM(i.read = 0) FROM tag_items t JOIN items i ON i.id = t.item_id GROUP BY i.feed_id, t.tag")
db.commit()
print("items:", db.execute("SELECT COUNT(*) FROM items").fetchone()[0], "backlog:", db.execute("SELECT COUNT(*) FROM search_backlog").fetchone()[0])
PY
/usr/bin/time -f 'index built for 900,000 stored items: wall %e s, cpu %U+%S s, rss %M KB' \
    "$KHABAR" --config "$WORK/khabar.toml" --db "$WORK/1m.db" unread
echo "db $(( $(stat -c %s "$WORK/1m.db") / 1048576 )) MB"
(cd "$ROOT" && SEARCH_BENCH_DB="$WORK/1m.db" cargo bench --bench search 2>/dev/null | grep -vE '^(running|test result|$)')
echo "databases kept in $WORK"
