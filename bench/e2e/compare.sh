#!/usr/bin/env bash
# Throughput of Nodis vs redis-server with ../shared/tools/bench/bench.sh (A = Nodis, B = Redis).
# Usage: bench/e2e/compare.sh            (WORKLOADS, PIPELINES, ROUNDS ... pass through to bench.sh)
# Needs a build (npm run build), redis-server and redis-benchmark.
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH=${BENCH:-../shared/tools/bench/bench.sh}
PA=${PORT_A:-7001}; PB=${PORT_B:-7002}
node bin/nodis-server --port "$PA" --bind 127.0.0.1 --save '' --appendonly no --loglevel warning &
A_PID=$!
redis-server --port "$PB" --bind 127.0.0.1 --save '' --appendonly no --loglevel warning &
B_PID=$!
trap 'kill $A_PID $B_PID 2>/dev/null || true' EXIT
for p in "$PA" "$PB"; do for _ in $(seq 100); do redis-cli -p "$p" ping >/dev/null 2>&1 && break; sleep 0.1; done; done
export A_PID B_PID
LABEL_A=${LABEL_A:-nodis} LABEL_B=${LABEL_B:-redis} WORKLOADS=${WORKLOADS:-"SET GET INCR MSET"} "$BENCH" "127.0.0.1:$PA" "127.0.0.1:$PB"
