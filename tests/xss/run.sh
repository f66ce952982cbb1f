#!/usr/bin/env bash
# XSS suite: every payload of tests/xss/payloads.txt through every text field
# of a blog, published with the real CLI; checks feed.json, liveblog.jsonld
# and index.html (in headless Chromium). Needs chromium and node (scripts/setup
# installs them); puppeteer-core comes from tests/reader's node_modules.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --locked --quiet --bin liveline
[ -d tests/reader/node_modules/puppeteer-core ] ||
  npm ci --prefix tests/reader --no-audit --no-fund --loglevel=error
timeout -k 10 330 node tests/xss/xss.test.mjs "$PWD/target/debug/liveline"
