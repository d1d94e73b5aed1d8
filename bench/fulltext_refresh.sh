#!/usr/bin/env bash
# Full text on refresh (issue 10): "200 new items with full text add no more than
# the pages' network time to a refresh (same concurrency budget as feeds)".
#
# Corpus: one RSS feed of ITEMS (200) items whose links are web pages: copies of
# the real pages in tests/fixtures/articles (Persian/Arabic news shapes and
# Readability's news pages, 1 KB to 489 KB, each made unique), served on
# 127.0.0.1 by ../shared/bench/serve.py with DELAY_MS (50) per request.
# In the same run, with the same limits (concurrency 16, per_host 8: all pages
# are on one host, so 8 at once):
#   1. khabar refresh of the feed with fulltext = false (feed only)
#   2. khabar refresh of the feed with fulltext = true (feed + 200 pages)
#   3. the network alone: the same 200 pages downloaded by curl, 8 at once
# Extra time of full text = (2) - (1); it should not exceed (3). The last line
# gives the medians over the runs, and the spread of (2) - (1) - (3).
#
# With BASE=path/to/another/khabar, (2) is also run with that binary in each run
# (before/after figures from the same run).
#
# With BUSY=1, each run also times (3) again beside one busy loop at nice 19 (one
# core left free): the network time when the machine has CPU work to do.
#
# With TIMELINE=1, (2) runs with KHABAR_LOG=khabar=debug and each run also prints
# when the first and last page finished downloading and how long the process
# took after the last one (bench/fulltext_timeline.py).
#
# Usage: bench/fulltext_refresh.sh   (env: PORT 18510, ITEMS 200, DELAY_MS 50, RUNS 3, KHABAR, BASE,
#                                     TIMELINE, BUSY)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${BENCH_DIR:-$ROOT/../shared/bench}
[ -d "$SHARED" ] || SHARED=/work/shared/bench
PORT=${PORT:-18510}
ITEMS=${ITEMS:-200}
DELAY_MS=${DELAY_MS:-50}
RUNS=${RUNS:-3}
PER_HOST=8
CONCURRENCY=16

WORK=$(mktemp -d /tmp/khabar-ftbench.XXXXXX)
SERVER=""
BUSY_PID=""
cleanup() {
    [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null
    [ -n "$BUSY_PID" ] && kill "$BUSY_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

if [ -z "${KHABAR:-}" ]; then   # KHABAR=path/to/khabar skips the build
    echo "building khabar (release)…" >&2
    (cd "$ROOT" && cargo build --release --quiet)
    KHABAR=${CARGO_TARGET_DIR:-$ROOT/target}/release/khabar
fi

# The pages and the feed.
python3 - "$ROOT/tests/fixtures/articles" "$WORK/site" "$ITEMS" "$PORT" <<'PY'
import html, os, sys
fixtures, site, items, port = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
os.makedirs(f"{site}/p")
pages = []
for name in sorted(os.listdir(fixtures)):
    src = f"{fixtures}/{name}/source.html"
    if os.path.exists(src):
        pages.append((name, open(src, "rb").read()))
charsets = []
entries = []
total = 0
for i in range(items):
    name, body = pages[i % len(pages)]
    # Unique per item (a comment the extractor ignores), so no two pages are one.
    page = body.replace(b"</body>", b"<!-- item %d --></body>" % i, 1)
    open(f"{site}/p/{i}.html", "wb").write(page)
    total += len(page)
    link = f"http://127.0.0.1:{port}/p/{i}.html"
    entries.append(
        f"<item><title>Item {i} ({html.escape(name)})</title><link>{link}</link>"
        f"<guid>{link}</guid><description>One sentence of item {i}.</description>"
        f"<pubDate>Mon, 30 Nov 2026 {i // 60 % 24:02d}:{i % 60:02d}:00 GMT</pubDate></item>"
    )
open(f"{site}/feed.xml", "w", encoding="utf-8").write(
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>bench</title>'
    f"<link>http://127.0.0.1:{port}/</link><description>d</description>"
    + "".join(entries) + "</channel></rss>")
open(f"{site}/urls", "w").write(
    "".join(f"http://127.0.0.1:{port}/p/{i}.html\n" for i in range(items)))
print(f"corpus: {items} pages, {total / 1e6:.1f} MB, from {len(pages)} fixtures", file=sys.stderr)
PY
# The GB2312 and windows-1251 fixtures say their charset in the page itself.

config() { # FILE FULLTEXT
    printf '[fetch]\nconcurrency = %s\nper_host = %s\n\n[[feed]]\nurl = "http://127.0.0.1:%s/feed.xml"\nfulltext = %s\n' \
        "$CONCURRENCY" "$PER_HOST" "$PORT" "$2" > "$1"
}
config "$WORK/feed-only.toml" false
config "$WORK/full.toml" true

python3 "$SHARED/serve.py" "$WORK/site" "$PORT" "$DELAY_MS" &
SERVER=$!
for _ in $(seq 50); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/urls" && break
    sleep 0.1
done

# Prints "wall user+sys" of a command: wall to the millisecond (GNU time's %e
# has centiseconds, as coarse as the differences measured here), CPU from GNU time.
timed() {
    local start end
    start=$(date +%s%N)
    /usr/bin/time -f '%U %S' -o "$WORK/time" "$@" >"$WORK/out" 2>"$WORK/err" \
        || { echo "failed: $*" >&2; tail -5 "$WORK/err" >&2; exit 1; }
    end=$(date +%s%N)
    awk -v ns=$((end - start)) '{printf "%.3f %.2f", ns / 1e9, $1 + $2}' "$WORK/time"
}

sed 's|.*|url = "&"\noutput = "/dev/null"|' "$WORK/site/urls" > "$WORK/curl.cfg"

printf '%-4s %-28s %-28s %-22s %s\n' run "refresh feed only (wall cpu)" "refresh + full text (wall cpu)" "curl pages (wall cpu)" "full text added / network"
for run in $(seq "$RUNS"); do
    rm -f "$WORK"/*.db
    read -r w1 c1 <<<"$(timed "$KHABAR" --config "$WORK/feed-only.toml" --db "$WORK/a.db" refresh --quiet)"
    [ -n "${TIMELINE:-}" ] && export KHABAR_LOG=khabar=debug
    t0=$(date +%s.%N)
    read -r w2 c2 <<<"$(timed "$KHABAR" --config "$WORK/full.toml" --db "$WORK/b.db" refresh --quiet)"
    t1=$(date +%s.%N)
    unset KHABAR_LOG
    got=$(sqlite3 "$WORK/b.db" "SELECT COUNT(*) FROM item_content WHERE fulltext_html IS NOT NULL")
    [ "$got" = "$ITEMS" ] || { echo "only $got of $ITEMS pages gave full text" >&2; exit 1; }
    read -r w3 c3 <<<"$(timed curl -s --parallel --parallel-immediate --parallel-max "$PER_HOST" -K "$WORK/curl.cfg")"
    [ -n "${w1:-}" ] && [ -n "${w2:-}" ] && [ -n "${w3:-}" ] || exit 1
    added=$(awk -v a="$w2" -v b="$w1" 'BEGIN {printf "%.3f", a - b}')
    printf '%-4s %-28s %-28s %-22s %s s / %s s\n' "$run" "$w1 s  $c1 s" "$w2 s  $c2 s" "$w3 s  $c3 s" "$added" "$w3"
    echo "$added $w3" >> "$WORK/pairs"
    if [ -n "${BUSY:-}" ]; then
        nice -n 19 sh -c 'while :; do :; done' &
        BUSY_PID=$!
        read -r w5 c5 <<<"$(timed curl -s --parallel --parallel-immediate --parallel-max "$PER_HOST" -K "$WORK/curl.cfg")"
        kill "$BUSY_PID"; wait "$BUSY_PID" 2>/dev/null || true; BUSY_PID=""
        printf '%-4s curl pages beside a busy core (nice 19): %s s\n' "$run" "$w5"
    fi
    if [ -n "${TIMELINE:-}" ]; then
        printf '%-4s timeline: %s\n' "$run" "$(python3 "$ROOT/bench/fulltext_timeline.py" "$t0" "$t1" "$WORK/khabar.log")"
        rm -f "$WORK/khabar.log"
    fi
    if [ -n "${BASE:-}" ]; then
        read -r w4 c4 <<<"$(timed "$BASE" --config "$WORK/full.toml" --db "$WORK/c.db" refresh --quiet)"
        got=$(sqlite3 "$WORK/c.db" "SELECT COUNT(*) FROM item_content WHERE fulltext_html IS NOT NULL")
        [ "$got" = "$ITEMS" ] || { echo "BASE: only $got of $ITEMS pages gave full text" >&2; exit 1; }
        printf '%-4s BASE refresh + full text: %s s  %s s (added %s s)\n' "$run" "$w4" "$c4" \
            "$(awk -v a="$w4" -v b="$w1" 'BEGIN {printf "%.3f", a - b}')"
    fi
done

# One line over all runs: a run's difference mixes two refreshes and curl, each
# with its own few milliseconds of noise, so the medians are the figure.
python3 - "$WORK/pairs" <<'PY'
import statistics, sys
pairs = [tuple(map(float, line.split())) for line in open(sys.argv[1])]
added = [a for a, _ in pairs]
network = [n for _, n in pairs]
over = sorted(round((a - n) * 1000) for a, n in pairs)
print(f"median over {len(pairs)} runs: full text added {statistics.median(added):.4f} s, "
      f"network {statistics.median(network):.4f} s; added - network per run "
      f"{over[0]} to {over[-1]} ms, median {statistics.median(over):g} ms")
PY
