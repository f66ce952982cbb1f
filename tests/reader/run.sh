#!/usr/bin/env bash
# End-to-end check of the published reader page: publish a demo blog with
# photos through the real CLI, then open its index.html in headless Chromium
# (reader.test.mjs). Needs chromium and node (scripts/setup installs them).
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --locked --quiet --bin liveline
bin="$PWD/target/debug/liveline"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/cov.db"
photos="$PWD/../shared/photos"

"$bin" --db "$db" demo storm --entries 45 >/dev/null
i=0
for id in $("$bin" --db "$db" --json entry list storm --limit 3 | sed -n 's/^    "id": "\(.*\)",$/\1/p'); do
  i=$((i + 1))
  case $i in 1) photo=boats.jpg ;; 2) photo=forest-orient6.jpg ;; *) photo=kay-portrait.png ;; esac
  "$bin" --db "$db" photo add "$id" "$photos/$photo" --credit "Ana Ruiz/Liveline" \
    --caption "Photo $i from the coast" --alt "The coast during the storm" >/dev/null
done
"$bin" --db "$db" publish storm --out "$work/out" --page-size 20 >/dev/null

[ -d tests/reader/node_modules/puppeteer-core ] ||
  npm ci --prefix tests/reader --no-audit --no-fund --loglevel=error
timeout -k 10 120 node tests/reader/reader.test.mjs "$work/out"
