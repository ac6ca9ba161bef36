#!/usr/bin/env bash
# Side by side throughput of commands redis-benchmark has no -t test for (issue 12's set): PFADD, PFCOUNT,
# GEOADD, GEOSEARCH, FCALL of a one-SET function, EVALSHA of a 10-call script; and the cost of ACL checks:
# GET/SET on a Nodis whose default user has 10 rules vs on a Nodis with the default user as shipped
# (redis-benchmark 7.0 cannot log in as another user, so the rules go on the default user of a second Nodis).
# Each row: ROUNDS runs per side, alternating A and B, median ops/s, A/B ratio. Needs a build, redis-server,
# redis-cli, redis-benchmark.  Usage: bench/e2e/commands.sh   (ROUNDS=3, N=200000, PIPELINES="1 16", ROWS=...)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-3}; N=${N:-200000}; PIPELINES=${PIPELINES:-"1 16"}
ROWS=${ROWS:-"PFADD PFCOUNT GEOADD GEOSEARCH FCALL EVALSHA ACL_GET ACL_SET"}
PA=${PORT_A:-7901}; PB=${PORT_B:-7902}; PC=$((PA + 2))
common=(--bind 127.0.0.1 --save "" --appendonly no --loglevel warning --logfile /dev/null)
node bin/nodis-server --port "$PA" "${common[@]}" & A_PID=$!
redis-server --port "$PB" "${common[@]}" & B_PID=$!
node bin/nodis-server --port "$PC" "${common[@]}" & C_PID=$!
trap 'kill $A_PID $B_PID $C_PID 2>/dev/null || true' EXIT
for p in "$PA" "$PB" "$PC"; do for _ in $(seq 100); do redis-cli -p "$p" ping >/dev/null 2>&1 && break; sleep 0.1; done; done
for p in "$PA" "$PB"; do
  redis-cli -p "$p" function load "#!lua name=b
redis.register_function('setone', function(keys, args) return redis.call('SET', keys[1], args[1]) end)" >/dev/null
  redis-cli -p "$p" script load "for i = 1, 10 do redis.call('SET', KEYS[1], ARGV[1]) end return 1" >/dev/null
  # PFCOUNT / GEOSEARCH need data
  redis-benchmark -p "$p" -n 100000 -r 100000 -P 32 -q pfadd hll __rand_int__ >/dev/null 2>&1
  redis-benchmark -p "$p" -n 5000 -r 1000 -P 32 -q geoadd geo 13.361389 38.115556 m:__rand_int__ >/dev/null 2>&1
  redis-cli -p "$p" geoadd geo 15.087269 37.502669 catania 2.35 48.85 paris >/dev/null
done
# the ACL side: 10 rules (key and channel patterns, categories, commands) that still allow GET and SET
redis-cli -p "$PC" acl setuser default resetkeys resetchannels -@all '~k*' '~key:*' '~other:*' '&chan*' +@read +@write -@dangerous +ping -keys +info >/dev/null
SHA=$(redis-cli -p "$PA" script load "for i = 1, 10 do redis.call('SET', KEYS[1], ARGV[1]) end return 1")
cmd_of() {
  case $1 in
    PFADD) echo "pfadd hll:__rand_int__ e__rand_int__" ;;
    PFCOUNT) echo "pfcount hll" ;;
    GEOADD) echo "geoadd g2 13.361389 38.115556 m:__rand_int__" ;;
    GEOSEARCH) echo "geosearch geo frommember catania byradius 200 km asc count 10" ;;
    FCALL) echo "fcall setone 1 k:__rand_int__ v" ;;
    EVALSHA) echo "evalsha $SHA 1 k:__rand_int__ v" ;;
    ACL_GET) echo "get key:__rand_int__" ;;
    ACL_SET) echo "set key:__rand_int__ v" ;;
  esac
}
rate() { # port P command... -> ops/s
  local port=$1 p=$2; shift 2
  redis-benchmark -p "$port" -c 50 -n "$N" -r 100000 -P "$p" --csv "$@" 2>/dev/null | tail -1 | awk -F'","' '{gsub(/"/,"",$2); print $2}'
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '%-12s %4s %12s %12s %7s\n' row P A B A/B
for row in $ROWS; do
  for p in $PIPELINES; do
    ra=(); rb=()
    for _ in $(seq "$ROUNDS"); do
      if [[ $row == ACL_* ]]; then
        # A: Nodis whose default user has the 10 rules; B: Nodis as shipped
        ra+=("$(rate "$PC" "$p" $(cmd_of "$row"))")
        rb+=("$(rate "$PA" "$p" $(cmd_of "$row"))")
      else
        ra+=("$(rate "$PA" "$p" $(cmd_of "$row"))")
        rb+=("$(rate "$PB" "$p" $(cmd_of "$row"))")
      fi
    done
    a=$(printf '%s\n' "${ra[@]}" | median); b=$(printf '%s\n' "${rb[@]}" | median)
    printf '%-12s %4s %12.0f %12.0f %7.3f\n' "$row" "$p" "$a" "$b" "$(echo "$a / $b" | bc -l)"
  done
done
echo "(A = nodis, B = redis-server; ACL_* rows: A = nodis with a 10-rule default user, B = nodis as shipped)"
