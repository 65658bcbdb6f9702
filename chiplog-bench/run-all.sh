#!/usr/bin/env bash
# Runs every load-generator workload of issue 4 RUNS times (default 3), one at a time, and prints
# the RESULT lines with the load average before each run. One command for docs/benchmarks.md:
#
#   chiplog-bench/run-all.sh            # 1M-event stores, 15 s runs, 3 runs each
#   TEN_MILLION=1 chiplog-bench/run-all.sh   # also the 10M-event rows (prefill takes minutes)
#
# Environment: RUNS, DURATION, WARMUP, WORK (scratch directory, default /tmp/chiplog-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-3}
WORK=${WORK:-/tmp/chiplog-bench}

. chiplog-bench/java.sh

echo "building chiplog-bench/target/benchmarks.jar ..."
mvn -B -q package -DskipTests -pl chiplog-bench -am
mkdir -p "$WORK"
cp chiplog-bench/target/benchmarks.jar "$WORK/benchmarks.jar"
LG=("$JAVA" -cp "$WORK/benchmarks.jar" io.chiplog.bench.LoadGenerator)

run() {  # run NAME ARGS... : RUNS times, one at a time
  local name=$1
  shift
  for i in $(seq 1 "$RUNS"); do
    echo "# $name run $i, load average $(cut -d' ' -f1-3 /proc/loadavg)"
    "${LG[@]}" "$@" 2>&1 | grep '^RESULT' || echo "# $name run $i printed no RESULT line"
  done
}

fresh() {  # a new empty directory
  rm -rf "$WORK/$1" && echo "$WORK/$1"
}

prefill() {  # prefill NAME EVENTS : once, kept for later runs
  if [ ! -d "$WORK/$1" ]; then
    echo "# prefilling $2 events into $WORK/$1 (NO_FSYNC)"
    "${LG[@]}" prefill --dir "$WORK/$1" --prefill "$2" 2>&1 | grep '^prefilled'
  fi
}

T=(--duration "$DURATION" --warmup "$WARMUP")
run concurrent-writers concurrent-writers --dir "$(fresh cw)" "${T[@]}"
run batch-writer batch-writer --dir "$(fresh bw)" "${T[@]}"
run batch-writer-16-in-flight batch-writer --dir "$(fresh bw16)" "${T[@]}" --in-flight 16
run subscription-latency subscription-latency --dir "$(fresh sub)" "${T[@]}"
prefill store-1m 1000000
run random-stream-reads-1m random-stream-reads --dir "$WORK/store-1m" "${T[@]}"
run read-all-1m read-all --dir "$WORK/store-1m" --duration "$DURATION" --warmup 5
run open-1m open --dir "$WORK/store-1m"
for i in $(seq 1 "$RUNS"); do
  rm -rf "$WORK/dcb-1m" && cp -a "$WORK/store-1m" "$WORK/dcb-1m"
  RUNS=1 run dcb-unique-number-1m dcb-unique-number --dir "$WORK/dcb-1m" "${T[@]}"
done
if [ "${TEN_MILLION:-0}" = 1 ]; then
  prefill store-10m 10000000
  run random-stream-reads-10m random-stream-reads --dir "$WORK/store-10m" "${T[@]}"
  run open-10m open --dir "$WORK/store-10m"
  rm -rf "$WORK/dcb-10m" && cp -a "$WORK/store-10m" "$WORK/dcb-10m"
  run dcb-unique-number-10m dcb-unique-number --dir "$WORK/dcb-10m" "${T[@]}"
fi
