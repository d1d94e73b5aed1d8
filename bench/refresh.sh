#!/usr/bin/env bash
# Refresh benchmark, khabar against newsboat in the same run.
#
# Corpus: ../shared/bench/genfeeds.py OUT 500 200 (100,000 items), served on
# 127.0.0.1 by ../shared/bench/serve.py. Measures, for each program:
#   1. first refresh into an empty database (wall time, peak RSS via /usr/bin/time -v)
#   2. refresh again with nothing changed
#   3. first refresh with 100 ms latency per request (32 connections, 32 per host)
#
# Usage: bench/refresh.sh [--no-newsboat]    (env: PORT, FEEDS, ITEMS, BENCH_DIR)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${BENCH_DIR:-$ROOT/../shared/bench}
[ -d "$SHARED" ] || SHARED=/work/shared/bench
PORT=${PORT:-8765}
FEEDS=${FEEDS:-500}
ITEMS=${ITEMS:-200}
NEWSBOAT=1
[ "${1:-}" = "--no-newsboat" ] && NEWSBOAT=0

WORK=$(mktemp -d /tmp/khabar-bench.XXXXXX)
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

echo "building khabar (release)…" >&2
(cd "$ROOT" && cargo build --release --quiet)
KHABAR=${CARGO_TARGET_DIR:-$ROOT/target}/release/khabar

python3 "$SHARED/genfeeds.py" "$WORK/corpus" "$FEEDS" "$ITEMS" --base "http://127.0.0.1:$PORT" >/dev/null
echo "corpus: $FEEDS feeds x $ITEMS items, $(du -sh "$WORK/corpus/feeds" | cut -f1) of XML" >&2

serve() { # DELAY_MS
    [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
    python3 "$SHARED/serve.py" "$WORK/corpus" "$PORT" "$1" &
    SERVER=$!
    for _ in $(seq 50); do
        python3 -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1',$PORT)))" && return
        sleep 0.1
    done
}

# khabar config: every corpus feed as a [[feed]], tags from the urls file.
khabar_config() { # FILE CONCURRENCY PER_HOST
    python3 "$ROOT/bench/khabar_config.py" "$WORK/corpus/urls" --concurrency "$2" --per-host "$3" > "$1"
}

measure() { # LABEL COMMAND...
    local label=$1; shift
    /usr/bin/time -v "$@" >"$WORK/out" 2>"$WORK/time" || { echo "$label: failed" >&2; tail -5 "$WORK/time" >&2; }
    local wall rss cpu
    wall=$(grep 'Elapsed (wall clock)' "$WORK/time" | awk '{print $NF}')
    rss=$(grep 'Maximum resident set size' "$WORK/time" | awk '{print $NF}')
    # CPU (user + system) of the measured program: on a loaded machine wall time is noise.
    cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$WORK/time")
    printf '%-44s %10s s %8s MB %8s s CPU\n' "$label" "$(to_seconds "$wall")" "$((rss / 1024))" "$cpu"
}

to_seconds() { # m:ss.ss or h:mm:ss
    echo "$1" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }'
}

khabar_config "$WORK/khabar.toml" 16 8
khabar_config "$WORK/khabar-32.toml" 32 32
printf 'reload-threads 4\n' > "$WORK/newsboat.conf"
printf 'reload-threads 32\n' > "$WORK/newsboat-32.conf"

echo "== no added latency"
serve 0
measure "khabar refresh, empty database" "$KHABAR" --config "$WORK/khabar.toml" --db "$WORK/k.db" refresh --quiet
measure "khabar refresh, nothing changed" "$KHABAR" --config "$WORK/khabar.toml" --db "$WORK/k.db" refresh --quiet
measure "khabar unread" "$KHABAR" --config "$WORK/khabar.toml" --db "$WORK/k.db" unread
if [ "$NEWSBOAT" = 1 ]; then
    measure "newsboat -x reload, empty cache (4 threads)" newsboat -C "$WORK/newsboat.conf" -u "$WORK/corpus/urls" -c "$WORK/nb.db" -x reload
    measure "newsboat -x reload, nothing changed" newsboat -C "$WORK/newsboat.conf" -u "$WORK/corpus/urls" -c "$WORK/nb.db" -x reload
fi

echo "== 100 ms latency per request, 32 connections"
serve 100
measure "khabar refresh, empty database" "$KHABAR" --config "$WORK/khabar-32.toml" --db "$WORK/k32.db" refresh --quiet
if [ "$NEWSBOAT" = 1 ]; then
    measure "newsboat -x reload, empty cache (32 threads)" newsboat -C "$WORK/newsboat-32.conf" -u "$WORK/corpus/urls" -c "$WORK/nb32.db" -x reload
fi
