#!/usr/bin/env bash
# Makes pgvector available to the PostgreSQL 15 the tests start (Debian's
# /usr/lib/postgresql/15): builds the vendored source release once into a cache directory and
# installs it with `make install` (the files go to pg_config's pkglibdir and sharedir).
#
#   tests/integration/embed/install-pgvector.sh [TARBALL]
#
# TARBALL defaults to ../shared/vendor/pgvector-0.8.6.tar.gz next to the repository. Exit codes
# (the tests and bench/similarity.sh read them):
#   0  pgvector of that version is installed (it was, or it is now)
#   3  the tarball is not there: pgvector cannot be tested here
#   4  pg_config is missing (install postgresql-server-dev-15)
#   5  it needs installing and this is not root
#   1  the build or the installation failed (its output is on stderr)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
tarball="${1:-$root/../shared/vendor/pgvector-0.8.6.tar.gz}"

if [ ! -f "$tarball" ]; then
  echo "install-pgvector: no pgvector source at $tarball" >&2
  exit 3
fi
pg_config="${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}"
[ -x "$pg_config" ] || pg_config="$(command -v pg_config || true)"
if [ -z "$pg_config" ] || [ ! -x "$pg_config" ] || [ ! -d "$("$pg_config" --includedir-server)" ]; then
  echo "install-pgvector: pg_config and the server headers are missing (apt-get install postgresql-server-dev-15)" >&2
  exit 4
fi
name="$(basename "$tarball" .tar.gz)"          # pgvector-0.8.6
version="${name#pgvector-}"
control="$("$pg_config" --sharedir)/extension/vector.control"
library="$("$pg_config" --pkglibdir)/vector.so"
installed() {
  [ -f "$library" ] && [ -f "$control" ] && grep -q "default_version = '$version'" "$control"
}
if installed; then
  echo "install-pgvector: pgvector $version is installed"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "install-pgvector: pgvector $version is not installed in $("$pg_config" --pkglibdir) and installing it needs root" >&2
  exit 5
fi

cache="${WARREN_PGVECTOR_CACHE:-/tmp/warren-pgvector-cache}"
mkdir -p "$cache"
exec 9>"$cache/lock"
flock 9  # one build and install at a time (ctest runs test processes in parallel)
if installed; then
  echo "install-pgvector: pgvector $version is installed"
  exit 0
fi
build="$cache/$name"
if [ ! -f "$build/vector.so" ]; then
  rm -rf "$build"
  tar xzf "$tarball" -C "$cache"
  # OPTFLAGS="" drops -march=native, so the library runs on any x86-64.
  if ! make -C "$build" PG_CONFIG="$pg_config" OPTFLAGS="" >"$cache/build.log" 2>&1; then
    cat "$cache/build.log" >&2
    exit 1
  fi
fi
if ! make -C "$build" PG_CONFIG="$pg_config" OPTFLAGS="" install >"$cache/install.log" 2>&1; then
  cat "$cache/install.log" >&2
  exit 1
fi
echo "install-pgvector: built and installed pgvector $version"
