#!/usr/bin/env bash
# Sync benchmarks (issue 11): a loopback Miniflux 2.3 with 100,000 entries in 100
# feeds (a third unread, 2 % starred), then
#   1. plain HTTP: the same 100 pages of /v1/entries (1000 each, gzip) with curl,
#   2. khabar's first sync into an empty database (1 and 2 in turn, run after run),
#   3. khabar's sync with nothing new (hyperfine),
#   3b. the requests of a sync with nothing new, one by one with curl (where the
#       time of such a sync goes: the server),
#   4. khabar's sync after 30,000 entries were marked read on the server,
#   4b. khabar's sync after every one of the 100,000 entries was marked unread on
#       the server (reconciling read state for 100,000 entries), then all read,
#       each followed by the server's floor: the same requests with curl (and,
#       before it, right after a flip, the floor as khabar asks it now),
#   4c. the Google Reader API's unread ids (stream/items/ids) for comparison,
#   5. newsboat's miniflux backend (urls-source "miniflux") on the same server.
# KHABAR_BENCH_ENTRIES (default 100000), RUNS (default 3), RECONCILE_RUNS (default 1).
# usage: bench/sync.sh [PORT]   (default 18620; the feed server uses PORT+1)
# Needs `.ci/miniflux.sh all` (Miniflux, PostgreSQL with role khabar), hyperfine.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-18620}
[ -n "${KHABAR_BENCH_NO_BUILD:-}" ] || cargo build --release --quiet
khabar=$PWD/target/release/khabar
# shellcheck source=bench/miniflux_setup.sh
source bench/miniflux_setup.sh

pages=$(( (entries + 999) / 1000 ))
echo "== 1+2. plain HTTP ($pages pages of 1000 entries with curl, gzip, one after another)"
echo "        and khabar's first sync into an empty database, run after run in turn"
echo "        (the machine's load then weighs on both alike)"
plain() {
    for k in $(seq 0 $((pages - 1))); do
        curl -sf --compressed -H "X-Auth-Token: $token" -o /dev/null \
            "http://127.0.0.1:$port/v1/entries?order=id&direction=asc&after_entry_id=$((first_id + k * 1000))&limit=1000" \
            || echo "page $k: curl exit $?" >&2
    done
}
K=("$khabar" --config "$work/config.toml")
for run in $(seq "${RUNS:-3}"); do
    /usr/bin/time -f "plain HTTP run $run: %e s wall, %U s user, %S s sys (curl)" bash -c "$(declare -f plain); token=$token port=$port first_id=$first_id pages=$pages plain"
    rm -f "$work"/k$run.db*
    /usr/bin/time -f "khabar first sync run $run: %e s wall, %U s user, %S s sys, %M KB peak" \
        "${K[@]}" --db "$work/k$run.db" sync
done
echo "local items: $("${K[@]}" --db "$work/k1.db" items --limit 1000000 | wc -l), unread $("${K[@]}" --db "$work/k1.db" unread)"

echo "== 3. khabar sync with nothing new"
hyperfine -w 1 -r 10 -N "${K[*]} --db $work/k1.db sync --quiet" 2>&1 | grep -E "Time|Range"

echo "== 3b. the requests of a sync with nothing new, one by one (curl, time_total)"
cursor=$(psql_ -d "$db" -c "SELECT max(id) FROM entries")
unread_total=$(psql_ -d "$db" -c "SELECT count(*) FROM entries WHERE status='unread'")
# An empty sync asks the first four; the id sets only when an entry changed since
# they were last read (the changed_after check).
reqs=("/v1/version" "/v1/entries?changed_after=$(( $(date +%s) - 5 ))&limit=1" "/v1/feeds" "/v1/entries?order=id&direction=asc&after_entry_id=$cursor&limit=1000")
for off in $(seq 0 10000 $((unread_total - 1))); do reqs+=("/v1/entries/ids?status=unread&limit=10000&offset=$off"); done
reqs+=("/v1/entries/ids?starred=true&limit=10000&offset=0")
total=0
for r in "${reqs[@]}"; do
    t=$(curl -sf --compressed -H "X-Auth-Token: $token" -o /dev/null -w '%{time_total}' "http://127.0.0.1:$port$r")
    printf '  %6.3f s  %s\n' "$t" "$r"
    total=$(python3 -c "print($total + $t)")
done
printf '  %6.3f s  in all, one after another\n' "$total"

echo "== 4. 30,000 entries marked read on the server, then khabar sync"
psql_ -d "$db" -c "UPDATE entries SET status='read', changed_at=now() WHERE id IN (SELECT id FROM entries WHERE status='unread' ORDER BY id LIMIT 30000)" >/dev/null
/usr/bin/time -f "khabar sync after 30,000 read elsewhere: %e s wall, %U s user" "${K[@]}" --db "$work/k1.db" sync
hyperfine -w 1 -r 5 -N "${K[*]} --db $work/k1.db sync --quiet" 2>&1 | grep -E "Time|Range" | sed 's/^/  (then nothing new) /'

echo "== 4b. every entry marked unread on the server, then khabar sync (then every entry read)"
# The server's floor for the same reconciliation: the requests such a sync makes,
# asked the way it asks them (curl, concurrently where it is concurrent): login,
# then the changed-since check, subscriptions, the entries after the cursor and
# the first page of the unread, read and starred ids at once, then the rest of
# the smaller of the unread and read sets at once.
api() { curl -sf --compressed -H "X-Auth-Token: $token" -o /dev/null "http://127.0.0.1:$port$1"; }
# Waits for the requests started in the background since the last call (not for
# Miniflux and the feed server, which are background jobs of this script too).
pids=()
await() { for p in "${pids[@]}"; do wait "$p" || true; done; pids=(); }
floor() {
    local cursor u r set total
    cursor=$(psql_ -d "$db" -c "SELECT max(id) FROM entries")
    u=$(psql_ -d "$db" -c "SELECT count(*) FROM entries WHERE status='unread'")
    r=$(psql_ -d "$db" -c "SELECT count(*) FROM entries WHERE status='read'")
    if [ "$u" -le "$r" ]; then set=unread; total=$u; else set=read; total=$r; fi
    local t0 t1 t2 t3
    t0=$(date +%s.%N)
    api /v1/version
    api "/v1/entries?changed_after=$(( $(date +%s) - 3600 ))&limit=1" & pids+=($!)
    api /v1/feeds & pids+=($!); api "/v1/entries?order=id&direction=asc&after_entry_id=$cursor&limit=1000" & pids+=($!)
    api "/v1/entries/ids?status=unread&limit=10000&offset=0" & pids+=($!)
    api "/v1/entries/ids?status=read&limit=10000&offset=0" & pids+=($!)
    api "/v1/entries/ids?starred=true&limit=10000&offset=0" & pids+=($!)
    await
    t1=$(date +%s.%N)
    for off in $(seq 10000 10000 $((total - 1))); do api "/v1/entries/ids?status=$set&limit=10000&offset=$off" & pids+=($!); done
    await
    t2=$(date +%s.%N)
    # For comparison: the old way, every page of the unread ids at once.
    for off in $(seq 0 10000 $((u - 1))); do api "/v1/entries/ids?status=unread&limit=10000&offset=$off" & pids+=($!); done
    await
    t3=$(date +%s.%N)
    python3 -c "print(f'  server floor ($set ids, {max(0, ($total - 1) // 10000)} more pages): {$t2 - $t0:.2f} s (first pages {$t1 - $t0:.2f} s); every unread page ({($u + 9999) // 10000}): {$t3 - $t2:.2f} s')"
}
# The server's floor as khabar asks it since branch sync13, after a flip of
# every entry to $status: login and subscriptions, then (alongside the entries
# after the cursor) the first look at the newest 100 entries' changes (every
# one changed, and the entry it returns is $status: khabar leans that way),
# then the $status ids' first page and the starred ids at once. The $status
# set then counts every entry held, so nothing else is asked. "set alone" is
# the last step: Miniflux's own cost, which no client can go under.
floor_now() {
    local cursor t0 tp t1
    cursor=$(psql_ -d "$db" -c "SELECT max(id) FROM entries")
    t0=$(date +%s.%N)
    api /v1/version
    api /v1/feeds
    api "/v1/entries?order=id&direction=asc&after_entry_id=$cursor&limit=1000" & pids+=($!)
    api "/v1/entries?changed_after=$(( $(date +%s) - 3600 ))&after_entry_id=$((cursor - 100))&limit=1"
    tp=$(date +%s.%N)
    api "/v1/entries/ids?status=$status&limit=10000&offset=0" & pids+=($!)
    api "/v1/entries/ids?starred=true&limit=10000&offset=0" & pids+=($!)
    await
    t1=$(date +%s.%N)
    python3 -c "print(f'  server floor now ($status ids alone, with the starred ids): {$t1 - $t0:.2f} s; set alone {$t1 - $tp:.2f} s')"
}
# RECONCILE_RUNS (default 1): how many times the pair (all unread, all read) runs,
# on the same server and database (the 100,000-entry setup is the slow part).
# The server's floor is timed twice: right after a flip, as khabar meets it (the
# first queries over 100,000 freshly updated rows cost the server more), and
# after khabar's sync, as before.
for rrun in $(seq "${RECONCILE_RUNS:-1}"); do
for status in unread read; do
psql_ -d "$db" -c "UPDATE entries SET status='$status', changed_at=now()" >/dev/null
echo "  (cold: right after the flip)"; floor
psql_ -d "$db" -c "UPDATE entries SET status='$status', changed_at=now()" >/dev/null
echo "  (cold: right after the flip)"; floor_now
psql_ -d "$db" -c "UPDATE entries SET status='$status', changed_at=now()" >/dev/null
: >"$work/khabar.log"
/usr/bin/time -o "$work/time" -f "%e %U %S" env KHABAR_LOG=khabar=debug "${K[@]}" --db "$work/k1.db" sync
python3 bench/sync_timeline.py "$work/time" "$work/khabar.log" \
    "khabar sync, $entries entries $status on the server (pair $rrun)"
floor
done
done
echo "== 4c. the Google Reader API of the same server: its unread ids (stream/items/ids, 10,000 a page), for comparison"
psql_ -d "$db" -c "UPDATE integrations SET googlereader_enabled='t', googlereader_username='admin', googlereader_password=(SELECT password FROM users WHERE username='admin')" >/dev/null
psql_ -d "$db" -c "UPDATE entries SET status = (CASE WHEN (id - $first_id) % 3 = 0 THEN 'unread' ELSE 'read' END)::entry_status, changed_at=now()" >/dev/null
auth=$(curl -sf "http://127.0.0.1:$port/accounts/ClientLogin" -d Email=admin -d Passwd=bench-pass-1 | sed -n 's/^Auth=//p')
gr() { curl -sf --compressed -H "Authorization: GoogleLogin auth=$auth" "http://127.0.0.1:$port/reader/api/0/$1"; }
t0=$(date +%s.%N); c=0; n=0
while :; do
    page=$(gr "stream/items/ids?output=json&s=user/-/state/com.google/reading-list&xt=user/-/state/com.google/read&n=10000&c=$c")
    n=$((n + 1))
    c=$(printf '%s' "$page" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("continuation") or 0)')
    [ "$c" = 0 ] && break
done
t1=$(date +%s.%N)
t2=$(date +%s.%N)
for off in $(seq 0 10000 33333); do api "/v1/entries/ids?status=unread&limit=10000&offset=$off"; done
t3=$(date +%s.%N)
python3 -c "print(f'  Google Reader unread ids: {$n} pages one after another, {$t1 - $t0:.2f} s; /v1/entries/ids the same set one after another: {$t3 - $t2:.2f} s')"
# Back to the first state for step 5: every third entry unread.
psql_ -d "$db" -c "UPDATE entries SET status = (CASE WHEN (id - $first_id) % 3 = 0 THEN 'unread' ELSE 'read' END)::entry_status, changed_at=now()" >/dev/null
"${K[@]}" --db "$work/k1.db" sync --quiet

echo "== 5. newsboat's miniflux backend on the same server"
mkdir -p "$work/nb"
cat >"$work/nb/config" <<CONF
urls-source "miniflux"
miniflux-url "http://127.0.0.1:$port/"
miniflux-login "admin"
miniflux-password "bench-pass-1"
reload-threads 4
CONF
: >"$work/nb/urls"
/usr/bin/time -o "$work/nb/time" -f "newsboat -x reload: %e s wall, %U s user, %S s sys, %M KB peak" \
    newsboat -C "$work/nb/config" -u "$work/nb/urls" -c "$work/nb/cache.db" -x reload >/dev/null 2>&1 || echo "newsboat failed"
cat "$work/nb/time"
echo "newsboat items: $(sqlite3 "$work/nb/cache.db" 'SELECT count(*) FROM rss_item'), unread $(sqlite3 "$work/nb/cache.db" 'SELECT count(*) FROM rss_item WHERE unread = 1'); server: $(psql_ -d "$db" -c 'SELECT count(*) FROM entries') entries, unread $(psql_ -d "$db" -c "SELECT count(*) FROM entries WHERE status='unread'")"
echo "khabar (same server, same moment): items $("${K[@]}" --db "$work/k1.db" items --limit 1000000 | wc -l), unread $("${K[@]}" --db "$work/k1.db" unread)"
if [ -n "${KHABAR_BENCH_KEEP:-}" ]; then
    trap - EXIT
    echo "kept: Miniflux pid $mf_pid on port $port, token $token, database $db, work $work"
fi
