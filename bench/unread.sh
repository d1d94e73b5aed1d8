#!/bin/sh
# `khabar unread` end to end (process start to exit) on the 500,000-item database
# that `cargo bench --bench store` builds. Target: at most 20 ms.
# Usage: bench/unread.sh        (needs hyperfine; builds the database if missing)
set -eu
cd "$(dirname "$0")/.."
TARGET=${CARGO_TARGET_DIR:-target}
DB=${KHABAR_BENCH_DB:-${TMPDIR:-/tmp}/khabar-bench-500k.db}
export KHABAR_BENCH_DB="$DB"
if [ ! -f "$DB" ]; then
    # The store benchmark builds the database on first use (about a minute).
    cargo bench --bench store -- count/unread_count
fi
cargo build --release --quiet
echo "database: $DB ($(du -h "$DB" | cut -f1))"
"$TARGET/release/khabar" --db "$DB" unread
hyperfine -N --warmup 10 --runs 200 "$TARGET/release/khabar --db $DB unread"
