#!/usr/bin/env bash
# sysbench through the gateway vs straight to the backend, in one run on one demo cluster.
#   bench/sysbench.sh [TEST] [SECONDS] [THREADS]      e.g. bench/sysbench.sh oltp_read_only 30 8
# Prints transactions/s, queries/s and 95th-percentile latency for both paths and the ratio gateway/direct.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
test_name=${1:-oltp_read_only}
seconds=${2:-30}
threads=${3:-8}
tables=4
rows=20000
command -v sysbench >/dev/null || { echo "bench: sysbench is needed: apt-get install -y sysbench" >&2; exit 1; }

log=$(mktemp)
"$here/switchyard" demo >"$log" 2>&1 &
demo=$!
# `wait` returns the demo's 143 (SIGTERM): under set -e that would end the trap before rm and make it the exit status.
trap 'rc=$?; kill -TERM $demo 2>/dev/null; wait $demo 2>/dev/null || true; rm -f "$log"; exit $rc' EXIT
for _ in $(seq 1 240); do grep -q "Press Ctrl-C" "$log" && break; sleep 0.5; done
grep -q "Press Ctrl-C" "$log" || { cat "$log" >&2; exit 1; }
direct=$(sed -n 's/.*commerce *0 *primary *127.0.0.1:\([0-9]*\).*/\1/p' "$log")
gateway=$(sed -n 's/^Gateway: MySQL protocol on 127.0.0.1:\([0-9]*\),.*/\1/p' "$log")

common=(--mysql-host=127.0.0.1 --mysql-user=root --mysql-db=commerce --tables=$tables --table-size=$rows
        --db-driver=mysql --mysql-ssl=off)
sysbench "$test_name" "${common[@]}" --mysql-port="$direct" --threads=4 prepare >/dev/null

run() { # port label
  sysbench "$test_name" "${common[@]}" --mysql-port="$1" --threads="$threads" --time="$seconds" \
    --report-interval=0 run | awk -v label="$2" '
      /transactions:/ {gsub(/[()]/, "", $3); tps=$3}
      /queries:/ && !/performed/ {gsub(/[()]/, "", $3); qps=$3}
      /95th percentile:/ {p95=$3}
      END {printf "%-8s tps=%s qps=%s p95_ms=%s\n", label, tps, qps, p95}'
}
# Warm both paths, then measure direct and gateway back to back (same cluster, same data, same minute).
sysbench "$test_name" "${common[@]}" --mysql-port="$gateway" --threads="$threads" --time=5 run >/dev/null
d=$(run "$direct" direct)
g=$(run "$gateway" gateway)
echo "$d"
echo "$g"
dt=$(echo "$d" | sed 's/.*tps=\([0-9.]*\).*/\1/'); gt=$(echo "$g" | sed 's/.*tps=\([0-9.]*\).*/\1/')
awk -v d="$dt" -v g="$gt" -v t="$test_name" -v th="$threads" -v s="$seconds" \
  'BEGIN {printf "%s, %d threads, %d s: gateway/direct throughput = %.2f\n", t, th, s, g / d}'
