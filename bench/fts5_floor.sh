#!/usr/bin/env bash
# Issue 9's "+30 %" against its floor: what the search index adds to a first refresh,
# beside what SQLite's FTS5 alone costs to index the same rows.
#
# Corpus: ../shared/bench/genfeeds.py OUT 500 200 (100,000 items), as file:// feeds (no
# server in the figures). Each run, alternately:
#   - khabar: first refresh into an empty database (/usr/bin/time: wall, user + sys CPU);
#   - the same code built with --features bench-no-search-index (no index written).
# Then `benches/fts5_floor.rs` on the database of khabar's last run: the rows khabar
# indexed, made beforehand, handed to FTS5 in an in-memory database (no WAL, no disk),
# in the refresh writer's batches, followed by the refresh's merge; CPU time of that
# one thread. The summary sets the three side by side, with the index's share
# ((khabar - noindex) / noindex) and FTS5's alone (floor / noindex), run by run.
#
# Usage: bench/fts5_floor.sh            (env: RUNS=3 FLOOR_RUNS=5 FEEDS=500 ITEMS=200
#                                        KHABAR=/path/to/khabar (else built here)
#                                        NOINDEX=/path/to/khabar built with the feature
#                                        (else built here, in target/noindex)
#                                        BENCH_DIR=../shared/bench KEEP=1)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${BENCH_DIR:-$ROOT/../shared/bench}
[ -d "$SHARED" ] || SHARED=/work/shared/bench
FEEDS=${FEEDS:-500}
ITEMS=${ITEMS:-200}
RUNS=${RUNS:-3}
FLOOR_RUNS=${FLOOR_RUNS:-5}

WORK=$(mktemp -d /tmp/khabar-floor.XXXXXX)
cleanup() {
    [ -n "${KEEP:-}" ] && echo "kept $WORK" >&2 && return
    rm -rf "$WORK"
}
trap cleanup EXIT

TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
if [ -z "${KHABAR:-}" ]; then
    echo "building khabar (release)…" >&2
    (cd "$ROOT" && cargo build --release --quiet)
    KHABAR=$TARGET/release/khabar
fi
if [ -z "${NOINDEX:-}" ]; then
    echo "building khabar without the index (release, target/noindex)…" >&2
    (cd "$ROOT" && CARGO_TARGET_DIR=$TARGET/noindex cargo build --release --quiet \
        --features bench-no-search-index)
    NOINDEX=$TARGET/noindex/release/khabar
fi
echo "building benches/fts5_floor.rs…" >&2
(cd "$ROOT" && cargo bench --quiet --bench fts5_floor --no-run)

python3 "$SHARED/genfeeds.py" "$WORK/corpus" "$FEEDS" "$ITEMS" >/dev/null
python3 "$ROOT/bench/khabar_config.py" "$WORK/corpus/urls" --prefix "file://$WORK/corpus" \
    > "$WORK/file.toml"
echo "corpus: $FEEDS feeds x $ITEMS items, $(du -sh "$WORK/corpus/feeds" | cut -f1) of XML" >&2

RESULTS="$WORK/results.tsv"
: > "$RESULTS"
refresh() { # LABEL BINARY RUN
    rm -f "$WORK/$1.db"*
    /usr/bin/time -f '%e %U %S' -o "$WORK/time" \
        "$2" --config "$WORK/file.toml" --db "$WORK/$1.db" refresh --quiet >/dev/null 2>"$WORK/err" \
        || { echo "$1: failed" >&2; tail -5 "$WORK/err" >&2; exit 1; }
    local wall user sys
    read -r wall user sys < "$WORK/time"
    printf '%s\t%s\t%s\t%s\n' "$1" "$3" "$wall" "$(echo "$user + $sys" | bc)" >> "$RESULTS"
    printf '  %-8s %6.2f s wall %6.2f s CPU\n' "$1" "$wall" "$(echo "$user + $sys" | bc)"
}
for run in $(seq 1 "$RUNS"); do
    echo "== run $run/$RUNS ($(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1-3 /proc/loadavg))"
    if [ $((run % 2)) -eq 1 ]; then
        refresh noindex "$NOINDEX" "$run"; refresh khabar "$KHABAR" "$run"
    else
        refresh khabar "$KHABAR" "$run"; refresh noindex "$NOINDEX" "$run"
    fi
done

echo "== FTS5 alone on khabar's rows ($(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1-3 /proc/loadavg))"
(cd "$ROOT" && FTS5_FLOOR_DB=$WORK/khabar.db RUNS=$FLOOR_RUNS \
    cargo bench --quiet --bench fts5_floor 2>/dev/null) | tee "$WORK/floor.txt"

echo "== summary (min-max; CPU is user + sys)"
FLOOR_MIN=$(awk '/^run / { for (i = 1; i <= NF; i++) if ($i == "fts5-alone") v = $(i + 1)
                          if (min == "" || v < min) min = v } END { print min }' "$WORK/floor.txt")
FLOOR_MAX=$(awk '/^run / { for (i = 1; i <= NF; i++) if ($i == "fts5-alone") v = $(i + 1)
                          if (v > max) max = v } END { print max }' "$WORK/floor.txt")
awk -F'\t' -v fmin="$FLOOR_MIN" -v fmax="$FLOOR_MAX" '
    { cpu[$1, $2] = $4; wall[$1, $2] = $3; runs[$2] = 1 }
    function range(label, a, b) { printf "  %-34s %5.2f-%5.2f s\n", label, a, b }
    END {
        n = 0
        for (r in runs) {
            k = cpu["khabar", r]; x = cpu["noindex", r]; kw = wall["khabar", r]; xw = wall["noindex", r]
            share = (k - x) / x * 100; wshare = (kw - xw) / xw * 100
            if (!n || k < kmin) kmin = k; if (k > kmax) kmax = k
            if (!n || x < xmin) xmin = x; if (x > xmax) xmax = x
            if (!n || share < smin) smin = share; if (share > smax) smax = share
            if (!n || wshare < wsmin) wsmin = wshare; if (wshare > wsmax) wsmax = wshare
            n++
        }
        range("first refresh, khabar: CPU", kmin, kmax)
        range("first refresh, no index: CPU", xmin, xmax)
        range("FTS5 alone on the same rows: CPU", fmin, fmax)
        printf "  the index adds, run by run:        %+.0f%% to %+.0f%% CPU, %+.0f%% to %+.0f%% wall\n",
            smin, smax, wsmin, wsmax
        printf "  FTS5 alone, of the no-index CPU:   %+.0f%% to %+.0f%% (budget: +30%% = %.2f-%.2f s)\n",
            fmin / xmax * 100, fmax / xmin * 100, 0.3 * xmin, 0.3 * xmax
    }' "$RESULTS"
