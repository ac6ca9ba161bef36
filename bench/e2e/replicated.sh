#!/usr/bin/env bash
# Throughput of a master with one replica attached: Nodis master + Nodis replica (A) vs redis-server
# master + redis-server replica (B), with ../shared/tools/bench/bench.sh against the two masters.
# After the run, each replica's offset must equal its master's (the replica kept up): printed last.
# Usage: bench/e2e/replicated.sh     (WORKLOADS, default "SET INCR LPUSH HSET"; PIPELINES, ROUNDS pass through)
# Needs a build (npm run build), redis-server and redis-benchmark. On 2 cores the replicas share the CPUs
# with the masters and redis-benchmark, on both sides alike. CPU_OF=replica: the us/op columns are the
# replicas' CPU per request instead of the masters'.
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH=${BENCH:-../shared/tools/bench/bench.sh}
PA=${PORT_A:-7101}; PAR=$((PA + 1)); PB=${PORT_B:-7201}; PBR=$((PB + 1))
common=(--bind 127.0.0.1 --save '' --appendonly no --loglevel warning)
node bin/nodis-server --port "$PA" "${common[@]}" & A_PID=$!
node bin/nodis-server --port "$PAR" "${common[@]}" --replicaof 127.0.0.1 "$PA" & AR_PID=$!
redis-server --port "$PB" "${common[@]}" & B_PID=$!
redis-server --port "$PBR" "${common[@]}" --replicaof 127.0.0.1 "$PB" & BR_PID=$!
# (the pids are expanded now: CPU_OF=replica below points A_PID/B_PID at the replicas)
trap "kill $A_PID $AR_PID $B_PID $BR_PID 2>/dev/null || true" EXIT
for p in "$PA" "$PAR" "$PB" "$PBR"; do for _ in $(seq 100); do redis-cli -p "$p" ping >/dev/null 2>&1 && break; sleep 0.1; done; done
for p in "$PAR" "$PBR"; do
  for _ in $(seq 100); do redis-cli -p "$p" info replication | grep -q 'master_link_status:up' && break; sleep 0.1; done
done
if [ "${CPU_OF:-master}" = replica ]; then A_PID=$AR_PID; B_PID=$BR_PID; fi
export A_PID B_PID
LABEL_A=${LABEL_A:-nodis+replica} LABEL_B=${LABEL_B:-redis+replica} WORKLOADS=${WORKLOADS:-"SET INCR LPUSH HSET"} "$BENCH" "127.0.0.1:$PA" "127.0.0.1:$PB"
off() { redis-cli -p "$1" info replication | tr -d '\r' | awk -F: -v k="$2" '$1==k{print $2}'; }
for pair in "$PA:$PAR" "$PB:$PBR"; do
  m=${pair%%:*}; r=${pair##*:}
  for _ in $(seq 100); do [ "$(off "$m" master_repl_offset)" = "$(off "$r" slave_repl_offset)" ] && break; sleep 0.1; done
  echo "master :$m offset $(off "$m" master_repl_offset), replica :$r offset $(off "$r" slave_repl_offset)"
done
