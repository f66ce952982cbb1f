#!/usr/bin/env bash
# Photo import speed, Liveline against libvips, in one run (docs/perf.md).
#
# For beach-5k.jpg (5120x2880) and boats.jpg (2560x1600) it times:
#   - `liveline photo add` into a fresh database: check, decode once, ten
#     renditions (5 widths x JPEG + WebP), ThumbHash, files and database row;
#   - one `vipsthumbnail` call making only the 2048-wide JPEG;
#   - ten `vipsthumbnail` calls, one per rendition, as a user would.
# Best of 3 wall-clock runs each, and peak RSS. Needs libvips-tools (installed
# with apt when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
photos="${PHOTOS:-$PWD/../shared/photos}"
runs="${RUNS:-3}"

need=()
command -v vipsthumbnail >/dev/null 2>&1 || need+=(libvips-tools)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
fi
cargo build --release --locked --quiet
bin="$PWD/target/release/liveline"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# best_of CMD...: prints "seconds peak_kb" of the fastest of $runs runs.
best_of() {
  local best="" best_kb=0
  for _ in $(seq "$runs"); do
    "$@" >/dev/null 2>"$work/time" || { cat "$work/time" >&2; return 1; }
    read -r secs kb < <(tail -1 "$work/time")
    if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; fi
    [ "$kb" -gt "$best_kb" ] && best_kb=$kb
  done
  echo "$best $best_kb"
}
timed() { /usr/bin/time -f "%e %M" "$@"; }

liveline_import() { # fresh database each time: no dedupe
  local db="$work/db-$RANDOM$RANDOM/cov.db"
  "$bin" --db "$db" blog create Bench --slug bench --timezone UTC >/dev/null
  local entry
  entry=$("$bin" --db "$db" --json entry add bench --title Photo | sed -n 's/^  "id": "\(.*\)",$/\1/p')
  timed "$bin" --db "$db" photo add "$entry" "$1" --credit Bench
}
vips_one() { timed vipsthumbnail "$1" -s 2048x -o "$work/one.jpg[Q=82,strip]"; }
vips_ten() {
  local start end
  start=$(date +%s.%N)
  for w in 2048 1600 1024 640 320; do
    /usr/bin/time -f "%e %M" -a -o "$work/ten" vipsthumbnail "$1" -s "${w}x" -o "$work/r$w.jpg[Q=82,interlace,strip]"
    /usr/bin/time -f "%e %M" -a -o "$work/ten" vipsthumbnail "$1" -s "${w}x" -o "$work/r$w.webp[Q=80,strip]"
  done
  end=$(date +%s.%N)
  echo "$(awk "BEGIN{print $end - $start}") $(sort -k2 -n "$work/ten" | tail -1 | cut -d' ' -f2)" >&2
  rm -f "$work/ten"
}

printf '%-13s %-34s %9s %10s\n' photo step seconds "peak RSS"
for name in beach-5k.jpg boats.jpg; do
  file="$photos/$name"
  read -r ours ours_kb < <(best_of liveline_import "$file")
  read -r one one_kb < <(best_of vips_one "$file")
  read -r ten ten_kb < <(best_of vips_ten "$file")
  printf '%-13s %-34s %9.3f %7d MB\n' "$name" "liveline photo add (10 renditions)" "$ours" $((ours_kb / 1024))
  printf '%-13s %-34s %9.3f %7d MB\n' "$name" "vipsthumbnail, 2048 JPEG only" "$one" $((one_kb / 1024))
  printf '%-13s %-34s %9.3f %7d MB\n' "$name" "vipsthumbnail x10, one per rendition" "$ten" $((ten_kb / 1024))
  awk -v o="$ours" -v a="$one" -v t="$ten" -v n="$name" \
    'BEGIN { printf "%-13s ours / one vips call = %.2f; ten vips calls / ours = %.1fx\n", n, o / a, t / o }'
done
