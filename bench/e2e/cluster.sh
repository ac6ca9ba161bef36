#!/usr/bin/env bash
# Cluster throughput: a 3-master Nodis cluster (A) vs a 3-master redis-server cluster (B), each made by
# redis-cli --cluster create, with ../shared/tools/bench/bench.sh EXTRA_ARGS=--cluster against one node of
# each (redis-benchmark --cluster spreads its keys over every master by slot).
# Usage: bench/e2e/cluster.sh     (WORKLOADS, default "SET GET"; PIPELINES, ROUNDS pass through)
# Needs a build (npm run build), redis-server, redis-cli and redis-benchmark. On 2 cores the six servers
# and redis-benchmark share the CPUs, on both sides alike. CPU µs/request are not reported (3 pids a side).
# N_P1 defaults to 1,000,000 here: with --cluster redis-benchmark runs a thread per master, and its threads stop
# only in the 250 ms throughput timer (SHOW_THROUGHPUT_INTERVAL, redis-benchmark.c showThroughput), so every run
# time is rounded up to the timer's next tick. At bench.sh's 100,000 a P1 run lasts ~1.5 s and that rounding moves
# a rate by up to 15% (rates of 53.2k, 57.0k, 61.4k, 66.4k ops/s: 3.75, 3.5, 3.25, 3.0 s for 200,000 requests).
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH=${BENCH:-$(pwd)/../shared/tools/bench/bench.sh}
PA=${PORT_A:-7401}; PB=${PORT_B:-7501}
work=$(mktemp -d /tmp/nodis-bench-cluster.XXXXXX)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
common=(--bind 127.0.0.1 --save '' --appendonly no --loglevel warning --logfile log.txt --cluster-enabled yes --cluster-node-timeout 5000)
for i in 0 1 2; do
  a=$((PA + i)); b=$((PB + i))
  mkdir -p "$work/a$i" "$work/b$i"
  (cd "$work/a$i" && exec node "$OLDPWD/bin/nodis-server" --port "$a" "${common[@]}") & pids+=($!)
  (cd "$work/b$i" && exec redis-server --port "$b" "${common[@]}") & pids+=($!)
done
for i in 0 1 2; do for p in $((PA + i)) $((PB + i)); do
  for _ in $(seq 100); do redis-cli -p "$p" ping >/dev/null 2>&1 && break; sleep 0.1; done
done; done
redis-cli --cluster create 127.0.0.1:$PA 127.0.0.1:$((PA + 1)) 127.0.0.1:$((PA + 2)) --cluster-yes >/dev/null
redis-cli --cluster create 127.0.0.1:$PB 127.0.0.1:$((PB + 1)) 127.0.0.1:$((PB + 2)) --cluster-yes >/dev/null
for p in $PA $PB; do
  for _ in $(seq 200); do redis-cli -p "$p" cluster info | grep -q 'cluster_state:ok' && break; sleep 0.1; done
done
sleep 1 # every node has every other's slots (the check above is one node's view)
N_P1=${N_P1:-1000000} LABEL_A=${LABEL_A:-nodis-cluster} LABEL_B=${LABEL_B:-redis-cluster} WORKLOADS=${WORKLOADS:-"SET GET"} EXTRA_ARGS="--cluster ${EXTRA_ARGS:-}" \
  "$BENCH" "127.0.0.1:$PA" "127.0.0.1:$PB"
