#!/usr/bin/env bash
# Installs real Miniflux servers and starts PostgreSQL for khabar's sync tests.
#
#   .ci/miniflux.sh install    Miniflux 2.2.x (Debian trixie) and 2.3.x (Debian sid),
#                              unpacked under $KHABAR_MINIFLUX_DIR (default
#                              /var/tmp/khabar-miniflux/<version>/usr/bin/miniflux)
#   .ci/miniflux.sh postgres   installs PostgreSQL if missing, starts it on 127.0.0.1,
#                              creates the role `khabar` (password `khabar`, CREATEDB)
#   .ci/miniflux.sh all        both
#
# Debian 12 has no miniflux package. The .deb comes from the Debian archive through
# apt with a throwaway sources list and state directory, so the system's own apt
# configuration is untouched, and is unpacked with `dpkg-deb -x` (no maintainer
# scripts run). The binary needs only libc >= 2.34, which bookworm has.
set -euo pipefail

dir=${KHABAR_MINIFLUX_DIR:-/var/tmp/khabar-miniflux}

install_miniflux() {
    mkdir -p "$dir"
    if ls "$dir"/2.2.*/usr/bin/miniflux "$dir"/2.3.*/usr/bin/miniflux >/dev/null 2>&1; then
        return 0
    fi
    local apt="$dir/apt"
    mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/debs"
    local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
    local mirror=http://deb.debian.org/debian
    # Use the machine's own Debian mirror when it names one.
    local own
    own=$(grep -rhoE 'https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null \
          | grep -v security | head -n1 | tr -d ' ' || true)
    [ -n "$own" ] && mirror=${own%/}
    cat >"$apt/sources.list" <<SRC
deb [signed-by=$keyring] $mirror trixie main
deb [signed-by=$keyring] $mirror sid main
SRC
    local opts=(-o "Dir::Etc::SourceList=$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
                -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache"
                -o Acquire::IndexTargets::deb::DEP-11::DefaultEnabled=false
                -o Acquire::IndexTargets::deb::DEP-11-icons::DefaultEnabled=false
                -o Acquire::IndexTargets::deb::DEP-11-icons-small::DefaultEnabled=false
                -o Acquire::IndexTargets::deb::DEP-11-icons-hidpi::DefaultEnabled=false
                -o Acquire::Languages=none -o APT::Sandbox::User=root)
    apt-get "${opts[@]}" -qq update
    local versions
    versions=$(apt-cache "${opts[@]}" madison miniflux | awk -F'|' '{gsub(/ /,"",$2); print $2}')
    local v22 v23
    v22=$(echo "$versions" | grep '^2\.2\.' | sort -V | tail -n1)
    v23=$(echo "$versions" | grep '^2\.3\.' | sort -V | tail -n1)
    [ -n "$v22" ] || { echo "miniflux.sh: no Miniflux 2.2.x in the archive" >&2; exit 1; }
    for v in $v22 $v23; do
        (cd "$apt/debs" && apt-get "${opts[@]}" -qq download "miniflux=$v")
        local short=${v%%-*}
        rm -rf "$dir/$short.tmp"
        dpkg-deb -x "$apt/debs/miniflux_${v/:/%3a}_"*.deb "$dir/$short.tmp"
        rm -rf "${dir:?}/$short"
        mv "$dir/$short.tmp" "$dir/$short"
        echo "miniflux.sh: Miniflux $short in $dir/$short/usr/bin/miniflux"
    done
}

start_postgres() {
    if ! command -v pg_lsclusters >/dev/null 2>&1; then
        if [ -e /tmp/apt.lock ] || command -v flock >/dev/null 2>&1; then
            flock /tmp/apt.lock sh -c 'apt-get update -qq && apt-get install -y -qq postgresql' >/dev/null
        else
            (apt-get update -qq && apt-get install -y -qq postgresql) >/dev/null
        fi
    fi
    local cluster
    cluster=$(pg_lsclusters -h | awk 'NR==1 {print $1" "$2}')
    if [ -z "$cluster" ]; then
        local ver
        ver=$(ls /usr/lib/postgresql | sort -V | tail -n1)
        pg_createcluster "$ver" main >/dev/null
        cluster="$ver main"
    fi
    # shellcheck disable=SC2086
    if ! pg_lsclusters -h | awk 'NR==1 {print $4}' | grep -q online; then
        pg_ctlcluster $cluster start
    fi
    for _ in $(seq 50); do
        pg_isready -q -h 127.0.0.1 && break
        sleep 0.2
    done
    su postgres -c "psql -qtA -c \"SELECT 1 FROM pg_roles WHERE rolname='khabar'\"" | grep -q 1 \
        || su postgres -c "psql -q -c \"CREATE ROLE khabar LOGIN CREATEDB PASSWORD 'khabar'\""
}

case "${1:-all}" in
    install) install_miniflux ;;
    postgres) start_postgres ;;
    all) install_miniflux; start_postgres ;;
    *) echo "usage: $0 install|postgres|all" >&2; exit 2 ;;
esac
