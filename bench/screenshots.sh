#!/usr/bin/env bash
# Pictures of the real reader for the README: builds khabar, runs each scene of
# docs/screenshots/scenes.tsv in tmux on --demo data, and writes NAME.txt and
# NAME.svg into docs/screenshots/, or into the folder given as the only argument
# (CI makes them afresh there and checks them; see bench/screenshots.py).
# Needs tmux (apt-get install tmux) and Python 3; Rich is installed into a
# virtualenv under target/ on first use.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v tmux >/dev/null || { echo "screenshots.sh: needs tmux (apt-get install tmux)" >&2; exit 1; }
venv=target/screenshots-venv
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet 'rich>=13,<16'
fi
out="${1:-docs/screenshots}"
mkdir -p "$out"
cargo build --quiet --bin khabar
"$venv/bin/python" bench/screenshots.py target/debug/khabar docs/screenshots/scenes.tsv "$out"
