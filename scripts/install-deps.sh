#!/usr/bin/env bash
# Installs every build and test dependency of Warren from Debian 12 packages. Run as root.
# Idempotent: when everything is already installed it changes nothing and takes a second.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

packages=(
  # toolchain
  g++ cmake ninja-build pkg-config clang-format
  # libraries (see docs in README: Boost.DLL, Poco, hiredis, spdlog, FFmpeg)
  libboost-dev libboost-filesystem-dev libpoco-dev libhiredis-dev libspdlog-dev libfmt-dev
  libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev libavfilter-dev
  ffmpeg nlohmann-json3-dev libvalijson-dev
  # tests and benchmarks; the servers the tests start themselves
  libgtest-dev libgmock-dev libbenchmark-dev redis-server redis-sentinel postgresql-15 prometheus
  # host: SDK 1.2 services (JSON Schema patterns in host/json)
  libpcre2-dev
  # host: AI service (host/ai): nothing of its own (nlohmann-json, OpenSSL and Poco above); its
  # tests and bench/ai run the providers' fake with node
  # content plugins: shared text analysis and platform rules (plugins/common/text, platform)
  libicu-dev libcld2-dev libstemmer-dev libhyphen-dev
  hyphen-en-us hyphen-es hyphen-fr hyphen-it hyphen-pt-pt hyphen-nl
  # content plugins: analyze (media, web)
  libxml2-dev
  # content plugins: embed and similarity (pgvector is built from ../shared/vendor by the tests)
  postgresql-server-dev-15
  # content plugins: generate
  # content plugins: publish (AES-256-GCM token sealing; its fakes need nothing more)
  libssl-dev
  # Redis Sentinel and Cluster
  # packaging and deployment: cpack's dpkg-shlibdeps (dpkg-dev), the unit check
  # (systemd-analyze), the package's own dependency (adduser); deploy/ validation uses npm
  dpkg-dev systemd adduser
  # isolation, chaos and fuzzing
  clang libclang-rt-14-dev  # libFuzzer and clang's sanitizer runtimes (scripts/fuzz.sh)
)
# The interop suite drives Warren from Node's bullmq; Node may already be there another way.
if ! command -v node >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$package")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages are installed"
  exit 0
fi
echo "install-deps: installing ${#missing[@]} missing packages: ${missing[*]}"
apt-get update
apt-get install -y --no-install-recommends "${packages[@]}"
