#!/usr/bin/env bash
# Resharding time: 4000 slots holding KEYS keys (default 1,000,000, 250 per slot, 16-byte values) moved with
# redis-cli --cluster reshard from one master to another, in a 3-master Nodis cluster and in a 3-master
# redis-server cluster (the first master holds slots 0-5460), the same way (default --cluster-pipeline 10). Prints each time and the ratio.
# Usage: bench/e2e/cluster-reshard.sh     (KEYS=..., ROUNDS=1, NODE_ARGS="--cpu-prof ..." for the Nodis nodes;
# needs a build, redis-server, redis-cli)
set -euo pipefail
cd "$(dirname "$0")/../.."
KEYS=${KEYS:-1000000}; ROUNDS=${ROUNDS:-1}
work=$(mktemp -d /tmp/nodis-bench-reshard.XXXXXX)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
# SETs of KEYS keys spread evenly over slots 0..3999 (a hash tag found per slot), as raw protocol for --pipe
node --input-type=module -e "
import { keyHashSlot } from './dist/src/keyspace/hashslot.js';
import fs from 'node:fs';
const tags = new Array(4000).fill(null); let left = 4000;
for (let i = 0; left > 0; i++) { const s = keyHashSlot('t' + i); if (s < 4000 && tags[s] === null) { tags[s] = 't' + i; left--; } }
const out = fs.openSync('$work/load.resp', 'w'); const n = $KEYS; let buf = [];
for (let i = 0; i < n; i++) {
  const k = '{' + tags[i % 4000] + '}:' + i, v = 'v'.repeat(16);
  buf.push('*3\r\n\$3\r\nSET\r\n\$' + k.length + '\r\n' + k + '\r\n\$16\r\n' + v + '\r\n');
  if (buf.length === 10000) { fs.writeSync(out, buf.join('')); buf = []; }
}
fs.writeSync(out, buf.join('')); fs.closeSync(out);
"
run() { # kind port0 -> prints seconds
  local kind=$1 p0=$2 p1=$(($2 + 1)) p2=$(($2 + 2)) d
  for p in $p0 $p1 $p2; do
    d="$work/$kind-$p"; rm -rf "$d"; mkdir -p "$d"
    local args=(--port "$p" --bind 127.0.0.1 --save '' --appendonly no --cluster-enabled yes --cluster-node-timeout 5000 --logfile log.txt)
    if [ "$kind" = nodis ]; then (cd "$d" && exec node ${NODE_ARGS:-} "$OLDPWD/bin/nodis-server" "${args[@]}") & else (cd "$d" && exec redis-server "${args[@]}") & fi
    pids+=($!)
  done
  for p in $p0 $p1 $p2; do for _ in $(seq 100); do redis-cli -p "$p" ping >/dev/null 2>&1 && break; sleep 0.1; done; done
  redis-cli --cluster create 127.0.0.1:$p0 127.0.0.1:$p1 127.0.0.1:$p2 --cluster-yes >/dev/null 2>&1
  for p in $p0 $p1 $p2; do for _ in $(seq 200); do redis-cli -p "$p" cluster info | grep -q 'cluster_state:ok' && break; sleep 0.1; done; done
  sleep 1
  redis-cli -p "$p0" --pipe < "$work/load.resp" >/dev/null 2>&1
  [ "$(redis-cli -p "$p0" dbsize)" = "$KEYS" ] || { echo "$kind: loading failed ($(redis-cli -p "$p0" dbsize) keys)" >&2; exit 1; }
  local from to; from=$(redis-cli -p "$p0" cluster myid); to=$(redis-cli -p "$p1" cluster myid)
  local t0 t1; t0=$(date +%s.%N)
  redis-cli --cluster reshard 127.0.0.1:$p0 --cluster-from "$from" --cluster-to "$to" --cluster-slots 4000 --cluster-yes >/dev/null 2>&1
  t1=$(date +%s.%N)
  echo "$kind: $(redis-cli -p "$p1" dbsize) keys moved in $(echo "$t1 - $t0" | bc) s" >&2
  echo "$t1 - $t0" | bc
  for p in $p0 $p1 $p2; do redis-cli -p "$p" shutdown nosave >/dev/null 2>&1 || true; done
  sleep 0.5
}
for r in $(seq "$ROUNDS"); do
  a=$(run nodis 7701); b=$(run redis 7801)
  [ -n "$a" ] && [ -n "$b" ] || exit 1
  echo "round $r: nodis $a s, redis $b s, nodis/redis = $(echo "scale=3; $a / $b" | bc)"
done
