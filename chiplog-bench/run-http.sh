#!/usr/bin/env bash
# The HTTP targets of issue 5, measured with `chiplog bench` against `chiplog serve` in its own
# process on loopback (fsync on): single-event appends from 64 connections, and SSE delivery at
# 5,000 events/s. RUNS runs of each (default 3) on a fresh store each; report the medians.
#
#   chiplog-bench/run-http.sh                  # RUNS=3 DURATION=30s WARMUP=5s
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${RUNS:-3}"
duration="${DURATION:-30s}"
warmup="${WARMUP:-5s}"
port="${PORT:-7188}"

"$root/chiplog" --version >/dev/null   # builds the jar first if needed

for workload in append sse; do
  for run in $(seq 1 "$runs"); do
    data="$(mktemp -d)"
    "$root/chiplog" serve --data "$data" --port "$port" >"$data.log" 2>&1 &
    server=$!
    for _ in $(seq 1 150); do
      curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break
      kill -0 "$server" 2>/dev/null || { cat "$data.log"; exit 1; }
      sleep 0.2
    done
    curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null || { echo "the server did not start in 30 s" >&2; cat "$data.log"; exit 1; }
    echo "== $workload run $run"
    "$root/chiplog" bench --url "http://127.0.0.1:$port" --workload "$workload" \
        --duration "$duration" --warmup "$warmup"
    kill -TERM "$server"
    wait "$server" || true
    rm -rf "$data" "$data.log"
  done
done
