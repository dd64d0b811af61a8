#!/usr/bin/env bash
# Every figure of the performance budget in one go: builds build-release (Release, RR_BENCH=ON,
# only the targets needed), runs each benchmark, and prints a Markdown table (figure, median,
# target, runs, spread, PASS/MISS) that is also written to bench/results/latest.md with the
# date, commit, machine and load average. Figures are measured, never asserted: the exit status
# is 0 whenever every benchmark ran, whatever the verdicts; 1 when one could not run.
#
#   bench/run.sh                 # about 4 minutes after the build
#   bench/run.sh --quick         # fewer runs, about 1 minute; noisier
#   bench/run.sh --out=FILE      # write the table there instead of bench/results/latest.md
#   bench/run.sh --no-build      # use build-release as it is
#   bench/run.sh --lambda-build  # also the Lambda bootstrap as ops/lambda/package.sh builds it
#                                # (build-lambda: RR_LAMBDA_ONLY, no daemon libraries)
#
# Progress and each tool's own output go to stderr and to the logs in the work directory (kept
# with --keep); stdout is the table only. Every tool runs in a session of its own, so an
# interrupted run ends it and whatever it started (daemon, bootstrap, once): nothing stays.
# Not run here: lambda_cold_start --root (the packaged zip under chroot) needs root; see the
# note in the output.
set -euo pipefail
cd "$(dirname "$0")/.."

# ---- options -------------------------------------------------------------------------------
quick=0
build=1
keep=0
lambda_build=0
out=bench/results/latest.md
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    --no-build) build=0 ;;
    --keep) keep=1 ;;
    --lambda-build) lambda_build=1 ;;
    --out=*) out=${arg#--out=} ;;
    -h | --help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) echo "bench/run.sh: unknown option $arg (see --help)" >&2; exit 64 ;;
  esac
done

if ((quick)); then
  bench_reps=3 bench_min_time=0.05  # parse+render: repetitions of each shape, seconds each
  once_runs=10                      # `once` process starts
  lambda_runs=5 lambda_warm=5       # bootstrap cold starts; warm invocations after each
  serve_runs=1 serve_alerts=2000    # load_serve runs of each variant; alerts per run
  serve_rate=500                    # alerts/s offered in the open-loop latency variant
else
  bench_reps=10 bench_min_time=0.2
  once_runs=30
  lambda_runs=20 lambda_warm=10
  serve_runs=3 serve_alerts=5000
  serve_rate=500
fi

bin="build-release"
for need in cmake ninja jq awk setsid pgrep git; do
  command -v "$need" >/dev/null || { echo "bench/run.sh: needs $need" >&2; exit 1; }
done
started=$(date +%s)
work=$(mktemp -d "${TMPDIR:-/tmp}/rr-bench-run-XXXXXX")
# The tools' temporary files (spools, configs) go under $work too, and go with it.
export TMPDIR=$work
tool_pid=

cleanup() {
  if [[ -n $tool_pid ]] && kill -0 -- "-$tool_pid" 2>/dev/null; then
    kill -TERM -- "-$tool_pid" 2>/dev/null || true
    sleep 1
    kill -KILL -- "-$tool_pid" 2>/dev/null || true
  fi
  if ((keep)); then echo "bench/run.sh: logs kept in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'echo "bench/run.sh: interrupted" >&2; exit 130' INT TERM

say() { echo "== $*" >&2; }

# load1: the one-minute load average now (the machine is shared: every figure moves with it).
loads=()
note_load() { loads+=("$1 $(cut -d' ' -f1 /proc/loadavg)"); }

# run_tool LOG CMD...: runs CMD in a session of its own (so cleanup can end it and everything it
# started), its output to LOG; returns its exit status. Anything it left behind is killed.
run_tool() {
  local log=$1 rc=0 name
  name=$(basename "$log" .log)
  shift
  echo "\$ $*" >"$log"
  setsid "$@" >>"$log" 2>&1 &
  tool_pid=$!
  wait "$tool_pid" || rc=$?
  if pgrep -g "$tool_pid" >/dev/null 2>&1; then
    echo "bench/run.sh: $name left processes behind: $(pgrep -g "$tool_pid" | tr '\n' ' ')killing them" >&2
    kill -KILL -- "-$tool_pid" 2>/dev/null || true
  fi
  tool_pid=
  if ((rc != 0)); then
    echo "bench/run.sh: $name exited $rc; its log:" >&2
    tail -n 20 "$log" >&2
  fi
  return "$rc"
}

# stats NAME FILE...: "median min max count" of every value on the lines "NAME V1 V2 ..." in the
# files (one file per run, or one file with every sample); "- - - 0" when there is none.
stats() {
  local name=$1
  shift
  awk -v name="$name" '$1 == name { for (i = 2; i <= NF; i++) print $i }' "$@" | sort -g |
    awk '{ v[NR] = $1 }
         END {
           if (NR == 0) { print "- - - 0"; exit }
           med = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
           print med, v[1], v[NR], NR
         }'
}

# num VALUE: a figure as people read it: 12,345 / 123 / 12.3 / 1.23.
num() {
  awk -v x="$1" 'BEGIN {
    if (x == "-") { print "-"; exit }
    if (x >= 1000) {
      s = sprintf("%.0f", x); o = ""
      while (length(s) > 3) { o = "," substr(s, length(s) - 2) o; s = substr(s, 1, length(s) - 3) }
      print s o; exit
    }
    if (x >= 100) printf "%.0f\n", x; else if (x >= 10) printf "%.1f\n", x; else printf "%.2f\n", x
  }'
}

# verdict VALUE OP LIMIT: PASS when VALUE OP LIMIT holds (OP is < or >=), else MISS.
verdict() {
  awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
    if (v == "-") { print "FAILED"; exit }
    ok = op == "<" ? v + 0 < l + 0 : v + 0 >= l + 0
    print ok ? "PASS" : "MISS"
  }'
}

rows=()
# row FIGURE UNIT RUNS "MEDIAN MIN MAX COUNT" [OP LIMIT TARGET_TEXT [CHECK]]: one table row.
# CHECK says which statistic meets the target: median (default) or max.
row() {
  local figure=$1 unit=$2 runs=$3 median min max count target="—" result="—" checked
  read -r median min max count <<<"$4"
  if (($# > 4)); then
    target=$7
    checked=$median
    [[ ${8:-median} == max ]] && checked=$max
    result=$(verdict "$checked" "$5" "$6")
  fi
  if ((count == 0)); then
    rows+=("| $figure | not measured | $target | 0 | | FAILED |")
    return
  fi
  local spread="— (one value)"
  ((count > 1)) && spread="$(num "$min")–$(num "$max")"
  rows+=("| $figure | $(num "$median") $unit | $target | $runs | $spread | $result |")
}

failures=()

# ---- build ---------------------------------------------------------------------------------
note_load build
if ((build)); then
  say "building $bin (Release, RR_BENCH=ON)"
  cmake -S . -B "$bin" -G Ninja -DCMAKE_BUILD_TYPE=Release -DRR_BENCH=ON >"$work/cmake.log" 2>&1 ||
    { cat "$work/cmake.log" >&2; exit 1; }
  cmake --build "$bin" --target root-responder micro_bench once_cold_start lambda_cold_start spawn_floor \
    load_serve >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log" >&2; exit 1; }
  if ((lambda_build)); then
    say "building build-lambda (as ops/lambda/package.sh: Release, RR_LAMBDA_ONLY=ON)"
    cmake -S . -B build-lambda -G Ninja -DCMAKE_BUILD_TYPE=Release -DRR_BENCH=OFF \
      -DRR_LAMBDA_ONLY=ON >>"$work/cmake.log" 2>&1 || { cat "$work/cmake.log" >&2; exit 1; }
    cmake --build build-lambda --target root-responder >>"$work/build.log" 2>&1 ||
      { tail -n 40 "$work/build.log" >&2; exit 1; }
  fi
fi
((lambda_build)) && [[ ! -x build-lambda/root-responder ]] &&
  { echo "bench/run.sh: build-lambda/root-responder is missing (drop --no-build)" >&2; exit 1; }
for tool in root-responder micro_bench once_cold_start lambda_cold_start spawn_floor load_serve; do
  [[ -x $bin/$tool ]] || { echo "bench/run.sh: $bin/$tool is missing (drop --no-build)" >&2; exit 1; }
done

# ---- 1. parse+render per payload shape -----------------------------------------------------
# micro_bench's ParseRender/<shape>: one payload's bytes to the three channels' requests
# (Dispatcher::DryRun). Its payloads/s counter is a rate over the thread's CPU time, so it is a
# per-core figure even when the machine is shared. Interleaved repetitions spread the noise.
note_load parse+render
say "parse+render: 9 payload shapes x $bench_reps repetitions"
if run_tool "$work/micro_bench.log" env GLOG_minloglevel=2 "$bin/micro_bench" \
  --benchmark_filter='^ParseRender/' --benchmark_repetitions="$bench_reps" \
  --benchmark_min_time="$bench_min_time" --benchmark_enable_random_interleaving=true \
  --benchmark_out="$work/micro_bench.json" --benchmark_out_format=json; then
  jq -r '[.benchmarks[] | select(.run_type == "iteration")] | sort_by(.family_index) | .[] |
         "\(.run_name) \(.["payloads/s"])"' "$work/micro_bench.json" >"$work/parse_render.txt"
  awk '!seen[$1]++ { print $1 }' "$work/parse_render.txt" >"$work/shapes.txt"
  while read -r shape; do
    row "parse+render ${shape#ParseRender/}" "/s" "$bench_reps reps" \
      "$(stats "$shape" "$work/parse_render.txt")" ">=" 100000 "≥ 100,000 /s"
  done <"$work/shapes.txt"
else
  failures+=("parse+render")
  row "parse+render" "/s" "" "- - - 0" ">=" 100000 "≥ 100,000 /s"
fi

# ---- 2. once: cold start to delivered ------------------------------------------------------
# once_cold_start spawns `root-responder once --event=F --config=C` (three channels on loopback
# fakes) and waits for its exit with wait4: wall time and ru_maxrss per process.
note_load once
say "once cold start: $once_runs process starts"
once=$work/once.txt
if ! run_tool "$work/once_cold_start.log" "$bin/once_cold_start" --binary="$bin/root-responder" \
  --runs="$once_runs" --samples="$once"; then
  failures+=("once cold start (runs that did not deliver are not counted)")
  [[ -f $once ]] || : >"$once"
fi
row "once: spawn → first sink request" ms "$once_runs starts" "$(stats first_request_ms "$once")"
row "once: spawn → exit, 3 channels delivered" ms "$once_runs starts" "$(stats exit_ms "$once")" \
  "<" 10 "< 10 ms"
row "once: peak resident memory" MiB "$once_runs starts" "$(stats peak_rss_mib "$once")" \
  "<" 8 "< 8 MiB (max)" max

# The floor under both cold starts: an empty program linked to the same shared libraries as
# root-responder (loaded with their dependencies, run their initialisers, then exit), and
# root-responder --version (all that, plus ours, without any work).
floor=$work/floor.txt
needed=()
while read -r lib; do needed+=("-l:$lib"); done < <(
  readelf -d "$bin/root-responder" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
printf 'int main(void) { return 0; }\n' >"$work/empty.c"
if cc -O2 "$work/empty.c" -o "$work/empty-with-libs" -Wl,--no-as-needed "${needed[@]}" &&
  run_tool "$work/floor.log" "$bin/spawn_floor" --runs="$once_runs" --name=libraries \
    --samples="$work/floor-libraries.txt" -- "$work/empty-with-libs" &&
  run_tool "$work/floor.log" "$bin/spawn_floor" --runs="$once_runs" --name=version \
    --samples="$work/floor-version.txt" -- "$bin/root-responder" --version; then
  cat "$work/floor-libraries.txt" "$work/floor-version.txt" >"$floor"
else
  failures+=("start-up floor")
  : >"$floor"
fi
libraries=$(ldd "$work/empty-with-libs" 2>/dev/null | grep -c '=>')
row "floor: empty program linked to the same ${#needed[@]} libraries ($libraries loaded)" ms \
  "$once_runs starts" "$(stats libraries_exit_ms "$floor")"
row "floor: the same, peak resident memory" MiB "$once_runs starts" \
  "$(stats libraries_rss_mib "$floor")"
row "floor: root-responder --version" ms "$once_runs starts" "$(stats version_exit_ms "$floor")"

# ---- 3. Lambda bootstrap against the Runtime API emulator ---------------------------------
# lambda_cold_start spawns `root-responder lambda`: spawn to its first `next`; then one alarm
# (two channels on loopback); then warm invocations of an ignored event (nothing sent), the
# runtime's own per-invocation overhead. The packaged zip under chroot (--root) needs root and
# is not run here.
lambda_section() {
  local label=$1 binary=$2 samples=$work/lambda-$3.txt
  note_load "lambda $3"
  say "lambda cold start, $binary: $lambda_runs cold starts, $lambda_warm warm invocations each"
  if ! run_tool "$work/lambda_cold_start-$3.log" "$bin/lambda_cold_start" --binary="$binary" \
    --runs="$lambda_runs" --warm_invocations="$lambda_warm" --samples="$samples"; then
    failures+=("lambda cold start, $label")
    : >"$samples"
  fi
  row "Lambda$label: spawn → first \`next\`" ms "$lambda_runs starts" \
    "$(stats first_next_ms "$samples")" "<" 10 "< 10 ms"
  row "Lambda$label: first invocation, 2 channels" ms "$lambda_runs starts" \
    "$(stats first_invocation_ms "$samples")"
  row "Lambda$label: warm invocation overhead (ignored event)" ms \
    "$((lambda_runs * lambda_warm)) invocations" "$(stats warm_invocation_ms "$samples")"
  row "Lambda$label: peak resident memory" MiB "$lambda_runs starts" \
    "$(stats peak_rss_mib "$samples")"
}
lambda_section "" "$bin/root-responder" release
if ((lambda_build)); then
  lambda_section " (daemon-less build)" build-lambda/root-responder lambda-only
fi

# ---- 4. and 5. the daemon: signed SNS POSTs, then with a sink answering 503 half the time --
# load_serve starts the real `serve` (signature verification on, SQLite spool with fsync, three
# channels per alert to loopback fakes) and POSTs signed notifications 32 at a time. Each run
# gives one value per figure; the table has the median over the runs and their spread.
serve_section() {
  local label=$1 fail_percent=$2 rate=$3 files=() r
  note_load "serve $label"
  say "serve, $label: $serve_runs run(s) of $serve_alerts alerts"
  for ((r = 1; r <= serve_runs; r++)); do
    local samples=$work/serve-$fail_percent-$rate-$r.txt
    # A run that did not deliver every alert within 2 minutes exits 1 but still has figures.
    run_tool "$work/load_serve-$fail_percent-$rate-$r.log" "$bin/load_serve" \
      --binary="$bin/root-responder" --alerts="$serve_alerts" --concurrency=32 \
      --fail_percent="$fail_percent" --rate="$rate" --samples="$samples" ||
      failures+=("serve, $label, run $r (see delivered_alerts in its log)")
    [[ -s $samples ]] && files+=("$samples")
  done
  local alerts runs
  alerts=$(num "$serve_alerts")
  case ${#files[@]} in
    0) runs=0 files=(/dev/null) ;;
    1) runs="1 run × $alerts alerts" ;;
    *) runs="${#files[@]} runs × $alerts alerts" ;;
  esac
  local p="serve, $label:"
  if ((rate > 0)); then
    # Open loop below capacity: the latency an alert sees when the daemon is not saturated.
    row "$p POST → 200 p99" ms "$runs" "$(stats accept_p99_ms "${files[@]}")"
    row "$p POST → sink p50" ms "$runs" "$(stats sink_p50_ms "${files[@]}")"
    row "$p POST → sink p99" ms "$runs" "$(stats sink_p99_ms "${files[@]}")" "<" 20 "< 20 ms"
    row "$p 200 → sink p99 (the delivery's share)" ms "$runs" \
      "$(stats delivery_p99_ms "${files[@]}")"
    row "$p daemon CPU per alert" µs "$runs" "$(stats daemon_cpu_us_per_alert "${files[@]}")"
  elif ((fail_percent == 0)); then
    row "$p accepted (POST → 200)" /s "$runs" "$(stats accepted_per_s "${files[@]}")"
    row "$p delivered, 3 channels" /s "$runs" "$(stats delivered_per_s "${files[@]}")" \
      ">=" 5000 "≥ 5,000 /s"
    row "$p POST → sink p50" ms "$runs" "$(stats sink_p50_ms "${files[@]}")"
    row "$p POST → sink p99" ms "$runs" "$(stats sink_p99_ms "${files[@]}")" "<" 20 "< 20 ms"
    row "$p daemon CPU per alert" µs "$runs" "$(stats daemon_cpu_us_per_alert "${files[@]}")"
    row "$p load tool and sinks CPU per alert" µs "$runs" \
      "$(stats tool_cpu_us_per_alert "${files[@]}")"
    row "$p daemon peak resident memory" MiB "$runs" "$(stats peak_rss_mib "${files[@]}")"
  else
    row "$p accepted" /s "$runs" "$(stats accepted_per_s "${files[@]}")"
    row "$p delivered" /s "$runs" "$(stats delivered_per_s "${files[@]}")"
    row "$p POST → sink p50" ms "$runs" "$(stats sink_p50_ms "${files[@]}")"
    row "$p POST → sink p99" ms "$runs" "$(stats sink_p99_ms "${files[@]}")"
    row "$p peak resident" MiB "$runs" "$(stats peak_rss_mib "${files[@]}")"
  fi
}
serve_section "as fast as answered" 0 0
serve_section "sinks 503 half the time" 50 0
serve_section "offered $serve_rate/s" 0 "$serve_rate"
note_load end

# ---- the table -----------------------------------------------------------------------------
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
# The results file itself does not make the tree dirty.
if [[ -n $(git status --porcelain --untracked-files=no -- . ":!bench/results" 2>/dev/null) ]]; then
  commit="$commit (with uncommitted changes)"
fi
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
compiler=$(awk -F= '/^CMAKE_CXX_COMPILER:/ { print $2 }' "$bin/CMakeCache.txt" 2>/dev/null)
compiler_version=$("${compiler:-c++}" --version 2>/dev/null | head -n 1)
args=$*
if ((lambda_build)); then
  lambda_binaries="and the daemon-less build-lambda one that \`ops/lambda/package.sh\` ships"
else
  lambda_binaries="not the daemon-less one \`ops/lambda/package.sh\` ships: \`--lambda-build\` adds it"
fi
document() {
  echo "# Performance figures"
  echo
  echo "Made by \`bench/run.sh${args:+ $args}\` on $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit," \
    "in $(($(date +%s) - started)) s."
  echo
  echo "- Machine: $(nproc) cores, $cpu, Linux $(uname -r), $(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM"
  echo "- Build: $bin, CMAKE_BUILD_TYPE=Release, RR_BENCH=ON, $compiler_version"
  echo "- Load average (1 min) before each section: $(printf '%s, ' "${loads[@]}" | sed 's/, $//')"
  echo
  echo "| figure | median | target | runs | spread (min–max) | verdict |"
  echo "|---|---:|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "- parse+render: micro_bench \`ParseRender/<shape>\`, payloads/s over the benchmark" \
    "thread's CPU time (per core), $bench_reps interleaved repetitions of ≥ $bench_min_time s."
  echo "- once: \`bench/once_cold_start\`, a fresh \`root-responder once\` process per run" \
    "(one warm-up run not counted), Dooray + Telegram + NHN SMS fakes on loopback; peak" \
    "resident is wait4's ru_maxrss; the memory target is checked against the largest run."
  echo "- Lambda: \`bench/lambda_cold_start\` with \`$bin/root-responder lambda\` (the full" \
    "program, $lambda_binaries); the warm invocations" \
    "are \`sns/lambda-ok-state.json\`, ignored, so nothing is sent. Not run: the packaged zip" \
    "in an empty root under chroot (\`lambda_cold_start --root=R\`), which needs root."
  echo "- serve: \`bench/load_serve --alerts=$serve_alerts --concurrency=32\`, signed SNS" \
    "notifications, signature verification on, SQLite spool with fsync, three channels per" \
    "alert; delivered/s counts alerts on all three sinks, from the first POST to the last" \
    "arrival; p50/p99 are per run (every channel delivery), then the median over the runs." \
    "\"As fast as answered\" is closed loop (a POST as soon as one is answered): it measures" \
    "throughput, and its latency is mostly the backlog. \"Offered $serve_rate/s\" posts on a fixed" \
    "schedule (\`--rate\`) and counts latency from the scheduled time. CPU per alert is" \
    "the daemon's user+system time over the run divided by the alerts; the load tool, its" \
    "posters and the fake sinks run on the same cores. The 503 variant has no targets."
  if ((${#failures[@]} > 0)); then
    echo "- Problems: $(printf '%s; ' "${failures[@]}" | sed 's/; $//')."
  fi
}
mkdir -p "$(dirname "$out")"
document | tee "$out"
say "written to $out"
((${#failures[@]} == 0))
