"""One `khabar sync` split by its own debug log (used by bench/sync.sh and
bench/sync_ab.sh): from asking for the id sets to having them in hand is the
server's part; the rest of the wall time is khabar's.

usage: sync_timeline.py TIME_FILE LOG_FILE PREFIX
TIME_FILE holds `/usr/bin/time -f "%e %U %S"`; LOG_FILE is the sync's log at
`KHABAR_LOG=khabar=debug`.
"""
import datetime
import sys

wall, user, sys_ = open(sys.argv[1]).read().split()[-3:]


def at(line):
    return datetime.datetime.fromisoformat(line.split()[0].rstrip("Z")).timestamp()


lines = open(sys.argv[2]).read().splitlines()
asked = next(at(l) for l in lines if "reading the id sets" in l)
got = next(at(l) for l in lines if "sets: read the id sets" in l)
ahead = next((at(l) for l in lines if "reconciled ahead of the sets" in l), None)
kept = any("confirmed the changes written ahead" in l for l in lines)
server = got - asked
# With the local write made ahead of the sets (src/sync/ahead.rs), the sets are
# in hand only once that write is done too: "asked to in hand" is then the
# longer of the two, and what follows is the commit and the exit.
written = (
    f"; written ahead {ahead - asked:.2f} s after asking ({'kept' if kept else 'rolled back'})"
    if ahead is not None
    else ""
)
print(
    f"{sys.argv[3]}: {float(wall):.2f} s wall, {user} s user, {sys_} s sys; "
    f"id sets asked to in hand {server:.2f} s{written}; after them {float(wall) - server:.2f} s"
)
