#!/usr/bin/env bash
# A/B of two builds of the `liveline` CLI on the hot paths a build profile
# can slow down (docs/perf.md, "Linux packages"): photo import of
# beach-5k.jpg and boats.jpg, and a full publish of a 10,000-entry blog.
# Runs alternate between the builds; prints the median of RUNS (default 5)
# for each, and each binary's size.
#
# bench/compare-builds.sh OLD_LIVELINE NEW_LIVELINE
set -euo pipefail
cd "$(dirname "$0")/.."
old=$(realpath "$1")
new=$(realpath "$2")
photos="${PHOTOS:-$PWD/../shared/photos}"
runs="${RUNS:-5}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); awk "BEGIN{print $e - $s}"; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

import() { # BIN PHOTO: a fresh database each time (no dedupe)
  local db="$work/db-$RANDOM$RANDOM/cov.db" entry
  "$1" --db "$db" blog create Bench --slug bench --timezone UTC >/dev/null
  entry=$("$1" --db "$db" --json entry add bench --title Photo | sed -n 's/^  "id": "\(.*\)",$/\1/p')
  seconds "$1" --db "$db" photo add "$entry" "$2" --credit Bench
}
publish() { # BIN: a full publish into a new folder
  seconds "$1" --db "$work/demo.db" publish storm --out "$work/site-$RANDOM$RANDOM"
}

"$old" --db "$work/demo.db" demo storm --entries 10000 >/dev/null
printf '%-34s %10s %10s\n' "" old new
printf '%-34s %10s %10s\n' "binary size (bytes)" "$(stat -c %s "$old")" "$(stat -c %s "$new")"
for what in "import beach-5k.jpg" "import boats.jpg" "publish 10,000 entries (full)"; do
  : >"$work/a"
  : >"$work/b"
  for _ in $(seq "$runs"); do
    case $what in
      "import beach-5k.jpg") import "$old" "$photos/beach-5k.jpg" >>"$work/a"; import "$new" "$photos/beach-5k.jpg" >>"$work/b" ;;
      "import boats.jpg") import "$old" "$photos/boats.jpg" >>"$work/a"; import "$new" "$photos/boats.jpg" >>"$work/b" ;;
      *) publish "$old" >>"$work/a"; publish "$new" >>"$work/b" ;;
    esac
  done
  printf '%-34s %9.3fs %9.3fs\n' "$what (median of $runs)" "$(median <"$work/a")" "$(median <"$work/b")"
done
