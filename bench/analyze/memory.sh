#!/usr/bin/env bash
# Peak memory of one content:analyze job of each kind at the plugin's default limits, offline
# (no AI_PROVIDER) and with a provider (the local fake of tests/fakes/ai as OpenAI: the host
# then also reads and encodes the image or frames), as the plugin's memory_per_job_bytes
# declares it.
#
#   bench/analyze/memory.sh [BUILD_DIR]      (default: build)
#
# For each kind: a fresh `warren run --plugin analyze --concurrency 1` on a private Redis (a unix
# socket), its peak RSS (VmHWM) once it is idle, one job, its peak RSS after; the difference is
# what the job took. Material is made here: 10 MB of text and of HTML (max_text_mb), an
# 7296x5472 PNG and JPEG (max_image_megapixels, 40), a 3840x2160
# video (max_video_width/height). Prints one line per kind and the largest.
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
warren="$build/bin/warren"
[ -x "$warren" ] || { echo "memory.sh: no $warren (build it first)" >&2; exit 2; }
work=$(mktemp -d /tmp/warren-analyze-mem-XXXXXX)
redis_pid=""
fake_pid=""
cleanup() {
  [ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null || true
  [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

redis-server --port 0 --unixsocket "$work/redis.sock" --save '' --appendonly no \
  --dir "$work" --logfile "$work/redis.log" &
redis_pid=$!
for _ in $(seq 50); do [ -S "$work/redis.sock" ] && break; sleep 0.1; done
export REDIS_URL="unix://$work/redis.sock"

objects="$work/data/objects"
mkdir -p "$objects/bench"
ff() { ffmpeg -hide_banner -loglevel error -y "$@"; }
echo "making material in $work ..." >&2
node - "$objects/bench" <<'JS'
// Sentences of bakery words, deterministic (a fixed linear congruential generator).
const fs = require('node:fs');
const words = ('bakery bread shop morning spring pastry flour oven team customer lyon street ' +
  'window fresh sourdough butter croissant coffee sunday opening market recipe baker').split(' ');
let seed = 7;
const next = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
const sentence = () => {
  const n = 6 + next(13);
  const s = Array.from({ length: n }, () => words[next(words.length)]).join(' ');
  return s[0].toUpperCase() + s.slice(1) + '.';
};
const text = [];
const html = ['<html><head><title>Bench</title></head><body><article>'];
let size = 0;
while (size < 10 * 1024 * 1024 - 4096) {
  const para = Array.from({ length: 5 }, sentence).join(' ');
  text.push(para);
  html.push(`<p>${para}</p>`);
  size += para.length + 9;
}
fs.writeFileSync(`${process.argv[2]}/text.txt`, text.join('\n\n'));
fs.writeFileSync(`${process.argv[2]}/page.html`, `${html.join('\n')}</article></body></html>`);
JS
truncate -s '<10M' "$objects/bench/text.txt"
ff -f lavfi -i "testsrc2=size=7296x5472:rate=1" -frames:v 1 "$objects/bench/image.png"
ff -f lavfi -i "testsrc2=size=7296x5472:rate=1" -frames:v 1 -q:v 2 "$objects/bench/image.jpg"
ff -f lavfi -i "testsrc2=size=3840x2160:rate=30:duration=20" -c:v libx264 -preset ultrafast \
  -pix_fmt yuv420p "$objects/bench/video.mp4"

hwm() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }

provider_env=()
measure() {  # kind, data JSON
  local name=$1 data=$2 log="$work/warren-$1.log"
  env "${provider_env[@]}" WARREN_DATA_DIR="$work/data" HTTP_PORT=0 "$warren" run \
    --plugin analyze --queue content-analyze --concurrency 1 2>"$log" &
  local pid=$!
  for _ in $(seq 300); do grep -q '"msg":"warren started"' "$log" && break; sleep 0.1; done
  sleep 1
  local before; before=$(hwm "$pid")
  local outcome
  outcome=$("$warren" enqueue content-analyze content:analyze --data "$data" --wait 2>&1 | tail -1)
  local after; after=$(hwm "$pid")
  kill -TERM "$pid"; wait "$pid" || true
  printf '%-6s baseline %6d kB  peak %7d kB  job %7d kB (%.0f MiB)  %s\n' "$name" "$before" \
    "$after" $((after - before)) "$(echo "($after - $before) / 1024" | bc -l)" \
    "$(echo "$outcome" | cut -c1-60)"
  echo $((after - before)) >>"$work/jobs"
}

every_kind() {
  measure text  '{"kind":"text","key":"bench/text.txt"}'
  measure html  '{"kind":"text","key":"bench/page.html"}'
  measure png   '{"kind":"image","key":"bench/image.png"}'
  measure jpeg  '{"kind":"image","key":"bench/image.jpg"}'
  measure video '{"kind":"video","key":"bench/video.mp4"}'
}

echo "offline (local method):"
every_kind
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
node "$here/../../tests/fakes/ai/server.js" --port 0 2>"$work/fake.log" &
fake_pid=$!
for _ in $(seq 100); do grep -q 'listening on' "$work/fake.log" && break; sleep 0.1; done
fake_port=$(sed -n 's/.*listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$work/fake.log")
provider_env=(AI_PROVIDER=openai "OPENAI_BASE_URL=http://127.0.0.1:$fake_port/v1"
              OPENAI_API_KEY=sk-bench)
echo "with a provider (the fake, as openai):"
every_kind
largest=$(sort -n "$work/jobs" | tail -1)
printf 'largest job: %d kB (%.0f MiB)\n' "$largest" "$(echo "$largest / 1024" | bc -l)"
