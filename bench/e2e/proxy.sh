#!/usr/bin/env bash
# nodis-proxy (A) vs twemproxy/nutcracker (B): the same YAML pool (3 redis-server backends, fnv1a_64, ketama)
# read by both, ../shared/tools/bench/bench.sh through each proxy, alternating rounds; the us/op columns are the
# proxies' own CPU per request. The backends are shared (both sides send the same command sequence).
# Usage: bench/e2e/proxy.sh     (WORKLOADS, default "SET GET INCR LPUSH MSET"; PIPELINES, ROUNDS pass through)
# Needs a build (npm run build), redis-server, nutcracker (Debian: apt-get install nutcracker) and redis-benchmark.
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH=${BENCH:-../shared/tools/bench/bench.sh}
command -v nutcracker >/dev/null || { echo "proxy.sh: nutcracker not found (apt-get install nutcracker)" >&2; exit 1; }
BASE=${PORT_BASE:-7300}
PA=$((BASE + 21)); PB=$((BASE + 22))
DIR=$(mktemp -d)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; rm -rf "$DIR"; }
trap cleanup EXIT
for i in 1 2 3; do
  redis-server --port $((BASE + i)) --bind 127.0.0.1 --save '' --appendonly no --loglevel warning --dir "$DIR" &
  pids+=($!)
done
pool() {
  cat <<YML
$1:
  listen: 127.0.0.1:$2
  hash: fnv1a_64
  hash_tag: "{}"
  distribution: ketama
  timeout: 4000
  redis: true
  server_connections: 1
  servers:
   - 127.0.0.1:$((BASE + 1)):1 s1
   - 127.0.0.1:$((BASE + 2)):1 s2
   - 127.0.0.1:$((BASE + 3)):1 s3
YML
}
pool nodis "$PA" > "$DIR/nodis.yml"
pool twem "$PB" > "$DIR/twem.yml"
node bin/nodis-proxy -c "$DIR/nodis.yml" -o "$DIR/nodis-proxy.log" & A_PID=$!
pids+=($A_PID)
nutcracker -c "$DIR/twem.yml" -o "$DIR/nutcracker.log" -s $((BASE + 23)) & B_PID=$!
pids+=($B_PID)
for p in $((BASE + 1)) $((BASE + 2)) $((BASE + 3)) "$PA" "$PB"; do
  for _ in $(seq 100); do redis-cli -p "$p" set probe 1 >/dev/null 2>&1 && break; sleep 0.1; done
done
export A_PID B_PID
LABEL_A=${LABEL_A:-nodis-proxy} LABEL_B=${LABEL_B:-nutcracker} WORKLOADS=${WORKLOADS:-"SET GET INCR LPUSH MSET"} "$BENCH" "127.0.0.1:$PA" "127.0.0.1:$PB"
