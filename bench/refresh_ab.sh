#!/usr/bin/env bash
# Before/after refresh benchmark for two khabar binaries on the same corpus in the
# same run (issue 8: malformed-feed recovery must cost nothing on well-formed feeds),
# plus newsboat once, and the cost of recovery when every feed needs it.
#
# Corpus: ../shared/bench/genfeeds.py OUT $FEEDS $ITEMS, served on 127.0.0.1:$PORT by
# ../shared/bench/serve.py. For each binary, alternately, $RUNS times: first refresh
# into an empty database, then refresh with nothing changed; wall time and CPU
# (user + system) of khabar from /usr/bin/time -v. Then a copy of the corpus with a
# bare `&` in every feed (the strict parse fails on each one, recovery reads it).
#
# Usage: bench/refresh_ab.sh BEFORE_BIN AFTER_BIN   (env: PORT, FEEDS, ITEMS, RUNS, BENCH_DIR)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${BENCH_DIR:-$ROOT/../shared/bench}
[ -d "$SHARED" ] || SHARED=/work/shared/bench
PORT=${PORT:-18250}
FEEDS=${FEEDS:-500}
ITEMS=${ITEMS:-200}
RUNS=${RUNS:-3}
BEFORE=$1
AFTER=$2

WORK=$(mktemp -d /tmp/khabar-ab.XXXXXX)
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

python3 "$SHARED/genfeeds.py" "$WORK/corpus" "$FEEDS" "$ITEMS" --base "http://127.0.0.1:$PORT" >/dev/null
# The same corpus with one bare `&` in every feed's first item title.
cp -r "$WORK/corpus" "$WORK/broken"
python3 - "$WORK/broken/feeds" <<'PY'
import os, sys
for name in os.listdir(sys.argv[1]):
    path = os.path.join(sys.argv[1], name)
    text = open(path, encoding="utf-8").read()
    first = text.find("<title")
    second = text.find("<title", first + 1)
    gt = text.find(">", second)
    open(path, "w", encoding="utf-8").write(text[:gt + 1] + "R & D: " + text[gt + 1:])
PY
echo "corpus: $FEEDS feeds x $ITEMS items, $(du -sh "$WORK/corpus/feeds" | cut -f1) of XML" >&2

serve() { # DIR
    [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
    python3 "$SHARED/serve.py" "$1" "$PORT" 0 &
    SERVER=$!
    for _ in $(seq 50); do
        python3 -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1',$PORT)))" && return
        sleep 0.1
    done
}

config() { # FILE
    python3 "$ROOT/bench/khabar_config.py" "$WORK/corpus/urls" --no-tags > "$1"
}

measure() { # LABEL COMMAND...
    local label=$1; shift
    /usr/bin/time -v "$@" >"$WORK/out" 2>"$WORK/time" || true
    local wall cpu
    wall=$(grep 'Elapsed (wall clock)' "$WORK/time" | awk '{print $NF}' \
        | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$WORK/time")
    printf '%-48s %8s s wall %8s s CPU\n' "$label" "$wall" "$cpu"
}

items() { # BIN DB
    "$1" --config "$WORK/k.toml" --db "$2" feeds --json \
        | python3 -c "import sys,json; print(sum(json.loads(l)['total'] for l in sys.stdin))"
}

config "$WORK/k.toml"
echo "== well-formed corpus (strict parse succeeds on every feed)"
serve "$WORK/corpus"
for run in $(seq "$RUNS"); do
    for which in before after; do
        bin=$BEFORE; [ "$which" = after ] && bin=$AFTER
        db="$WORK/$which-$run.db"
        measure "$which: first refresh, empty database (run $run)" "$bin" --config "$WORK/k.toml" --db "$db" refresh --quiet
        measure "$which: refresh, nothing changed (run $run)" "$bin" --config "$WORK/k.toml" --db "$db" refresh --quiet
    done
done
printf 'reload-threads 4\n' > "$WORK/nb.conf"
if command -v newsboat >/dev/null 2>&1; then
    measure "newsboat -x reload, empty cache (4 threads)" newsboat -C "$WORK/nb.conf" -u "$WORK/corpus/urls" -c "$WORK/nb.db" -x reload
fi

echo "== every feed with one bare & (strict parse fails, recovery reads it)"
serve "$WORK/broken"
measure "before: first refresh, empty database" "$BEFORE" --config "$WORK/k.toml" --db "$WORK/b-before.db" refresh --quiet
echo "   items stored: $(items "$BEFORE" "$WORK/b-before.db")"
measure "after: first refresh, empty database" "$AFTER" --config "$WORK/k.toml" --db "$WORK/b-after.db" refresh --quiet
echo "   items stored: $(items "$AFTER" "$WORK/b-after.db")"
if command -v newsboat >/dev/null 2>&1; then
    measure "newsboat -x reload, empty cache (4 threads)" newsboat -C "$WORK/nb.conf" -u "$WORK/broken/urls" -c "$WORK/nb-b.db" -x reload
    echo "   items stored: $(sqlite3 "$WORK/nb-b.db" 'SELECT COUNT(*) FROM rss_item' 2>/dev/null || echo '?')"
fi
