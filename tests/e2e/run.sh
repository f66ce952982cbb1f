#!/usr/bin/env bash
# End-to-end tests of the real desktop app: the debug binary with its UI
# built in (`tauri build --debug --no-bundle`), driven through WebKit's
# WebDriver under a virtual display. Needs xvfb-run and WebKitWebDriver
# (scripts/setup installs them) and ../shared/photos.
set -euo pipefail
cd "$(dirname "$0")/../.."
app="$PWD/target/debug/liveline-app"
[ -x "$app" ] || { echo "e2e: $app is missing: run 'ui/node_modules/.bin/tauri build --debug --no-bundle'" >&2; exit 1; }
[ -d tests/e2e/node_modules/webdriverio ] ||
  npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error
# A hung session must not hang CI.
timeout -k 10 300 xvfb-run -a -s "-screen 0 1280x800x24" \
  node tests/e2e/app.e2e.mjs "$app" "$PWD/../shared/photos"
