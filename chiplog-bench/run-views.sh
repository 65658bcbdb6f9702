#!/usr/bin/env bash
# Runs the view workloads of issue 7 (io.chiplog.bench.ViewLoad: a counting key-value view over a
# FileEventStore of EVENTS events over KEYS keys) RUNS times per view store (default 3), one run
# at a time, each in a fresh JVM with a fresh view store and a fresh copy of the prefilled event
# store, and prints the RESULT lines with the load average before each run. The figures in
# docs/benchmarks.md come from:
#
#   chiplog-bench/run-views.sh                              # 1M events, 10k keys, 3 runs per store
#   RUNS=1 EVENTS=200000 READ_SECONDS=2 chiplog-bench/run-views.sh   # a quick smoke run
#
# Per store, the phases ViewLoad runs (see its class comment):
#   embedded  project, read, rebuild, read-during-rebuild, read-during-appends; then a second run
#             of read-during-rebuild with the reader paced at PACED_READ_RATE gets/s
#   postgres  project, read, rebuild (JdbcViewStore on HikariCP; JDBC_URL)
#   memory    project, read, rebuild (InMemoryViewStore: the baseline without a store's cost)
#
# Environment: RUNS, EVENTS, KEYS, STORES (default "embedded postgres memory"), READ_SECONDS,
# PACED_READ_RATE, JDBC_URL, EXTRA (more ViewLoad flags, e.g. "--batch-size 2000"), WORK
# (scratch directory, default /tmp/chiplog-bench), SKIP_BUILD=1 to reuse $WORK/benchmarks.jar.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
EVENTS=${EVENTS:-1000000}
KEYS=${KEYS:-10000}
STORES=${STORES:-embedded postgres memory}
READ_SECONDS=${READ_SECONDS:-10}
PACED_READ_RATE=${PACED_READ_RATE:-10000}
JDBC_URL=${JDBC_URL:-jdbc:postgresql://127.0.0.1:5432/test?user=postgres&reWriteBatchedInserts=true}
EXTRA=${EXTRA:-}
WORK=${WORK:-/tmp/chiplog-bench}

. chiplog-bench/java.sh

mkdir -p "$WORK"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "building chiplog-bench/target/benchmarks.jar ..."
  mvn -B -q package -DskipTests -pl chiplog-bench -am
  cp chiplog-bench/target/benchmarks.jar "$WORK/benchmarks.jar"
fi
VL=("$JAVA" -cp "$WORK/benchmarks.jar" io.chiplog.bench.ViewLoad)

prefilled="$WORK/views-$EVENTS-$KEYS"
if [ ! -d "$prefilled" ]; then
  echo "# prefilling $EVENTS events over $KEYS keys into $prefilled"
  "${VL[@]}" prefill --dir "$prefilled" --events "$EVENTS" --keys "$KEYS" 2>&1 | grep '^prefilled'
fi

run() {  # run NAME ARGS... : RUNS times, one at a time, each on a fresh copy of the event store
  local name=$1
  shift
  for i in $(seq 1 "$RUNS"); do
    rm -rf "$WORK/views-run" && cp -a "$prefilled" "$WORK/views-run"
    echo "# $name run $i, load average $(cut -d' ' -f1-3 /proc/loadavg)"
    # shellcheck disable=SC2086  # EXTRA is a list of flags
    "${VL[@]}" run --dir "$WORK/views-run" --keys "$KEYS" --read-seconds "$READ_SECONDS" "$@" $EXTRA 2>&1 \
        | grep '^RESULT' || echo "# $name run $i printed no RESULT line"
  done
  rm -rf "$WORK/views-run"
}

for store in $STORES; do
  case $store in
    embedded)
      run embedded --store embedded
      run embedded-paced-reads --store embedded --phases project,read-during-rebuild --read-rate "$PACED_READ_RATE"
      ;;
    postgres) run postgres --store postgres --jdbc-url "$JDBC_URL" --phases project,read,rebuild ;;
    memory) run memory --store memory --phases project,read,rebuild ;;
    *) echo "unknown store $store" >&2; exit 2 ;;
  esac
done
