#!/usr/bin/env bash
# Refresh CPU and wall time, khabar against newsraft and newsboat in the same run (issue 7).
#
# Corpus: ../shared/bench/genfeeds.py OUT 500 200 (100,000 items, 158 MB), served on
# 127.0.0.1 by ../shared/bench/serve.py. Each run measures, with /usr/bin/time
# (wall, user + sys CPU, peak RSS):
#   - khabar, newsraft, newsboat: first refresh into an empty database over loopback
#   - the same three: refresh again with nothing changed (the server answers 304)
#   - khabar: first refresh with file:// feeds (no server in the figure: CPU is khabar's)
# With KHABAR_BEFORE=/path/to/an/older/khabar the older build is measured too, in
# the same runs, under the label "khabar-before" (before/after figures that share
# the machine's load). KHABAR_ALSO="label=/path/to/khabar ..." adds more builds the
# same way (for example one from before the search index).
# The order of the programs rotates between runs so that a burst of load from
# other work on the machine does not always land on the same one. The summary
# gives min-max over the runs.
#
# newsraft is not packaged by Debian: build it from its repository (`make`, with
# libcurl4-openssl-dev libexpat1-dev libgumbo-dev libsqlite3-dev libncurses-dev)
# and point NEWSRAFT at the binary; without it the script measures the others.
# newsboat's first refresh takes ~30 s and its refresh with nothing changed over a
# minute, so it runs in NEWSBOAT_RUNS of the runs (default 1).
#
# Usage: bench/peers.sh                 (env: RUNS=3 PORT=18150 FEEDS=500 ITEMS=200
#                                        NEWSRAFT=/path/to/newsraft NEWSBOAT_RUNS=1
#                                        KHABAR=/path/to/khabar (else built here)
#                                        KHABAR_BEFORE=/path/to/khabar
#                                        KHABAR_ALSO="label=/path ..."
#                                        BENCH_DIR=../shared/bench KEEP=1)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${BENCH_DIR:-$ROOT/../shared/bench}
[ -d "$SHARED" ] || SHARED=/work/shared/bench
PORT=${PORT:-18150}
FEEDS=${FEEDS:-500}
ITEMS=${ITEMS:-200}
RUNS=${RUNS:-3}
NEWSBOAT_RUNS=${NEWSBOAT_RUNS:-1}
NEWSRAFT=${NEWSRAFT:-$(command -v newsraft || echo /work/peers/newsraft/newsraft)}
[ -x "$NEWSRAFT" ] || { echo "newsraft not found (set NEWSRAFT=); measuring without it" >&2; NEWSRAFT=""; }
command -v newsboat >/dev/null || NEWSBOAT_RUNS=0

WORK=$(mktemp -d /tmp/khabar-peers.XXXXXX)
SERVER=""
cleanup() {
    [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null
    [ -n "${KEEP:-}" ] && echo "kept $WORK" >&2 && return
    rm -rf "$WORK"
}
trap cleanup EXIT

if [ -z "${KHABAR:-}" ]; then
    echo "building khabar (release)…" >&2
    (cd "$ROOT" && cargo build --release --quiet)
    KHABAR=${CARGO_TARGET_DIR:-$ROOT/target}/release/khabar
fi

python3 "$SHARED/genfeeds.py" "$WORK/corpus" "$FEEDS" "$ITEMS" --base "http://127.0.0.1:$PORT" >/dev/null
echo "corpus: $FEEDS feeds x $ITEMS items, $(du -sh "$WORK/corpus/feeds" | cut -f1) of XML" >&2

python3 "$SHARED/serve.py" "$WORK/corpus" "$PORT" &
SERVER=$!
for _ in $(seq 50); do
    python3 -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1',$PORT)))" && break
    sleep 0.1
done

# khabar configs: every corpus feed as a [[feed]] with its tags, by URL or as file://.
khabar_config() { # FILE URL_PREFIX
    python3 "$ROOT/bench/khabar_config.py" "$WORK/corpus/urls" --prefix "$2" > "$1"
}
khabar_config "$WORK/khabar-http.toml" ""
khabar_config "$WORK/khabar-file.toml" "file://$WORK/corpus"
# newsraft: one URL per line (the urls file's quoted words would become titles);
# default settings (download-max-connections 500, one batch transaction).
cut -d' ' -f1 "$WORK/corpus/urls" > "$WORK/newsraft.feeds"
: > "$WORK/newsraft.conf"
printf 'reload-threads 4\n' > "$WORK/newsboat.conf"

RESULTS="$WORK/results.tsv"
: > "$RESULTS"

measure() { # LABEL COMMAND...
    local label=$1; shift
    if ! /usr/bin/time -f '%e %U %S %M' -o "$WORK/time" "$@" >"$WORK/out" 2>"$WORK/err"; then
        echo "$label: failed" >&2
        tail -5 "$WORK/err" >&2
        return 0
    fi
    local wall user sys rss
    read -r wall user sys rss < "$WORK/time"
    printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$wall" "$user" "$sys" "$rss" >> "$RESULTS"
    awk -v l="$label" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" 'BEGIN {
        printf "  %-36s %6.2f s wall %6.2f s CPU (%5.2f user + %5.2f sys) %6d MB\n", l, w, u + s, u, s, r / 1024 }'
}

run_khabar() {
    run_khabar_build khabar "$KHABAR"
    [ -z "${KHABAR_BEFORE:-}" ] || run_khabar_build khabar-before "$KHABAR_BEFORE"
    for also in ${KHABAR_ALSO:-}; do
        run_khabar_build "khabar-${also%%=*}" "${also#*=}"
    done
}
run_khabar_build() { # LABEL BINARY
    rm -f "$WORK"/k.db*
    measure "$1 first" "$2" --config "$WORK/khabar-http.toml" --db "$WORK/k.db" refresh --quiet
    measure "$1 nothing changed" "$2" --config "$WORK/khabar-http.toml" --db "$WORK/k.db" refresh --quiet
}
run_khabar_file() {
    khabar_file "khabar" "$KHABAR"
    [ -z "${KHABAR_BEFORE:-}" ] || khabar_file "khabar-before" "$KHABAR_BEFORE"
    for also in ${KHABAR_ALSO:-}; do
        khabar_file "khabar-${also%%=*}" "${also#*=}"
    done
}
khabar_file() { # LABEL BINARY
    rm -f "$WORK"/kf.db*
    measure "$1 first, file://" "$2" --config "$WORK/khabar-file.toml" --db "$WORK/kf.db" refresh --quiet
    # The database the first refresh left (its checkpointer emptied the WAL).
    echo "  $1: database $(($(stat -c %s "$WORK/kf.db") / 1048576)) MB" >&2
}
run_newsraft() {
    [ -n "$NEWSRAFT" ] || return 0
    rm -f "$WORK"/nr.db*
    measure "newsraft first" "$NEWSRAFT" -f "$WORK/newsraft.feeds" -c "$WORK/newsraft.conf" -d "$WORK/nr.db" -e reload-all
    measure "newsraft nothing changed" "$NEWSRAFT" -f "$WORK/newsraft.feeds" -c "$WORK/newsraft.conf" -d "$WORK/nr.db" -e reload-all
}
run_newsboat() {
    [ "$1" -lt "$NEWSBOAT_RUNS" ] || return 0
    rm -f "$WORK"/nb.db*
    measure "newsboat first" newsboat -C "$WORK/newsboat.conf" -u "$WORK/corpus/urls" -c "$WORK/nb.db" -x reload
    measure "newsboat nothing changed" newsboat -C "$WORK/newsboat.conf" -u "$WORK/corpus/urls" -c "$WORK/nb.db" -x reload
}

for run in $(seq 0 $((RUNS - 1))); do
    echo "== run $((run + 1))/$RUNS ($(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1-3 /proc/loadavg))"
    case $((run % 3)) in
        0) run_khabar; run_newsraft; run_khabar_file ;;
        1) run_newsraft; run_khabar_file; run_khabar ;;
        2) run_khabar_file; run_khabar; run_newsraft ;;
    esac
    run_newsboat "$run"
done

echo "== summary over $RUNS runs (min-max)"
awk -F'\t' '
    { n[$1]++; cpu = $3 + $4
      if (!($1 in wmin) || $2 < wmin[$1]) wmin[$1] = $2; if ($2 > wmax[$1]) wmax[$1] = $2
      if (!($1 in cmin) || cpu < cmin[$1]) cmin[$1] = cpu; if (cpu > cmax[$1]) cmax[$1] = cpu
      if (!($1 in rmin) || $5 < rmin[$1]) rmin[$1] = $5; if ($5 > rmax[$1]) rmax[$1] = $5
      if (!($1 in seen)) { seen[$1] = 1; order[++k] = $1 } }
    END { for (i = 1; i <= k; i++) { l = order[i]
        printf "  %-36s wall %5.2f-%5.2f s  CPU %5.2f-%5.2f s  RSS %4d-%4d MB  (%d runs)\n",
            l, wmin[l], wmax[l], cmin[l], cmax[l], rmin[l] / 1024, rmax[l] / 1024, n[l] } }
' "$RESULTS"
