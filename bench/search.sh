#!/usr/bin/env bash
# Search benchmarks (issue 9), with the LIKE scans newsboat does in the same run.
#
# 1. Query latency: genfeeds 500 x 200 (100,000 items) and 5,000 x 200
#    (1,000,000 items: ten times the feeds, each feed its own random words),
#    each refreshed from file:// into an empty database (timed), then
#    `cargo bench --bench search` on it (benches/search.rs: the reader's and
#    `khabar search`'s queries through the index, the same words as LIKE scans,
#    a view's first page and count, the tag picker).
# 2. With --index-cost: the index's cost on a first refresh, this build against
#    a baseline build without the index (default: `git merge-base HEAD main`),
#    over loopback HTTP, alternating, RUNS times each.
#
# Any failure (a build, a refresh, the bench) stops the script with its error
# shown: nothing is hidden behind a filter.
#
# Usage: bench/search.sh [--no-1m] [--index-cost]
#        (env: RUNS=3 PORT=18401 BASELINE=/path/to/khabar WORK=/tmp/dir KEEP=1
#         BENCH_BEFORE=/path/to/an older build's benches/search binary: run on
#         the same database right before this build's, for before/after figures
#         in one run; `cargo bench --bench search --no-run` prints its path)
# The 1M database takes ~2.5 GB and its corpus 1.6 GB under WORK; both are
# deleted at the end unless KEEP=1.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${BENCH_DIR:-$ROOT/../shared/bench}
[ -d "$SHARED" ] || SHARED=/work/shared/bench
PORT=${PORT:-18401}
RUNS=${RUNS:-3}
MILLION=1
INDEX_COST=0
for arg in "$@"; do
    case "$arg" in
        --no-1m) MILLION=0 ;;
        --index-cost) INDEX_COST=1 ;;
        *) echo "unknown argument: $arg (usage: bench/search.sh [--no-1m] [--index-cost])" >&2; exit 2 ;;
    esac
done
WORK=${WORK:-$(mktemp -d /tmp/khabar-search-bench.XXXXXX)}
mkdir -p "$WORK"
SERVER=""
cleanup() {
    [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null
    if [ -n "${KEEP:-}" ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

echo "building khabar and the bench (release)…" >&2
(cd "$ROOT" && cargo build --release --quiet && cargo bench --bench search --no-run --quiet)
cp "$ROOT/target/release/khabar" "$WORK/khabar-search"
KHABAR="$WORK/khabar-search"

FEEDS=500
[ "$MILLION" = 1 ] && FEEDS=5000
if [ ! -f "$WORK/corpus/urls" ] || [ "$(wc -l < "$WORK/corpus/urls")" -lt "$FEEDS" ]; then
    echo "generating genfeeds $FEEDS x 200…" >&2
    python3 "$SHARED/genfeeds.py" "$WORK/corpus" "$FEEDS" 200 --base "http://127.0.0.1:$PORT" >/dev/null
fi

# A khabar config of the corpus's first N feeds with their tags; PREFIX replaces
# the server part of each URL (file://… reads the files directly).
corpus_config() { # FILE N PREFIX
    python3 "$ROOT/bench/khabar_config.py" "$WORK/corpus/urls" --limit "$2" --prefix "$3" > "$1"
}

queries() { # LABEL ITEMS_PER_FEED_COUNT
    local label=$1 feeds=$2
    corpus_config "$WORK/$label.toml" "$feeds" "file://$WORK/corpus"
    rm -f "$WORK/$label.db" "$WORK/$label.db-wal" "$WORK/$label.db-shm"
    /usr/bin/time -f "first refresh ($label, file://): wall %e s, cpu %U+%S s, rss %M KB" \
        "$KHABAR" --config "$WORK/$label.toml" --db "$WORK/$label.db" refresh --quiet
    "$KHABAR" --config "$WORK/$label.toml" --db "$WORK/$label.db" unread >/dev/null
    echo "database $(( $(stat -c %s "$WORK/$label.db") / 1048576 )) MB"
    echo "== queries on $label"
    if [ -n "${BENCH_BEFORE:-}" ]; then
        echo "-- before: $BENCH_BEFORE"
        SEARCH_BENCH_DB="$WORK/$label.db" "$BENCH_BEFORE"
        echo "-- this build"
    fi
    (cd "$ROOT" && SEARCH_BENCH_DB="$WORK/$label.db" cargo bench --bench search --quiet)
}

echo "== $(date -u +%H:%M) UTC, load: $(cut -d' ' -f1-3 /proc/loadavg)"
queries 100k 500
if [ "$MILLION" = 1 ]; then
    rm -f "$WORK/100k.db"*
    queries 1m 5000
    rm -f "$WORK/1m.db"*
fi
[ "$INDEX_COST" = 1 ] || exit 0

# main has the index now: the baseline is a build from before it, given by path.
if [ -z "${BASELINE:-}" ] || [ ! -x "$BASELINE" ]; then
    echo "--index-cost needs BASELINE=/path/to/a khabar built without the search index" >&2
    exit 2
fi
python3 "$SHARED/serve.py" "$WORK/corpus" "$PORT" 0 &
SERVER=$!
for _ in $(seq 50); do
    python3 -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1',$PORT)))" && break
    sleep 0.1
done
corpus_config "$WORK/khabar.toml" 500 ""

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

