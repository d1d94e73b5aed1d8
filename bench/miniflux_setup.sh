# Sourced by bench/sync.sh and bench/sync_ab.sh: a loopback Miniflux 2.3 on
# port $port with PostgreSQL (`.ci/miniflux.sh all`), 100 feeds served on
# $port+1, and $entries entries (a third unread, 2 % starred) written straight
# into the server's database. Leaves $work, $db, $token, $first_id, psql_,
# $work/config.toml (khabar synced with that server) and a cleanup trap
# (Miniflux, the feed server, the database, $work).
feeds_port=$((port + 1))
entries=${KHABAR_BENCH_ENTRIES:-100000}
work=$(mktemp -d /tmp/khabar-sync-bench.XXXXXX)
db=khabar_bench_$$
export PGPASSWORD=khabar
psql_() { psql -h 127.0.0.1 -U khabar -qtA "$@"; }
mf=$(ls -d "${KHABAR_MINIFLUX_DIR:-/var/tmp/khabar-miniflux}"/2.3.*/usr/bin/miniflux | sort -V | tail -n1)
cleanup() {
    [ -n "${mf_pid:-}" ] && kill "$mf_pid" 2>/dev/null || true
    [ -n "${srv_pid:-}" ] && kill "$srv_pid" 2>/dev/null || true
    sleep 0.5
    psql_ -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT


echo "== setting up Miniflux ($("$mf" -version)) with $entries entries"
psql_ -d postgres -c "CREATE DATABASE $db" >/dev/null
DATABASE_URL="postgres://khabar:khabar@127.0.0.1/$db?sslmode=disable" RUN_MIGRATIONS=1 \
CREATE_ADMIN=1 ADMIN_USERNAME=admin ADMIN_PASSWORD=bench-pass-1 \
LISTEN_ADDR=127.0.0.1:$port POLLING_FREQUENCY=1440 FETCHER_ALLOW_PRIVATE_NETWORKS=1 \
    "$mf" >"$work/miniflux.log" 2>&1 &
mf_pid=$!
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/healthcheck" >/dev/null && break; sleep 0.1; done
# 100 small feeds to subscribe to; the entries themselves go straight into the
# server's database (Miniflux would take minutes to fetch 100,000 items).
mkdir -p "$work/feeds"
for i in $(seq 100); do
    printf '<?xml version="1.0"?><rss version="2.0"><channel><title>Feed %s</title><link>http://example.org/%s</link><description>d</description></channel></rss>' "$i" "$i" >"$work/feeds/$i.xml"
done
(cd "$work/feeds" && exec python3 -m http.server "$feeds_port" --bind 127.0.0.1 >/dev/null 2>&1) &
srv_pid=$!
sleep 1
token=benchtoken$$
psql_ -d "$db" -c "INSERT INTO api_keys (user_id, token, description) SELECT id, '$token', 'bench' FROM users WHERE username='admin'" >/dev/null
cat_id=$(curl -sf -H "X-Auth-Token: $token" "http://127.0.0.1:$port/v1/categories" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
for i in $(seq 100); do
    curl -sf -H "X-Auth-Token: $token" -X POST "http://127.0.0.1:$port/v1/feeds" \
        -d "{\"feed_url\":\"http://127.0.0.1:$feeds_port/$i.xml\",\"category_id\":$cat_id}" >/dev/null
done
psql_ -d "$db" >/dev/null <<SQL
INSERT INTO entries (user_id, feed_id, hash, published_at, title, url, author, content, status, starred, changed_at)
SELECT u.id, f.ids[1 + (g % 100)], md5(g::text), now() - (g || ' minutes')::interval,
       'Entry ' || g || ' — خبر شماره ' || g, 'http://example.org/entry/' || g, 'Bench ' || (g % 7),
       '<p>' || repeat('Paragraph of entry ' || g || '. متن فارسی خبر برای آزمایش همگام‌سازی. ', 12) || '</p>',
       (CASE WHEN g % 3 = 0 THEN 'unread' ELSE 'read' END)::entry_status, g % 50 = 0, now()
FROM generate_series(1, $entries) g,
     (SELECT id FROM users WHERE username = 'admin') u,
     (SELECT array_agg(id ORDER BY id) AS ids FROM feeds) f;
ANALYZE entries;
SQL
first_id=$(psql_ -d "$db" -c "SELECT min(id) - 1 FROM entries")
echo "entries on the server: $(psql_ -d "$db" -c 'SELECT count(*) FROM entries'), unread $(psql_ -d "$db" -c "SELECT count(*) FROM entries WHERE status='unread'"), starred $(psql_ -d "$db" -c 'SELECT count(*) FROM entries WHERE starred')"
cat >"$work/config.toml" <<CONF
feed = []
[sync]
provider = "miniflux"
url = "http://127.0.0.1:$port"
token = "$token"
CONF
chmod 600 "$work/config.toml"
