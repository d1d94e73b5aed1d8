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
# shellcheck source=bench/miniflux_setup.sh
source bench/miniflux_setup.sh

cat >"$work/config.toml" <<CONF
feed = []
[sync]
provider = "miniflux"
url = "http://127.0.0.1:$port"
token = "$token"
CONF
chmod 600 "$work/config.toml"
/usr/bin/time -f "before: first sync %e s wall, %U s user" \
    "$before" --config "$work/config.toml" --db "$work/before.db" sync
cp "$work/before.db" "$work/after.db"
/usr/bin/time -f "after: opening the before database (migration) and a sync with nothing new: %e s wall, %U s user" \
    "$after" --config "$work/config.toml" --db "$work/after.db" sync

timed_sync() { # NAME BIN STATUS ROUND
    : >"$work/khabar.log"
    /usr/bin/time -o "$work/time" -f "%e %U %S" env KHABAR_LOG=khabar=debug \
        "$2" --config "$work/config.toml" --db "$work/$1.db" sync --quiet
    python3 - "$work/time" "$work/khabar.log" "$1" "$3" "$4" <<'PY'
import sys, datetime
wall, user, sys_ = open(sys.argv[1]).read().split()[-3:]
at = lambda line: datetime.datetime.fromisoformat(line.split()[0].rstrip("Z")).timestamp()
lines = open(sys.argv[2]).read().splitlines()
asked = next(at(l) for l in lines if "reading the id sets" in l)
got = next(at(l) for l in lines if "sets: read the id sets" in l)
ahead = next((at(l) for l in lines if "reconciled ahead of the sets" in l), None)
kept = any("confirmed the changes written ahead" in l for l in lines)
written = (f"; written ahead {ahead - asked:.2f} s after asking "
           f"({'kept' if kept else 'rolled back'})") if ahead is not None else ""
print(f"{sys.argv[3]:>6} round {sys.argv[5]} (to {sys.argv[4]}): {float(wall):.2f} s wall, "
      f"{user} s user, {sys_} s sys; id sets asked to in hand {got - asked:.2f} s{written}; "
      f"after them {float(wall) - (got - asked):.2f} s")
PY
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
