#!/usr/bin/env bash
# Time to the first screen with content, and peak memory while browsing, of the real
# khabar binary in a pseudo-terminal (../shared/bench/ttfp.py), next to newsboat on the
# same 100,000-item corpus in the same run.
#
#   bench/ttfp.sh            # needs: cargo build --release; cargo bench --bench tui (builds the DBs)
#
# Corpora: genfeeds.py 500 feeds x 200 items (100k) served on loopback and refreshed by
# both programs; plus the 10k/100k/500k databases benches/tui.rs builds
# ($KHABAR_TUI_BENCH_DIR, default /tmp/khabar-tui-bench).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=${BENCH:-$ROOT/../shared/bench}
[ -d "$BENCH" ] || BENCH=/work/shared/bench
WORK=${WORK:-/tmp/khabar-ttfp}
KHABAR=${KHABAR:-${CARGO_TARGET_DIR:-$ROOT/target}/release/khabar}
DBS=${KHABAR_TUI_BENCH_DIR:-/tmp/khabar-tui-bench}
PORT=${PORT:-8765}
RUNS=${RUNS:-5}
mkdir -p "$WORK"
export HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/.config" XDG_DATA_HOME="$WORK/home/.local/share"
mkdir -p "$HOME"
CONFIG="$WORK/config.toml"
printf '[general]\nmouse = false\n' > "$CONFIG"
# Keys typed after the first screen: open "All items", bottom, top, a few rows, open an
# article, back, back, quit. Peak RSS covers all of it.
BROWSE='\rGgjjjjj\rqqQ'

ttfp() { python3 "$BENCH/ttfp.py" --cols 120 --rows 40 --timeout 300 "$@"; }

# --- the shared 100k corpus, refreshed by both programs ---
C="$WORK/c100k"
if [ ! -f "$C/urls" ]; then
  python3 "$BENCH/genfeeds.py" "$C" 500 200 --base "http://127.0.0.1:$PORT"
fi
python3 "$BENCH/serve.py" "$C" "$PORT" >/dev/null 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
sleep 1
KDB="$WORK/khabar-100k.db"
if [ ! -f "$KDB" ]; then
  "$KHABAR" --config "$CONFIG" --db "$KDB" import "$C/urls"
  /usr/bin/time -f "khabar refresh (empty db): %e s, %M KB" "$KHABAR" --config "$CONFIG" --db "$KDB" refresh --quiet
fi
NB="$WORK/newsboat"
mkdir -p "$NB"
: > "$NB/config"
if [ ! -f "$NB/cache.db" ]; then
  /usr/bin/time -f "newsboat -x reload (empty cache): %e s, %M KB" \
    newsboat -u "$C/urls" -c "$NB/cache.db" -C "$NB/config" -x reload
fi
kill $SERVER 2>/dev/null || true

UNREAD=$("$KHABAR" --config "$CONFIG" --db "$KDB" unread)
echo "== khabar, genfeeds 100k corpus ($UNREAD unread), first screen with counts"
for i in $(seq "$RUNS"); do
  ttfp --until "$UNREAD unread" --quit "$BROWSE" -- "$KHABAR" --config "$CONFIG" --db "$KDB"
  UNREAD=$("$KHABAR" --config "$CONFIG" --db "$KDB" unread)
done
echo "== newsboat 2.21, same corpus, until its feed list shows"
for i in $(seq 2); do
  ttfp --until "(200/200)" --quit 'q' -- newsboat -u "$C/urls" -c "$NB/cache.db" -C "$NB/config"
done

# --- flat with size: the databases benches/tui.rs builds ---
for n in 10000 100000 500000; do
  db="$DBS/items-$n.db"
  [ -f "$db" ] || { echo "missing $db (run: cargo bench --bench tui)"; continue; }
  # Browsing marks items read, so wait for whatever the count is now.
  unread=$("$KHABAR" --config "$CONFIG" --db "$db" unread)
  echo "== khabar, $n items ($unread unread)"
  for i in $(seq "$RUNS"); do
    ttfp --until "$unread unread" --quit "$BROWSE" -- "$KHABAR" --config "$CONFIG" --db "$db"
    unread=$("$KHABAR" --config "$CONFIG" --db "$db" unread)
  done
done
