#!/usr/bin/env bash
# Benchmark: the video plugin (run in-process by video_bench_driver, through the host's loader
# and local object storage) against the ffmpeg command with the same settings, transcoding a
# generated 30 s 1080p clip to the vertical preset. They take turns (P1, F1, P2, F2, ...).
#
#   bench/video/run.sh                 # 3 rounds each
#   BENCH_ROUNDS=5 bench/video/run.sh
#
# Knobs: BENCH_ROUNDS (3), BENCH_SECONDS (30), BENCH_THREADS (2: the plugin's `threads` and
# ffmpeg's -threads), BENCH_BUILD_DIR (build-video-bench; built when the driver is missing),
# VIDEO_DRIVER (a built video_bench_driver; its build's plugin is used).
# Prints a markdown report; the same goes to bench/video/results/<time>.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rounds="${BENCH_ROUNDS:-3}"
seconds="${BENCH_SECONDS:-30}"
threads="${BENCH_THREADS:-2}"

build="${BENCH_BUILD_DIR:-$root/build-video-bench}"
driver="${VIDEO_DRIVER:-$build/bench/video/video_bench_driver}"
if [ ! -x "$driver" ]; then
  echo "run.sh: building the video plugin and its driver (Release) in $build" >&2
  # Tests stay on: until bench/CMakeLists.txt adds bench/video, the driver is defined there.
  # -Wno-error=restrict: GCC 12 at -O3 reports a false -Wrestrict inside std::string.
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_FLAGS="-Wno-error=restrict" >/dev/null
  cmake --build "$build" --target video_bench_driver video --parallel 2 >/dev/null
fi
for tool in ffmpeg ffprobe /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool not found" >&2; exit 2; }
done

work="$(mktemp -d "${TMPDIR:-/tmp}/warren-video-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
input="$work/input-1080p.mp4"
echo "run.sh: generating a ${seconds} s 1920x1080 30 fps clip with stereo audio" >&2
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "testsrc2=size=1920x1080:rate=30:duration=$seconds" \
  -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=$seconds" -ac 2 \
  -c:v libx264 -preset veryfast -crf 20 -pix_fmt yuv420p -c:a aac -b:a 192k "$input"

# The plugin's vertical preset for a 16:9 input, spelled out for ffmpeg: fps cap 30, fit "pad"
# (scale to 1080x608, centred in 1080x1920), CRF 23, VBV cap 8000 kbit/s, 2 s GOPs, AAC 128k
# 48 kHz stereo with the same resampling, faststart. Decoders use min(threads, 2) threads.
filters="[0:v]fps=fps=30/1:start_time=0,scale=1080:608,pad=1080:1920:0:656:black,setsar=1,format=yuv420p[v];"
filters+="[0:a]atrim=start=0,aresample=48000:async=1:first_pts=0,aformat=sample_fmts=fltp:channel_layouts=stereo[a]"
decoder_threads=$(( threads < 2 ? threads : 2 ))
ffmpeg_cmd=(ffmpeg -hide_banner -loglevel error -y -threads "$decoder_threads" -i "$input"
  -filter_complex "$filters" -filter_complex_threads "$threads" -map "[v]" -map "[a]"
  -c:v libx264 -preset veryfast -crf 23 -profile:v high -maxrate 8000k -bufsize 16000k -g 60
  -x264-params sync-lookahead=0 -threads "$threads"
  -c:a aac -b:a 128k -ar 48000 -ac 2 -movflags +faststart "$work/ffmpeg.mp4")
plugin_cmd=("$driver" "$work/store" video:transcode
  "{\"input\":\"file://$input\",\"renditions\":[\"vertical\"]}"
  allow_file_urls=true "threads=$threads" "temp_dir=$work")

# Runs a command under /usr/bin/time; prints "<wall s> <peak RSS kB>".
measure() {
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>"$work/err" || {
    echo "run.sh: failed: $*" >&2; cat "$work/err" "$work/out" >&2; exit 1; }
  cat "$work/time"
}

plugin_walls=(); plugin_rss=(); ffmpeg_walls=(); ffmpeg_rss=(); plugin_job_walls=()
for round in $(seq 1 "$rounds"); do
  rm -rf "$work/store"
  read -r wall rss < <(measure "${plugin_cmd[@]}")
  plugin_walls+=("$wall"); plugin_rss+=("$rss")
  plugin_job_walls+=("$(awk '/^wall_s/ {print $2}' "$work/out")")
  read -r wall rss < <(measure "${ffmpeg_cmd[@]}")
  ffmpeg_walls+=("$wall"); ffmpeg_rss+=("$rss")
  echo "run.sh: round $round: plugin ${plugin_walls[-1]} s, ffmpeg ${ffmpeg_walls[-1]} s" >&2
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
max() { printf '%s\n' "$@" | sort -g | tail -1; }
pw=$(median "${plugin_walls[@]}"); fw=$(median "${ffmpeg_walls[@]}")
pr=$(max "${plugin_rss[@]}"); fr=$(max "${ffmpeg_rss[@]}")
ratio=$(awk -v p="$pw" -v f="$fw" 'BEGIN {printf "%.3f", p / f}')
verdict=$(awk -v r="$ratio" 'BEGIN {print (r <= 1.05 ? "PASS" : "FAIL")}')
plugin_out="$work/store/video/bench/vertical.mp4"
describe() { ffprobe -v error -select_streams v:0 -show_entries stream=width,height,nb_frames,duration -of csv=p=0 "$1"; }

report="$(cat <<REPORT
## Video plugin vs ffmpeg: 30 s 1080p → vertical 1080x1920

$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), load average $(cut -d' ' -f1-3 /proc/loadavg), ffmpeg $(ffmpeg -version | awk 'NR==1 {print $3}'), threads=$threads, $rounds rounds each, alternating.

| | wall (median) | walls | peak RSS (max) |
|---|---|---|---|
| plugin (video_bench_driver, whole process) | ${pw} s | ${plugin_walls[*]} | $((pr / 1024)) MB |
| ffmpeg command | ${fw} s | ${ffmpeg_walls[*]} | $((fr / 1024)) MB |

- **Wall time ratio plugin / ffmpeg: ${ratio}** (target ≤ 1.05: ${verdict}). The plugin's own job time
  (handle() only, without loading): ${plugin_job_walls[*]} s.
- Outputs (width,height,duration,frames): plugin $(describe "$plugin_out") ($(stat -c %s "$plugin_out") bytes),
  ffmpeg $(describe "$work/ffmpeg.mp4") ($(stat -c %s "$work/ffmpeg.mp4") bytes).
- Peak RSS is /usr/bin/time's maximum resident set size of each process. The plugin's includes the
  host's libraries and the store (the driver's RSS before the job: about 45 MB).

ffmpeg command: \`${ffmpeg_cmd[*]}\`
REPORT
)"
echo "$report"
mkdir -p "$here/results"
echo "$report" >"$here/results/$(date -u +%Y-%m-%dT%H-%M-%S).md"
