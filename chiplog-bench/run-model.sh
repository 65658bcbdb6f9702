#!/usr/bin/env bash
# Runs the programming-model workloads of issue 6 (chiplog-model's Commands over the embedded
# store) RUNS times each (default 3), one at a time, each on a fresh store, and prints the RESULT
# lines with the load average before each run. The figures in docs/benchmarks.md come from:
#
#   chiplog-bench/run-model.sh                    # 20 s runs after 5 s of warm-up
#   RUNS=1 DURATION=5 WARMUP=1 chiplog-bench/run-model.sh   # a quick smoke run
#
# Environment: RUNS, DURATION, WARMUP, WORK (scratch directory, default /tmp/chiplog-bench),
# SKIP_BUILD=1 to reuse $WORK/benchmarks.jar.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-5}
WORK=${WORK:-/tmp/chiplog-bench}

. chiplog-bench/java.sh

mkdir -p "$WORK"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "building chiplog-bench/target/benchmarks.jar ..."
  mvn -B -q package -DskipTests -pl chiplog-bench -am
  cp chiplog-bench/target/benchmarks.jar "$WORK/benchmarks.jar"
fi
LG=("$JAVA" -cp "$WORK/benchmarks.jar" io.chiplog.bench.LoadGenerator)

run() {  # run NAME ARGS... : RUNS times, one at a time, each on a fresh store
  local name=$1
  shift
  for i in $(seq 1 "$RUNS"); do
    rm -rf "$WORK/model"
    echo "# $name run $i, load average $(cut -d' ' -f1-3 /proc/loadavg)"
    "${LG[@]}" "$@" --dir "$WORK/model" 2>&1 | grep '^RESULT' || echo "# $name run $i printed no RESULT line"
  done
  rm -rf "$WORK/model"
}

T=(--duration "$DURATION" --warmup "$WARMUP")
run entity-command-fsync entity-command "${T[@]}"
run entity-command-no-fsync entity-command "${T[@]}" --durability NO_FSYNC
run dcb-next-number-fsync dcb-next-number "${T[@]}"
run dcb-count-all-fsync dcb-next-number "${T[@]}" --count-all true
run dcb-next-number-fsync-queued dcb-next-number "${T[@]}" --queue-by-key true
run dcb-next-number-no-fsync dcb-next-number "${T[@]}" --durability NO_FSYNC
run dcb-next-number-no-fsync-queued dcb-next-number "${T[@]}" --durability NO_FSYNC --queue-by-key true
