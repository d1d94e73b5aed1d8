#!/usr/bin/env bash
# Reconciling read state for 100,000 entries (issue 11), two khabar binaries
# against the same loopback Miniflux in the same run: BEFORE's first sync fills
# a database; a copy of it is opened once by AFTER (which migrates it, timed:
# the upgrade a user's first run pays) and synced with nothing new. Then, ROUNDS
# times, every entry is flipped on the server (to unread, then to read, …), the
# server's table vacuumed, and both binaries sync, in alternating order (the
# second one meets a server the first one warmed). Each sync runs with a debug
# log, split as bench/sync.sh does: asking for the id sets to having them in
# hand (the server, and the local write made ahead meanwhile), then the rest.
#
# With COLD=1 the table is not vacuumed: the syncs meet the server right after
# its mass UPDATE (dead rows, unset hint bits), as bench/sync.sh's 4b does.
#
# usage: bench/sync_ab.sh BEFORE_BIN AFTER_BIN [PORT]   (env: ROUNDS, default 6; COLD)
# Needs `.ci/miniflux.sh all` (Miniflux, PostgreSQL with role khabar).
set -euo pipefail
cd "$(dirname "$0")/.."
before=$(realpath "$1")
after=$(realpath "$2")
port=${3:-18640}
bench=$PWD/bench
# shellcheck source=bench/miniflux_setup.sh
source bench/miniflux_setup.sh

/usr/bin/time -f "before: first sync %e s wall, %U s user" \
    "$before" --config "$work/config.toml" --db "$work/before.db" sync
cp "$work/before.db" "$work/after.db"
# The copy's 200 MB on disk first: the sync's own disk sync would otherwise wait for them.
sync "$work/after.db"
/usr/bin/time -f "after: opening the before database (migration) and a sync with nothing new: %e s wall, %U s user" \
    "$after" --config "$work/config.toml" --db "$work/after.db" sync

timed_sync() { # NAME BIN STATUS ROUND
    : >"$work/khabar.log"
    /usr/bin/time -o "$work/time" -f "%e %U %S" env KHABAR_LOG=khabar=debug \
        "$2" --config "$work/config.toml" --db "$work/$1.db" sync --quiet
    python3 "$bench/sync_timeline.py" "$work/time" "$work/khabar.log" \
        "$(printf '%6s' "$1") round $4 (to $3)"
}
cd "$work"
for round in $(seq "${ROUNDS:-6}"); do
    status=$([ $((round % 2)) = 1 ] && echo unread || echo read)
    psql_ -d "$db" -c "UPDATE entries SET status='$status', changed_at=now()" >/dev/null
    [ -n "${COLD:-}" ] || psql_ -d "$db" -c "VACUUM ANALYZE entries" >/dev/null
    if [ $((round % 4)) -lt 2 ]; then order="before after"; else order="after before"; fi
    for name in $order; do
        bin=$before; [ "$name" = after ] && bin=$after
        timed_sync "$name" "$bin" "$status" "$round"
    done
done
