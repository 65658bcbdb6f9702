#!/usr/bin/env bash
# Runs the workflow load of issue 8 (io.chiplog.bench.WorkflowLoad: bank transfers as workflows,
# end to end on the embedded store, with napping workflows on durable timers beside them) RUNS
# times (default 3), one run at a time, each in a fresh JVM on a fresh store, and prints the
# RESULT lines with the load average before each run. The figures in docs/benchmarks.md come from:
#
#   chiplog-bench/run-workflows.sh                          # 20 s runs after 5 s of warm-up
#   RUNS=1 DURATION=5 WARMUP=2 chiplog-bench/run-workflows.sh   # a quick smoke run
#
# Environment: RUNS, DURATION, WARMUP, IN_FLIGHT (callers, each with one transfer in flight,
# default 64), TIMERS (naps started per second, default 500), DURABILITY (FSYNC or NO_FSYNC),
# EXTRA (more WorkflowLoad flags), WORK (scratch directory, default /tmp/chiplog-bench),
# SKIP_BUILD=1 to reuse $WORK/benchmarks.jar.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-5}
IN_FLIGHT=${IN_FLIGHT:-64}
TIMERS=${TIMERS:-500}
DURABILITY=${DURABILITY:-FSYNC}
EXTRA=${EXTRA:-}
WORK=${WORK:-/tmp/chiplog-bench}

. chiplog-bench/java.sh

mkdir -p "$WORK"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "building chiplog-bench/target/benchmarks.jar ..."
  mvn -B -q package -DskipTests -pl chiplog-bench -am
  cp chiplog-bench/target/benchmarks.jar "$WORK/benchmarks.jar"
fi

for i in $(seq 1 "$RUNS"); do
  rm -rf "$WORK/workflows"
  echo "# workflows run $i, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  # shellcheck disable=SC2086  # EXTRA is a list of flags
  "$JAVA" -cp "$WORK/benchmarks.jar" io.chiplog.bench.WorkflowLoad --dir "$WORK/workflows" \
      --duration "$DURATION" --warmup "$WARMUP" --in-flight "$IN_FLIGHT" --timers-per-second "$TIMERS" \
      --durability "$DURABILITY" $EXTRA 2>&1 | grep -E '^RESULT|^# (money|transfers)' \
      || echo "# workflows run $i printed no RESULT line"
done
rm -rf "$WORK/workflows"
