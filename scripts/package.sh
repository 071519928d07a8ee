#!/usr/bin/env bash
# Builds the Debian package from an existing build tree (scripts/build.sh; CI's is Release) and,
# with --install, installs it on this machine and checks it as a user would get it:
#   1. cpack -G DEB in build/ -> build/packages/warren_<version>_amd64.deb (dependencies by
#      dpkg-shlibdeps), then its control fields and file list are checked
#   2. --install: apt-get install ./warren_*.deb (purging an earlier one first), then
#      - the warren user, /var/lib/warren, the conffile and the secrets file with their modes
#      - plugin-sync (the Kubernetes plugin sidecar) copies by rename and only what changed
#      - systemd-analyze verify on the installed unit (no output allowed) and an offline
#        security review (exposure at most 2.5: --threshold counts tenths)
#      - `warren demo` as the warren user: /usr/bin/warren with /usr/lib/warren/plugins and
#        /usr/lib/warren/warren-fake-platforms (the content pipeline), then `warren demo --basic`
#      - sdk/examples/echo built out of tree against the installed SDK only
#        (find_package(WarrenSDK) from /usr), inspected and run by the installed warren
# Run as root (apt-get; setpriv to run as the warren user). Exits non-zero at the first failure.
#   BUILD_DIR   the build tree (default build)
#   --keep      leave the package installed at the end (default: purge it again)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

build_dir="${BUILD_DIR:-build}"
install=0
keep=0
for arg in "$@"; do
  case "$arg" in
    --install) install=1 ;;
    --keep) keep=1 ;;
    *) echo "package.sh: unknown argument '$arg' (expected --install, --keep)" >&2; exit 64 ;;
  esac
done

fail() {
  echo "package.sh: $*" >&2
  exit 1
}

# ---- 1. the package ------------------------------------------------------------------------
rm -rf "$build_dir/packages"
(cd "$build_dir" && cpack -G DEB)
shopt -s nullglob
debs=("$build_dir"/packages/warren_*_amd64.deb)
[ "${#debs[@]}" -eq 1 ] || fail "expected one warren_<version>_amd64.deb in $build_dir/packages, found ${#debs[@]}"
deb=$(realpath "${debs[0]}")
echo "==> $deb"
dpkg-deb --info "$deb"

depends=$(dpkg-deb --field "$deb" Depends)
for needed in adduser libc6 libstdc++6 libpoconet80 libhiredis0.14; do
  grep -q "\b$needed\b" <<<"$depends" || fail "Depends lacks $needed: $depends"
done
grep -q "redis-server" <<<"$(dpkg-deb --field "$deb" Recommends)" || fail "redis-server is not recommended"
[ "$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles)" = "/etc/warren/warren.ini" ] ||
  fail "conffiles is not exactly /etc/warren/warren.ini"
contents=$(dpkg-deb --contents "$deb" | awk '{print $6}')
for path in ./usr/bin/warren ./usr/lib/warren/plugin-sync ./usr/lib/warren/warren-fake-platforms ./usr/lib/warren/plugins/echo.so ./usr/lib/warren/modules/warren_postgres.so \
  ./usr/include/warren/plugin.h ./usr/include/warren/plugin.hpp \
  ./usr/lib/cmake/WarrenSDK/WarrenSDKConfig.cmake ./usr/lib/cmake/WarrenSDK/warren_plugin.map \
  ./usr/lib/systemd/system/warren.service ./etc/warren/warren.ini ./usr/share/doc/warren/deploy.md; do
  grep -qx "$path" <<<"$contents" || fail "the package lacks $path"
done
if grep -q "tests/\|_tests$\|bench" <<<"$contents"; then
  fail "test or benchmark files in the package: $(grep "tests/\|_tests$\|bench" <<<"$contents")"
fi
[ "$install" -eq 1 ] || exit 0

# ---- 2. installed ----------------------------------------------------------------------------
export DEBIAN_FRONTEND=noninteractive
if dpkg-query -W -f='${Status}' warren 2>/dev/null | grep -q installed; then
  apt-get purge -y warren
fi
work=$(mktemp -d /tmp/warren-package-XXXXXX)
chmod 755 "$work"
server_pid=
cleanup() {
  # warren stops its embedded redis-server before exiting: wait for that before removing the
  # data directory (a redis-server whose directory is gone cannot save and refuses to exit).
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
  if [ "$keep" -eq 0 ] && dpkg-query -W -f='${Status}' warren 2>/dev/null | grep -q installed; then
    apt-get purge -y warren >/dev/null
  fi
}
trap cleanup EXIT
flock /tmp/apt.lock apt-get install -y --no-install-recommends "$deb"

echo "==> installed files, user and modes"
getent passwd warren | grep -q ':/var/lib/warren:/usr/sbin/nologin$' ||
  fail "no system user warren with home /var/lib/warren: $(getent passwd warren)"
[ "$(stat -c '%U:%G %a' /var/lib/warren)" = "warren:warren 750" ] ||
  fail "/var/lib/warren is $(stat -c '%U:%G %a' /var/lib/warren)"
[ "$(stat -c '%U:%G %a' /etc/warren/environment)" = "root:warren 640" ] ||
  fail "/etc/warren/environment is $(stat -c '%U:%G %a' /etc/warren/environment)"
[ "$(command -v warren)" = /usr/bin/warren ] || fail "warren on PATH is $(command -v warren)"
/usr/bin/warren --version

echo "==> systemd-analyze verify /usr/lib/systemd/system/warren.service"
verify=$(systemd-analyze verify /usr/lib/systemd/system/warren.service 2>&1) ||
  fail "systemd-analyze verify failed: $verify"
[ -z "$verify" ] || fail "systemd-analyze verify warned: $verify"
systemd-analyze security --offline=true --threshold=25 /usr/lib/systemd/system/warren.service |
  tail -1

echo "==> /usr/lib/warren/plugin-sync (the Kubernetes plugin sidecar)"
/usr/lib/warren/plugin-sync /usr/lib/warren/plugins "$work/plugins" --once
cmp /usr/lib/warren/plugins/echo.so "$work/plugins/echo.so" || fail "plugin-sync did not copy echo.so"
[ -e "$work/plugins/.synced" ] || fail "plugin-sync wrote no .synced marker"
again=$(/usr/lib/warren/plugin-sync /usr/lib/warren/plugins "$work/plugins" --once)
[ "$again" = "plugin-sync: 0 plugin file(s) changed in $work/plugins" ] ||
  fail "a second plugin-sync of the same files changed something: $again"

echo "==> warren demo (the installed binary and plugins, as the warren user)"
install -d -o warren -g warren "$work/demo"
as_warren=(setpriv --reuid=warren --regid=warren --init-groups env -i PATH=/usr/bin:/bin HOME=/var/lib/warren)
"${as_warren[@]}" WARREN_DATA_DIR="$work/demo" WORKER_ID=package-demo warren plugins list
"${as_warren[@]}" WARREN_DATA_DIR="$work/demo" WORKER_ID=package-demo warren demo
"${as_warren[@]}" WARREN_DATA_DIR="$work/demo" WORKER_ID=package-demo warren demo --basic

echo "==> sdk/examples/echo out of tree against the installed SDK"
cp -r sdk/examples/echo "$work/echo-src"
cmake -S "$work/echo-src" -B "$work/echo-build" -G Ninja -DCMAKE_BUILD_TYPE=Release
grep -qx 'WarrenSDK_DIR:PATH=/usr/lib/cmake/WarrenSDK' "$work/echo-build/CMakeCache.txt" ||
  fail "find_package(WarrenSDK) did not use the installed package: $(grep WarrenSDK_DIR "$work/echo-build/CMakeCache.txt")"
cmake --build "$work/echo-build"
ninja -C "$work/echo-build" -t deps | grep -q '/usr/include/warren/plugin.hpp' ||
  fail "echo.cpp was not compiled against /usr/include/warren/plugin.hpp"
[ "$(nm -D --defined-only "$work/echo-build/echo.so" | awk '{print $3}')" = warren_plugin_entry ] ||
  fail "echo.so exports more than warren_plugin_entry"
warren plugins inspect "$work/echo-build/echo.so"
install -d -o warren -g warren "$work/oot"
"${as_warren[@]}" WARREN_DATA_DIR="$work/oot" WORKER_ID=package-oot \
  warren run --plugin "$work/echo-build/echo.so" --queue oot >"$work/oot.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
  grep -q '"msg":"warren started"' "$work/oot.log" && break
  kill -0 "$server_pid" 2>/dev/null || fail "warren run exited: $(cat "$work/oot.log")"
  sleep 0.1
done
result=$("${as_warren[@]}" WARREN_DATA_DIR="$work/oot" warren enqueue oot echo \
  --data '{"value":{"built":"out of tree"}}' --wait)
echo "$result"
grep -q '{"built":"out of tree"}' <<<"$result" || fail "the out-of-tree echo did not return its value"
kill -TERM "$server_pid"
wait "$server_pid" || fail "warren run did not stop cleanly: $(tail -5 "$work/oot.log")"
server_pid=
echo "package.sh: $(basename "$deb") built, installed and checked"
