#!/usr/bin/env bash
# MULTI/EXEC throughput, Nodis vs redis-server: transactions of MULTI + 10 SETs + EXEC, pipelined.
#
# redis-benchmark repeats one command line per request (no way to send MULTI, SET ... EXEC as a unit),
# so the pipelined load comes from redis-cli --pipe (the mass-insertion pipeline: writes the whole
# stream, counts the replies, then checks an ECHO round trip): CLIENTS connections in parallel, each
# sending TX transactions back to back. Servers alternate A,B,A,B for ROUNDS rounds; the median
# transactions/s of each and the ratio Nodis/Redis are printed (last line: "ratio nodis/redis = X"), with
# the server CPU time per transaction (utime+stime of the server process over the run), which is far less
# sensitive than wall-clock throughput to other load on the machine.
#
# Usage: bench/e2e/multi.sh     (env: CLIENTS [8], TX [20000] per client, ROUNDS [3], PORT_A [7853], PORT_B [7854])
# Needs a build (npm run build), redis-server and redis-cli.
set -euo pipefail
cd "$(dirname "$0")/../.."
CLIENTS=${CLIENTS:-8}; TX=${TX:-20000}; ROUNDS=${ROUNDS:-3}
PA=${PORT_A:-7853}; PB=${PORT_B:-7854}
TMP=$(mktemp -d)
node bin/nodis-server --port "$PA" --bind 127.0.0.1 --save '' --appendonly no --loglevel warning &
A_PID=$!
redis-server --port "$PB" --bind 127.0.0.1 --save '' --appendonly no --loglevel warning &
B_PID=$!
trap 'kill $A_PID $B_PID 2>/dev/null || true; rm -rf "$TMP"' EXIT
for p in "$PA" "$PB"; do for _ in $(seq 100); do redis-cli -p "$p" ping >/dev/null 2>&1 && break; sleep 0.1; done; done

# one protocol stream per client: TX x (MULTI, SET key:<c>:<i mod 1000>:<j> val x10, EXEC)
for c in $(seq 1 "$CLIENTS"); do
  awk -v c="$c" -v n="$TX" 'BEGIN {
    for (i = 0; i < n; i++) {
      printf "*1\r\n$5\r\nMULTI\r\n";
      for (j = 0; j < 10; j++) {
        k = sprintf("key:%d:%d:%d", c, i % 1000, j);
        printf "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$3\r\nxyz\r\n", length(k), k;
      }
      printf "*1\r\n$4\r\nEXEC\r\n";
    }
  }' > "$TMP/stream.$c"
done

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
TCK=$(getconf CLK_TCK)

run() { # port pid -> "transactions/s cpu-us/transaction"
  local port=$1 pid=$2 t0 t1 c0 c1 c
  redis-cli -p "$port" flushall >/dev/null
  c0=$(cpu_ticks "$pid")
  t0=$(date +%s.%N)
  for c in $(seq 1 "$CLIENTS"); do redis-cli -p "$port" --pipe < "$TMP/stream.$c" > "$TMP/out.$c" 2>&1 & done
  wait $(jobs -p | grep -v -e "^$A_PID\$" -e "^$B_PID\$") 2>/dev/null || true
  t1=$(date +%s.%N)
  c1=$(cpu_ticks "$pid")
  for c in $(seq 1 "$CLIENTS"); do grep -q "errors: 0" "$TMP/out.$c" || { cat "$TMP/out.$c" >&2; exit 1; }; done
  awk -v a="$t0" -v b="$t1" -v n=$((CLIENTS * TX)) -v c=$((c1 - c0)) -v hz="$TCK" \
    'BEGIN { printf "%.0f %.2f\n", n / (b - a), c / hz * 1e6 / n }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
run "$PA" "$A_PID" >/dev/null; run "$PB" "$B_PID" >/dev/null # warm-up
A=(); B=(); AC=(); BC=()
for r in $(seq 1 "$ROUNDS"); do
  read -r ta ca < <(run "$PA" "$A_PID"); read -r tb cb < <(run "$PB" "$B_PID")
  A+=("$ta"); B+=("$tb"); AC+=("$ca"); BC+=("$cb")
  echo "round $r: nodis $ta tx/s ($ca cpu us/tx), redis $tb tx/s ($cb cpu us/tx)"
done
MA=$(printf '%s\n' "${A[@]}" | median); MB=$(printf '%s\n' "${B[@]}" | median)
MAC=$(printf '%s\n' "${AC[@]}" | median); MBC=$(printf '%s\n' "${BC[@]}" | median)
echo "MULTI + 10 x SET + EXEC, $CLIENTS pipelined connections x $TX transactions:"
echo "  nodis $MA tx/s, $MAC cpu us/tx; redis $MB tx/s, $MBC cpu us/tx"
awk -v a="$MAC" -v b="$MBC" 'BEGIN { printf "cpu efficiency nodis/redis = %.2f (redis cpu per tx / nodis cpu per tx)\n", b / a }'
awk -v a="$MA" -v b="$MB" 'BEGIN { printf "ratio nodis/redis = %.2f\n", a / b }'
