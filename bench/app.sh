#!/usr/bin/env bash
# Desktop app figures for docs/perf.md: cold start to an interactive timeline
# of a 10,000-entry blog, RSS of all app processes with it open, and Publish
# to the feed on disk (bench/app.mjs), and the same memory figure for an
# empty WebKitGTK window. Release build by default; PROFILE=debug
# measures the debug build the tests use.
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${PROFILE:-release}"
runs="${RUNS:-5}"
npm ci --prefix ui --no-audit --no-fund --loglevel=error
[ -d tests/e2e/node_modules/webdriverio ] || npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error
if [ "$profile" = release ]; then
  ui/node_modules/.bin/tauri build --no-bundle
  cargo build --release --locked --quiet --bin liveline
else
  ui/node_modules/.bin/tauri build --debug --no-bundle
  cargo build --locked --quiet --bin liveline
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"target/$profile/liveline" --db "$work/bench.db" demo storm --entries "${ENTRIES:-10000}" >/dev/null
timeout -k 10 600 xvfb-run -a -s "-screen 0 1280x800x24" \
  node bench/app.mjs "$PWD/target/$profile/liveline-app" "$work/bench.db" "$work/site" "$runs"
# What WebKitGTK costs before any app code: the floor of the memory figure.
timeout -k 10 600 xvfb-run -a -s "-screen 0 1280x800x24" node bench/app.mjs --floor "$runs"
