#!/usr/bin/env bash
# The most a multi-core Nodis could gain on this machine: one server against two fully independent servers
# (a perfect shared-nothing split: each serves half of the clients and its own keys, no cross-shard hop, no
# coordination), each kind, SET and GET at P1 and P16, 50 clients in all (25 per server when there are two).
# Any real design (I/O threads feeding one executor, keyspace shards owned by threads with multi-key commands,
# MULTI and scripts coordinated across them) scales at most like this, and redis-benchmark shares the cores.
# Prints the median of ROUNDS (3) of each and the two/one ratio.
# Usage: bench/e2e/multicore-ceiling.sh   (ROUNDS=3; needs a build, redis-server, redis-benchmark)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-3}
P1=${PORT:-7711}; P2=$((P1 + 1))
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
rate() { # port clients n pipeline test -> ops/s
  redis-benchmark -p "$1" -c "$2" -n "$3" -r 100000 -P "$4" -t "$5" --csv 2>/dev/null | tail -1 | awk -F'","' '{gsub(/"/,"",$2); print $2}'
}
two() { # n pipeline test -> the two servers' rates summed, measured at the same time
  local a b; a=$(mktemp); b=$(mktemp)
  rate "$P1" 25 $(($1 / 2)) "$2" "$3" > "$a" & rate "$P2" 25 $(($1 / 2)) "$2" "$3" > "$b" & wait
  echo "$(cat "$a") + $(cat "$b")" | bc; rm -f "$a" "$b"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '%-6s %-4s %4s %12s %12s %8s\n' kind test P one two two/one
for kind in nodis redis; do
  for p in "$P1" "$P2"; do
    if [ "$kind" = nodis ]; then node bin/nodis-server --port "$p" --bind 127.0.0.1 --save '' --appendonly no --loglevel warning >/dev/null &
    else redis-server --port "$p" --bind 127.0.0.1 --save '' --appendonly no --loglevel warning >/dev/null & fi
    pids+=($!)
  done
  for p in "$P1" "$P2"; do for _ in $(seq 100); do redis-cli -p "$p" ping >/dev/null 2>&1 && break; sleep 0.1; done; done
  for t in set get; do
    for P in 1 16; do
      n=$([ "$P" = 16 ] && echo 3000000 || echo 400000)
      one=(); both=()
      for _ in $(seq "$ROUNDS"); do one+=("$(rate "$P1" 50 "$n" "$P" "$t")"); both+=("$(two "$n" "$P" "$t")"); done
      a=$(printf '%s\n' "${one[@]}" | median); b=$(printf '%s\n' "${both[@]}" | median)
      printf '%-6s %-4s %4s %12.0f %12.0f %8.2f\n' "$kind" "$t" "$P" "$a" "$b" "$(echo "$b / $a" | bc -l)"
    done
  done
  for p in "$P1" "$P2"; do redis-cli -p "$p" shutdown nosave >/dev/null 2>&1 || true; done
  sleep 0.5
done
