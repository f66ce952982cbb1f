#!/usr/bin/env bash
# The Linux packages as a user gets them: builds the .deb and the .rpm
# (scripts/package, the README's build step), checks their metadata and
# files, installs the .deb, runs the installed CLI and drives the installed
# app under Xvfb, then removes the package and checks that it left nothing
# in the system directories (the user's data stays).
# Installs and removes the package `liveline`: root, or sudo.
# Ends with "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/../.."

passed=0
failed=0
ok() { echo "ok    $1"; passed=$((passed + 1)); }
fail() { echo "FAIL  $1"; failed=$((failed + 1)); }
# check NAME COMMAND...: one test, passed when the command succeeds.
check() {
  local name=$1
  shift
  if "$@"; then ok "$name"; else fail "$name"; fi
}
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
has_line() { grep -qxF -- "$2" <<<"$1"; }

version=$(awk -F'"' '/^\[workspace.package\]/ { w = 1 } w && /^version/ { print $2; exit }' Cargo.toml)
deb="target/release/bundle/deb/Liveline_${version}_amd64.deb"
rpm="target/release/bundle/rpm/Liveline-${version}-1.x86_64.rpm"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== build (scripts/package)"
rm -f "$deb" "$rpm"
bash scripts/package >"$work/build.log" 2>&1 || { tail -40 "$work/build.log"; fail "the packages build"; }
if [ ! -f "$deb" ] || [ ! -f "$rpm" ]; then
  fail "scripts/package made $deb and $rpm"
  echo "$passed passed, $failed failed"
  exit 1
fi
ok "scripts/package builds $deb and $rpm"
echo "      sizes: .deb $(stat -c %s "$deb") bytes, .rpm $(stat -c %s "$rpm") bytes"

echo "== package metadata and files"
fields=$(dpkg-deb -f "$deb" Package Version Depends Homepage Description)
check ".deb is package liveline $version" grep -qx "Package: liveline" <<<"$fields"
check ".deb version is the workspace's" grep -qx "Version: $version" <<<"$fields"
check ".deb depends on WebKitGTK 4.1 and GTK 3" grep -Eq "^Depends: .*libwebkit2gtk-4\.1-0.*libgtk-3-0|^Depends: .*libgtk-3-0.*libwebkit2gtk-4\.1-0" <<<"$fields"
check ".deb's files are xz-compressed (scripts/deb-xz)" bash -c 'ar t "$1" | grep -qx data.tar.xz' _ "$deb"
check ".deb has the homepage and description" grep -q "^Homepage: https://" <<<"$fields"
# dpkg-deb -c lists paths as "usr/bin/x" or "./usr/bin/x", by dpkg version.
deb_files=$(dpkg-deb -c "$deb" | awk '{ print $6 }' | sed -e 's|^\./||' -e 's|^|/|')
for f in /usr/bin/liveline /usr/bin/liveline-app /usr/share/applications/Liveline.desktop \
         /usr/share/icons/hicolor/128x128/apps/liveline-app.png; do
  check ".deb installs $f" has_line "$deb_files" "$f"
done
rpm_info=$(rpm -qip "$rpm" 2>/dev/null)
check ".rpm is package liveline" grep -Eq "^Name +: liveline$" <<<"$rpm_info"
check ".rpm version is the workspace's" grep -Eq "^Version +: $version$" <<<"$rpm_info"
check ".rpm has licence, URL and summary" \
  bash -c 'grep -Eq "^License +: MIT OR Apache-2.0" <<<"$1" && grep -Eq "^URL +: https://" <<<"$1" && grep -Eq "^Summary +: ." <<<"$1"' _ "$rpm_info"
rpm_files=$(rpm -qlp "$rpm" 2>/dev/null)
for f in /usr/bin/liveline /usr/bin/liveline-app /usr/share/applications/Liveline.desktop; do
  check ".rpm installs $f" has_line "$rpm_files" "$f"
done

echo "== install the .deb"
if dpkg -s liveline >/dev/null 2>&1; then
  echo "      liveline was installed before this test: removing it first"
  as_root dpkg -r liveline >/dev/null
fi
# Every file in the system directories, before and after: nothing may stay.
system_files() { find /usr /etc /opt -xdev 2>/dev/null | sort; }
system_files >"$work/before"
if as_root dpkg -i "$deb" >"$work/dpkg.log" 2>&1; then ok "dpkg -i installs it"; else fail "dpkg -i installs it"; cat "$work/dpkg.log"; fi
check "liveline is on the PATH at /usr/bin/liveline" test "$(command -v liveline)" = /usr/bin/liveline
check "the installed liveline --version is the app's version" test "$(liveline --version)" = "liveline $version"

echo "== the installed app under Xvfb (WebKitWebDriver)"
[ -d tests/e2e/node_modules/webdriverio ] ||
  npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error
if timeout -k 10 180 xvfb-run -a -s "-screen 0 1280x800x24" \
  node tests/e2e/smoke.e2e.mjs /usr/bin/liveline-app "$work/user/liveline.db" >"$work/smoke.log" 2>&1; then
  ok "the installed app: window up, a blog created, closed cleanly"
else
  fail "the installed app: window up, a blog created, closed cleanly"
fi
sed 's/^/      /' "$work/smoke.log"
check "the installed CLI reads the blog the installed app wrote" \
  grep -q "Installed smoke test" <(liveline --db "$work/user/liveline.db" blog list 2>&1)

echo "== remove it"
if as_root dpkg -r liveline >"$work/dpkg.log" 2>&1; then ok "dpkg -r removes it"; else fail "dpkg -r removes it"; cat "$work/dpkg.log"; fi
check "the package is no longer installed" bash -c '! dpkg -s liveline >/dev/null 2>&1 || dpkg -s liveline | grep -q "^Status: deinstall"'
system_files >"$work/after"
left=$(comm -13 "$work/before" "$work/after")
if [ -z "$left" ]; then
  ok "dpkg -r leaves no file in /usr, /etc or /opt"
else
  fail "dpkg -r leaves no file in /usr, /etc or /opt"
  sed 's/^/      left: /' <<<"$left"
fi
check "the user's database stays" test -s "$work/user/liveline.db"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
