#!/usr/bin/env bash
# SET (and INCR) throughput with the AOF on: Nodis vs redis-server, both with
# appendonly yes and the same appendfsync (APPENDFSYNC, default everysec), each
# in its own temp dir, through ../shared/tools/bench/bench.sh (A = Nodis, B = Redis).
# Usage: bench/e2e/aof.sh   (APPENDFSYNC=always|everysec|no; PORT_A/PORT_B; WORKLOADS,
#        PIPELINES, ROUNDS ... pass through to bench.sh). Needs a build and redis-server.
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH=${BENCH:-../shared/tools/bench/bench.sh}
PA=${PORT_A:-7001}; PB=${PORT_B:-7002}
FSYNC=${APPENDFSYNC:-everysec}
DA=$(mktemp -d /tmp/nodis-aof-bench-A.XXXXXX); DB=$(mktemp -d /tmp/nodis-aof-bench-B.XXXXXX)
ARGS=(--bind 127.0.0.1 --save '' --appendonly yes --appendfsync "$FSYNC" --loglevel warning)
node bin/nodis-server --port "$PA" --dir "$DA" "${ARGS[@]}" &
A_PID=$!
redis-server --port "$PB" --dir "$DB" "${ARGS[@]}" &
B_PID=$!
trap 'kill $A_PID $B_PID 2>/dev/null || true; sleep 0.5; rm -rf "$DA" "$DB"' EXIT
for p in "$PA" "$PB"; do for _ in $(seq 100); do redis-cli -p "$p" ping >/dev/null 2>&1 && break; sleep 0.1; done; done
export A_PID B_PID
LABEL_A=${LABEL_A:-nodis-aof-$FSYNC} LABEL_B=${LABEL_B:-redis-aof-$FSYNC} WORKLOADS=${WORKLOADS:-"SET INCR"} "$BENCH" "127.0.0.1:$PA" "127.0.0.1:$PB"
