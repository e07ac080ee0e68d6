#!/usr/bin/env bash
# pgbench 18 against TuskDB (`tusk serve`) and PostgreSQL 18, side by side.
#
#   bench/pgbench.sh                    # scale 10, 30 s per run, both servers, append to bench/RESULTS.md
#   bench/pgbench.sh --pg-only          # only PostgreSQL 18 (the reference figures)
#   bench/pgbench.sh --tusk-only
#   bench/pgbench.sh -s 1 -T 10 --no-record
#
# Each server runs on its own scratch data directory and port. Per server:
# pgbench -i -s SCALE, then -S (select only) and TPC-B (the default script),
# each with 1 client (-j 1) and 8 clients (-j 2), -T seconds each, simple
# protocol. Prints TPS and TuskDB/PG ratios and appends a dated section to
# bench/RESULTS.md. A benchmark, not a test: it exits 0 when a run fails and
# reports it as such.
set -uo pipefail

scale=10
duration=30
run_pg=1
run_tusk=1
record=1
while [ $# -gt 0 ]; do
  case "$1" in
    -s|--scale) scale=$2; shift 2 ;;
    -T|--duration) duration=$2; shift 2 ;;
    --pg-only) run_tusk=0; shift ;;
    --tusk-only) run_pg=0; shift ;;
    --no-record) record=0; shift ;;
    -h|--help) sed -n 2,14p "$0"; exit 0 ;;
    *) echo "pgbench.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

repo=$(cd "$(dirname "$0")/.." && pwd)
shared=${TUSK_SHARED:-$repo/../shared}
pg18="$shared/tools/pg18"
if [ "$(id -u)" = 0 ]; then export PG18_HOME=${PG18_HOME:-/opt/tusk-pg18}; fi
bin=$(bash "$pg18" bin | tail -1)
python=${PYTHON:-python3}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
scratch=$(mktemp -d /tmp/tusk-bench-XXXXXX)
chmod 755 "$scratch"
free_port() { "$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pg_port=$(free_port)
tusk_port=$(free_port)
tusk_pid=""
pg_started=0

cleanup() {
  if [ -n "$tusk_pid" ]; then
    kill -TERM -- "-$tusk_pid" 2>/dev/null
    for _ in $(seq 1 100); do kill -0 "$tusk_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$tusk_pid" 2>/dev/null
  fi
  if [ "$pg_started" = 1 ]; then bash "$pg18" stop "$scratch/pg" >/dev/null 2>&1; fi
  rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_ready() {  # port, seconds
  for _ in $(seq 1 $(( $2 * 10 ))); do
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$1" -U postgres -d postgres && return 0
    sleep 0.1
  done
  return 1
}

declare -A tps fails
workloads=("select-only 1 client" "select-only 8 clients" "TPC-B 1 client" "TPC-B 8 clients")
args_for() {
  case "$1" in
    "select-only 1 client") echo "-S -c 1 -j 1" ;;
    "select-only 8 clients") echo "-S -c 8 -j 2" ;;
    "TPC-B 1 client") echo "-c 1 -j 1" ;;
    "TPC-B 8 clients") echo "-c 8 -j 2" ;;
  esac
}

bench_server() {  # name port
  local name=$1 port=$2 out w
  export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres
  echo "== $name on 127.0.0.1:$port: pgbench -i -s $scale"
  "$bin/psql" -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS bench" -c "CREATE DATABASE bench" \
    || { echo "   could not create database bench"; return 1; }
  local t0=$(date +%s.%N)
  if ! "$bin/pgbench" -i -s "$scale" -q bench > "$scratch/$name-init.log" 2>&1; then
    echo "   pgbench -i failed:"; tail -5 "$scratch/$name-init.log"; return 1
  fi
  tps["$name init seconds"]=$(printf '%.1f' "$(echo "$(date +%s.%N) - $t0" | bc)")
  for w in "${workloads[@]}"; do
    out="$scratch/$name-$(echo "$w" | tr ' ' '_').log"
    # shellcheck disable=SC2046
    timeout $(( duration * 4 + 120 )) "$bin/pgbench" $(args_for "$w") -T "$duration" bench > "$out" 2>&1
    local t f
    t=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p' "$out")
    f=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$out")
    [ -n "$t" ] && t=$(printf '%.0f' "$t")
    tps["$name $w"]=${t:-failed}
    fails["$name $w"]=${f:--}
    printf '   %-24s %12s TPS  (%s failed)\n' "$w" "${t:-FAILED}" "${f:--}"
    [ -n "$t" ] || tail -3 "$out" | sed 's/^/     /'
  done
}

if [ "$run_pg" = 1 ]; then
  if bash "$pg18" start "$pg_port" "$scratch/pg" >/dev/null; then
    pg_started=1
    bench_server pg "$pg_port"
    bash "$pg18" stop "$scratch/pg" >/dev/null 2>&1; pg_started=0
  else
    echo "== PostgreSQL 18 did not start"
  fi
fi

if [ "$run_tusk" = 1 ]; then
  mkdir -p "$scratch/tusk"
  (cd "$repo" && exec setsid "$python" -m tuskdb.cli serve -D "$scratch/tusk/data" -p "$tusk_port" \
      --listen 127.0.0.1 > "$scratch/tusk/server.log" 2>&1 < /dev/null) &
  tusk_pid=$!
  if wait_ready "$tusk_port" 120; then
    bench_server tusk "$tusk_port"
  else
    echo "== tusk serve did not accept connections; log tail:"
    tail -20 "$scratch/tusk/server.log" | sed 's/^/   /'
  fi
fi

ratio() {
  local a=${tps["tusk $1"]:-} b=${tps["pg $1"]:-}
  if [[ "$a" =~ ^[0-9.]+$ && "$b" =~ ^[0-9.]+$ ]] && [ "$(echo "$b > 0" | bc)" = 1 ]; then
    printf '%.3f' "$(echo "scale=6; $a / $b" | bc)"
  else
    echo "-"
  fi
}

commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo "?")
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
when=$(date -u '+%Y-%m-%d %H:%M UTC')
table=$(
  echo "| workload (pgbench -s $scale, -T $duration, simple protocol) | PostgreSQL 18 TPS | TuskDB TPS | TuskDB/PG |"
  echo "| --- | ---: | ---: | ---: |"
  for w in "${workloads[@]}"; do
    echo "| $w ($(args_for "$w")) | ${tps["pg $w"]:--} | ${tps["tusk $w"]:--} | $(ratio "$w") |"
  done
  echo "| pgbench -i -s $scale (seconds) | ${tps["pg init seconds"]:--} | ${tps["tusk init seconds"]:--} | |"
)
echo
echo "$table"

if [ "$record" = 1 ]; then
  results="$repo/bench/RESULTS.md"
  [ -f "$results" ] || printf '# pgbench results\n\nAppended by bench/pgbench.sh, newest last.\n' > "$results"
  {
    echo
    echo "## $when — commit $commit"
    echo
    echo "$(nproc) cores ($cpu), $(free -g | awk '/^Mem:/{print $2}') GiB; pgbench/psql $("$bin/pgbench" --version | awk '{print $3}'); fsync on for both; load average before the run: $load_before; failed transactions: PG ${fails["pg TPC-B 8 clients"]:--}, TuskDB ${fails["tusk TPC-B 8 clients"]:--} (TPC-B 8 clients)."
    echo
    echo "$table"
  } >> "$results"
  echo
  echo "appended to bench/RESULTS.md"
fi
